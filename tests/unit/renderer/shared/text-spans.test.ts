import { describe, expect, it } from 'vitest';
import { markedParts, rangesBySegment } from '../../../../src-renderer/shared/text-spans';

describe('marking character spans in a transcript line', () => {
  const text = '喂！我们楼道里煤气味特别大，是不是燃气泄漏了？';

  it('marks exactly the characters [start, end)', () => {
    const start = text.indexOf('煤气味');
    expect(markedParts(text, [{ start, end: start + 3 }])).toEqual([
      { text: '喂！我们楼道里', marked: false },
      { text: '煤气味', marked: true },
      { text: '特别大，是不是燃气泄漏了？', marked: false },
    ]);
  });

  it('joins overlapping and touching spans, in any order, and clips those past the text', () => {
    const parts = markedParts('燃气泄漏', [
      { start: 2, end: 9 },
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 3, end: 3 },
    ]);
    expect(parts).toEqual([{ text: '燃气泄漏', marked: true }]);
  });

  it('leaves a line with no span (or only empty ones) whole', () => {
    expect(markedParts(text, [])).toEqual([{ text, marked: false }]);
    expect(markedParts('', [{ start: 0, end: 4 }])).toEqual([{ text: '', marked: false }]);
  });

  it('groups evidence by segment', () => {
    const grouped = rangesBySegment([
      { segmentId: 'a', start: 0, end: 2 },
      { segmentId: 'b', start: 1, end: 3 },
      { segmentId: 'a', start: 5, end: 6 },
    ]);
    expect(grouped.get('a')).toEqual([
      { start: 0, end: 2 },
      { start: 5, end: 6 },
    ]);
    expect(grouped.get('b')).toEqual([{ start: 1, end: 3 }]);
  });
});
