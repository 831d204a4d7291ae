import { Jieba } from '@node-rs/jieba';
import { dict as defaultDictionary } from '@node-rs/jieba/dict.js';

/**
 * The words of a text for the category model: jieba's search mode, which also yields the parts of a
 * long word (公积金贷款 → 公积金, 贷款, 公积金贷款), so that a message and a call that word the same
 * thing differently still share terms. Only jieba's own dictionary, loaded synchronously once: the
 * model's words must not change when the hotline's term list or place names do, or a stored model
 * would read new texts differently from the texts it was trained on.
 */

// Anything with a letter or digit of any script; punctuation and symbols alone are not words.
const hasWordCharacter = /[\p{L}\p{N}]/u;

let sharedJieba: Jieba | null = null;

function jieba(): Jieba {
  sharedJieba ??= Jieba.withDict(defaultDictionary);
  return sharedJieba;
}

/** The words of a text with how often each occurs. */
export function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const normalised = text.normalize('NFKC').toLowerCase();
  if (!normalised.trim()) return counts;
  for (const word of jieba().cutForSearch(normalised, true)) {
    if (!hasWordCharacter.test(word) || /\s/.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
