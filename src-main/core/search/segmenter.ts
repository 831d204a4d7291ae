import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict as defaultDictionary } from '@node-rs/jieba/dict.js';

/** Frequency given to our own words: high enough that jieba keeps them whole instead of splitting. */
const userWordFrequency = 50_000;

const shortestTerm = 2;
const longestTerm = 32;
// Anything with a letter or digit of any script; punctuation and symbols alone are not terms.
const hasWordCharacter = /[\p{L}\p{N}]/u;

async function readGeneralIdf(): Promise<Map<string, number>> {
  const text = await readFile(createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt'), 'utf8');
  const table = new Map<string, number>();
  for (const line of text.split('\n')) {
    const separator = line.lastIndexOf(' ');
    if (separator > 0) table.set(line.slice(0, separator), Number(line.slice(separator + 1)));
  }
  return table;
}

async function readWordList(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter(Boolean);
}

/**
 * Chinese word segmentation shared by indexing and querying (the same words on both sides is what
 * makes keyword search work). jieba with its default dictionary plus ours: hotline terms and the
 * district and street names, so that 望京街道 or 花家地 stay whole.
 */
export class Segmenter {
  private constructor(
    private readonly jieba: Jieba,
    private readonly stopwords: ReadonlySet<string>,
    private readonly generalIdf: ReadonlyMap<string, number>,
    private readonly unknownWordIdf: number,
  ) {}

  static async load(resourcesDir: string, placeNames: readonly string[]): Promise<Segmenter> {
    const folder = join(resourcesDir, 'segmentation');
    const [hotlineTerms, stopwords] = await Promise.all([
      readWordList(join(folder, 'hotline-terms.txt')),
      readWordList(join(folder, 'stopwords.txt')),
    ]);
    const jieba = Jieba.withDict(defaultDictionary);
    const userWords = [...new Set([...hotlineTerms, ...placeNames])].filter((word) => !/\s/.test(word));
    jieba.loadDict(Buffer.from(userWords.map((word) => `${word} ${userWordFrequency}`).join('\n'), 'utf8'));
    const generalIdf = await readGeneralIdf();
    const sorted = [...generalIdf.values()].sort((a, b) => a - b);
    return new Segmenter(jieba, new Set(stopwords), generalIdf, sorted[Math.floor(sorted.length / 2)] ?? 10);
  }

  /**
   * How telling a word is in Chinese at large (jieba's IDF table): 马上 or 保持 say little about a
   * call, 燃气 or 电梯 a lot. A word the table lacks (our hotline terms, place names) counts as rare.
   */
  generalInformativeness(term: string): number {
    return this.generalIdf.get(term) ?? this.unknownWordIdf;
  }

  /**
   * The search terms of a text, in order, repeats kept (term frequency matters to ranking). Search
   * mode also yields the parts of long words (望京街道 → 望京, 街道, 望京街道), so a caller who says
   * only 望京 still finds it.
   */
  terms(text: string): string[] {
    const normalised = text.normalize('NFKC').toLowerCase();
    if (!normalised.trim()) return [];
    return this.jieba.cutForSearch(normalised, true).filter((word) => this.isTerm(word));
  }

  /** Terms joined by spaces: what goes into an FTS5 column (its unicode61 tokenizer splits on them). */
  indexText(text: string): string {
    return this.terms(text).join(' ');
  }

  private isTerm(word: string): boolean {
    const length = [...word].length;
    return length >= shortestTerm && length <= longestTerm && hasWordCharacter.test(word) && !this.stopwords.has(word) && !/\s/.test(word);
  }
}
