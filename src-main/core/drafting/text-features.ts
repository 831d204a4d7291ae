import { countWords } from './word-features';

/**
 * Text → sparse TF-IDF vectors over two kinds of term: character n-grams and jieba's words.
 * Character grams because callers' words reach us through speech recognition and free typing, where
 * a segmenter's word boundaries vary: overlapping 1–2 character grams see 燃气 and 气味 whatever the
 * boundaries. Words because whole words (物业费, 公积金, 出租车) are more telling than their pieces;
 * on the project's messages the two together beat either alone, and beat 1–3 character grams.
 */

/** A sparse vector: feature indices (in no particular order) with their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface FeatureSettings {
  /** The shortest and longest character n-gram. */
  shortestGram: number;
  longestGram: number;
  /** A term seen in fewer training texts than this is dropped: it cannot generalise and bloats the model. */
  minimumDocumentCount: number;
  /**
   * The words' length in a text's vector beside its character grams' (each kind is normalised to
   * length 1 first, so this is their balance whatever the text's length). 0 leaves words out.
   */
  wordWeight: number;
  /**
   * The title's own block beside the whole text's, when a text has a title: its character grams and
   * words (balanced as in the whole text) again, apart from the body's, scaled to this length before
   * the whole vector is normalised. 0 leaves titles out.
   */
  titleWeight: number;
}

/** The terms of one text with how often each occurs (its term frequencies), per kind. */
export interface TermCounts {
  grams: Map<string, number>;
  words: Map<string, number>;
  /** The title's terms alone (empty without a title, or when titles are left out). */
  titleGrams: Map<string, number>;
  titleWords: Map<string, number>;
}

// Letters and digits of any script; punctuation and spaces only separate runs, so no gram spans them.
const wordCharacters = /[\p{L}\p{N}]+/gu;
const hanCharacter = /\p{Script=Han}/u;

