import type { EvidenceSpan } from '../../src-main/contract';

export interface CharacterRange {
  start: number;
  end: number;
}

export interface TextPart {
  text: string;
  marked: boolean;
}

/**
 * `text` cut into plain and marked parts at the ranges [start, end) given. Ranges may overlap, touch,
 * come in any order or reach past the text (a segment shown while a draft of an edited one arrives):
 * they are clipped and joined, and an empty range marks nothing.
 */
export function markedParts(text: string, ranges: readonly CharacterRange[]): TextPart[] {
  const clipped = ranges
    .map(({ start, end }) => ({ start: Math.max(0, Math.min(start, text.length)), end: Math.max(0, Math.min(end, text.length)) }))
    .filter(({ start, end }) => end > start)
    .sort((left, right) => left.start - right.start);
  const joined: CharacterRange[] = [];
  for (const range of clipped) {
    const last = joined[joined.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else joined.push({ ...range });
  }
  const parts: TextPart[] = [];
  let position = 0;
  for (const { start, end } of joined) {
    if (start > position) parts.push({ text: text.slice(position, start), marked: false });
    parts.push({ text: text.slice(start, end), marked: true });
    position = end;
  }
  if (position < text.length || parts.length === 0) parts.push({ text: text.slice(position), marked: false });
  return parts;
}

/** Evidence grouped by the transcript segment it lies in. */
export function rangesBySegment(evidence: readonly EvidenceSpan[]): Map<string, CharacterRange[]> {
  const bySegment = new Map<string, CharacterRange[]>();
  for (const { segmentId, start, end } of evidence) {
    bySegment.set(segmentId, [...(bySegment.get(segmentId) ?? []), { start, end }]);
  }
  return bySegment;
}
