import { describe, expect, it } from 'vitest';
import type { AudioLine, PartialTranscript, TranscriptSegment } from '../../../../src-main/contract';
import { isLowConfidence } from '../../../../src-renderer/components/transcript-list';
import { settledBy, withoutEndedLine, withPartial } from '../../../../src-renderer/features/live-call/partial-transcripts';

const callId = 'call-1';

function partial(lineId: string, speaker: 'caller' | 'operator', startMs: number, text: string): PartialTranscript {
  return { callId, lineId, speaker, startMs, endMs: startMs + 1000, text };
}

function segment(speaker: 'caller' | 'operator', startMs: number, endMs: number, source: TranscriptSegment['source'] = 'asr', confidence: number | null = 0.9): TranscriptSegment {
  return { id: `${speaker}-${startMs}`, callId, speaker, startMs, endMs, text: '……', source, confidence, createdAt: '2025-01-01T00:00:00Z' };
}

function line(id: string, state: AudioLine['state']): AudioLine {
  return { id, callId, speaker: 'caller', state, recognised: true, receivedMs: 0, backlogMs: 0, fallingBehind: false, skippedUtterances: 0, message: null };
}

describe('partial transcripts', () => {
  it('keeps one partial per line, the newest, in the order the utterances began', () => {
    let partials = withPartial([], partial('caller-line', 'caller', 5000, '我家'));
    partials = withPartial(partials, partial('operator-line', 'operator', 3000, '您好'));
    partials = withPartial(partials, partial('caller-line', 'caller', 5000, '我家楼下'));
    expect(partials.map((shown) => shown.text)).toEqual(['您好', '我家楼下']);
  });

  it('gives way to the segment that finishes the utterance, and only to that one', () => {
    const partials = [partial('caller-line', 'caller', 5000, '我家楼下'), partial('operator-line', 'operator', 6000, '请讲')];
    expect(settledBy(partials, segment('caller', 5000, 8000)).map((shown) => shown.speaker)).toEqual(['operator']);
    // A segment ending before a later utterance began leaves that utterance's partial alone.
    expect(settledBy(partials, segment('operator', 2000, 4000))).toBe(partials);
    // Typed and scripted lines are not the recogniser's: they settle nothing.
    expect(settledBy(partials, segment('caller', 5000, 8000, 'typed', null))).toBe(partials);
  });

  it('drops the partial of a line that closed or failed', () => {
    const partials = [partial('caller-line', 'caller', 5000, '我家楼下')];
    expect(withoutEndedLine(partials, line('caller-line', 'open'))).toBe(partials);
    expect(withoutEndedLine(partials, line('caller-line', 'failed'))).toEqual([]);
    expect(withoutEndedLine(partials, line('other-line', 'closed'))).toBe(partials);
  });
});

describe('low confidence', () => {
  it('marks recognised lines below 0.5 only', () => {
    expect(isLowConfidence(segment('caller', 0, 1000, 'asr', 0.49))).toBe(true);
    expect(isLowConfidence(segment('caller', 0, 1000, 'asr', 0.5))).toBe(false);
    expect(isLowConfidence(segment('caller', 0, 1000, 'typed', null))).toBe(false);
  });
});