/** The character n-grams of a text, with how often each occurs (the term frequency). */
export function countCharacterGrams(text: string, settings: Pick<FeatureSettings, 'shortestGram' | 'longestGram'>): Map<string, number> {
  const counts = new Map<string, number>();
  const runs = text.normalize('NFKC').toLowerCase().match(wordCharacters) ?? [];
  for (const run of runs) {
    // substring is much faster than splitting into characters; only runs with characters outside the
    // basic plane (surrogate pairs, rare in Chinese text) need the slower split to stay whole.
    const characters = /[\uD800-\uDFFF]/.test(run) ? [...run] : null;
    const length = characters ? characters.length : run.length;
    for (let size = settings.shortestGram; size <= settings.longestGram; size += 1) {
      for (let start = 0; start + size <= length; start += 1) {
        const gram = characters ? characters.slice(start, start + size).join('') : run.substring(start, start + size);
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** `text` is everything written or said, title included; `title` is the title alone, when there is one. */
export function countTerms(text: string, settings: FeatureSettings, title = ''): TermCounts {
  const withTitle = settings.titleWeight > 0 && title.trim() !== '';
  return {
    grams: countCharacterGrams(text, settings),
    words: settings.wordWeight > 0 ? countWords(text) : new Map(),
    titleGrams: withTitle ? countCharacterGrams(title, settings) : new Map(),
    titleWords: withTitle && settings.wordWeight > 0 ? countWords(title) : new Map(),
  };
}

/** One kind of term's vocabulary and inverse document frequencies, learnt from the training texts. */
export class TermWeights {
  private constructor(
    private readonly vocabulary: Map<string, number>,
    readonly inverseDocumentFrequency: Float32Array,
  ) {}

  get termCount(): number {
    return this.inverseDocumentFrequency.length;
  }

  static fit(countsPerText: readonly ReadonlyMap<string, number>[], minimumDocumentCount: number): TermWeights {
    const documentCount = new Map<string, number>();
    for (const counts of countsPerText) {
      for (const term of counts.keys()) documentCount.set(term, (documentCount.get(term) ?? 0) + 1);
    }
    // First-seen order: deterministic for the same training data, and no sort of a large vocabulary.
    const vocabulary = new Map<string, number>();
    const idf: number[] = [];
    for (const [term, count] of documentCount) {
      if (count < minimumDocumentCount) continue;
      vocabulary.set(term, idf.length);
      // Smoothed IDF (as if one extra text held every term), so that no weight is zero or infinite.
      idf.push(Math.log((1 + countsPerText.length) / (1 + count)) + 1);
    }
    return new TermWeights(vocabulary, Float32Array.from(idf));
  }

  static restore(terms: readonly string[], inverseDocumentFrequency: Float32Array): TermWeights {
    if (terms.length !== inverseDocumentFrequency.length) throw new Error('The stored vocabulary and its weights differ in length.');
    return new TermWeights(new Map(terms.map((term, index) => [term, index])), inverseDocumentFrequency);
  }

  /** The terms in vocabulary order (what a stored model keeps). */
  terms(): string[] {
    return [...this.vocabulary.keys()];
  }

  /**
   * Appends the text's known terms, sublinear term frequency (1 + log tf: the tenth 小区 says less
   * than the second) × IDF, scaled to length `length`, with indices shifted by `offset`.
   */
  appendWeighed(counts: ReadonlyMap<string, number>, length: number, offset: number, indices: number[], values: number[]): void {
    const start = values.length;
    let squaredNorm = 0;
    for (const [term, count] of counts) {
      const index = this.vocabulary.get(term);
      if (index === undefined) continue;
      const value = (1 + Math.log(count)) * (this.inverseDocumentFrequency[index] as number);
      indices.push(offset + index);
      values.push(value);
      squaredNorm += value * value;
    }
    const scale = squaredNorm > 0 ? length / Math.sqrt(squaredNorm) : 0;
    for (let at = start; at < values.length; at += 1) values[at] = (values[at] as number) * scale;
  }
}

/**
 * The text's vector: its character-gram part and its word part, each of length 1 before the word
 * part is scaled by the word weight; with a title, the title's grams and words again as a block of
 * their own, scaled to the title weight; the whole then normalised to length 1 (so that the cosine
 * of two texts is their dot product). The feature space holds, in order: the text's grams, its
 * words, the title's grams, the title's words. A text without a title (a call) has only the first two.
 */
export class TextVectoriser {
  /** 1 for the text's features (not the title's) that hold a Chinese character: see `chineseTermCount`. */
  private readonly chineseFeatures: Uint8Array;

  /** Each feature's term, built on first use: only explanations need it. */
  private featureTerms: string[] | undefined;

  private constructor(
    readonly settings: FeatureSettings,
    readonly grams: TermWeights,
    readonly words: TermWeights,
    readonly titleGrams: TermWeights,
    readonly titleWords: TermWeights,
  ) {
    this.chineseFeatures = Uint8Array.from([...grams.terms(), ...words.terms()], (term) => (hanCharacter.test(term) ? 1 : 0));
  }

  /** The gram or word a feature stands for (a title's term reads like the same term in the text). */
  termOf(feature: number): string {
    this.featureTerms ??= [...this.grams.terms(), ...this.words.terms(), ...this.titleGrams.terms(), ...this.titleWords.terms()];
    return this.featureTerms[feature] ?? '';
  }

  get featureCount(): number {
    return this.grams.termCount + this.words.termCount + this.titleGrams.termCount + this.titleWords.termCount;
  }

  static fit(countsPerText: readonly TermCounts[], settings: FeatureSettings): TextVectoriser {
    const fitKind = (kind: keyof TermCounts) =>
      TermWeights.fit(
        countsPerText.map((counts) => counts[kind]),
        settings.minimumDocumentCount,
      );
    return new TextVectoriser(settings, fitKind('grams'), fitKind('words'), fitKind('titleGrams'), fitKind('titleWords'));
  }

  static restore(settings: FeatureSettings, grams: TermWeights, words: TermWeights, titleGrams: TermWeights, titleWords: TermWeights): TextVectoriser {
    return new TextVectoriser(settings, grams, words, titleGrams, titleWords);
  }

  /**
   * How many of the vector's terms hold a Chinese character: how much of the text the model can
   * read. Latin letters and digits alone (English, codes, numbers) are known as grams but, with no
   * Chinese around them, say nothing of a category. A title's terms, repeated in its own block, are
   * counted once, so that a message reads as much as the same words said in a call.
   */
  chineseTermCount(vector: SparseVector): number {
    let count = 0;
    for (const feature of vector.indices) count += this.chineseFeatures[feature] ?? 0;
    return count;
  }

  transform(text: string, title = ''): SparseVector {
    return this.weigh(countTerms(text, this.settings, title));
  }

  weigh(counts: TermCounts): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    let offset = 0;
    this.grams.appendWeighed(counts.grams, 1, offset, indices, values);
    offset += this.grams.termCount;
    this.words.appendWeighed(counts.words, this.settings.wordWeight, offset, indices, values);
    offset += this.words.termCount;
    if (counts.titleGrams.size > 0 || counts.titleWords.size > 0) {
      // The title block as a whole has the title weight's length, split between grams and words as
      // in the text's block.
      const blockLength = this.settings.titleWeight / Math.sqrt(1 + this.settings.wordWeight ** 2);
      this.titleGrams.appendWeighed(counts.titleGrams, blockLength, offset, indices, values);
      this.titleWords.appendWeighed(counts.titleWords, blockLength * this.settings.wordWeight, offset + this.titleGrams.termCount, indices, values);
    }
    let squaredNorm = 0;
    for (const value of values) squaredNorm += value * value;
    const norm = Math.sqrt(squaredNorm) || 1;
    return { indices: Int32Array.from(indices), values: Float32Array.from(values, (value) => value / norm) };
  }
}
