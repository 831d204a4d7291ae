import type { Evidence, TranscriptLine } from './phone-extraction';

// A cue said in the negative ("不是燃气的问题", "没有施工") points nowhere; one asked about ("是不是燃气
// 泄漏了", "有没有物业") still does.
const negations = ['没有', '没', '不是', '并非', '不'];
const questions = ['是不是', '有没有', '是否'];
// Nor does a danger the caller only fears ("特别担心着火", "万一塌了"): it has not happened.
const fears = ['担心', '害怕', '怕', '万一', '以免', '防止', '容易', '可能会', '会不会'];

/** Whether the word at `at` in `text` is said in the negative, or only feared. */
export function isNegated(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 3), at);
  if (fears.some((fear) => before.endsWith(fear))) return true;
  if (questions.some((question) => before.endsWith(question))) return false;
  return negations.some((negation) => before.endsWith(negation));
}

/** Every place a word occurs in a line's text, not said in the negative, as evidence. */
export function affirmedOccurrences(line: TranscriptLine, word: string): Evidence[] {
  const found: Evidence[] = [];
  if (word.length === 0) return found;
  for (let at = line.text.indexOf(word); at >= 0; at = line.text.indexOf(word, at + word.length)) {
    if (!isNegated(line.text, at)) found.push({ segmentId: line.id, start: at, end: at + word.length });
  }
  return found;
}
