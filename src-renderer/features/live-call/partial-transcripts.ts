import type { AudioLine, PartialTranscript, TranscriptSegment } from '../../../src-main/contract';

// The text of utterances still being spoken, at most one per audio line. Pure, so that the rules
// for when a partial gives way are tested on their own.

/** A newer partial of a line replaces the older one. */
export function withPartial(partials: readonly PartialTranscript[], partial: PartialTranscript): PartialTranscript[] {
  const others = partials.filter((known) => known.lineId !== partial.lineId);
  return [...others, partial].sort((first, second) => first.startMs - second.startMs);
}

/**
 * A recognised segment arrived: the partial it finishes (same speaker, begun before the segment
 * ended) gives way to it. A partial of a later utterance of the same speaker stays.
 */
export function settledBy(partials: readonly PartialTranscript[], segment: TranscriptSegment): PartialTranscript[] {
  if (segment.source !== 'asr') return partials as PartialTranscript[];
  const left = partials.filter((partial) => partial.speaker !== segment.speaker || partial.startMs >= segment.endMs);
  return left.length === partials.length ? (partials as PartialTranscript[]) : left;
}

/** A line that closed or failed has nothing more to say: its partial goes. */
export function withoutEndedLine(partials: readonly PartialTranscript[], line: AudioLine): PartialTranscript[] {
  if (line.state === 'open') return partials as PartialTranscript[];
  const left = partials.filter((partial) => partial.lineId !== line.id);
  return left.length === partials.length ? (partials as PartialTranscript[]) : left;
}
