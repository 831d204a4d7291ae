/**
 * Text → sparse TF-IDF vectors over character n-grams. Characters rather than words because callers'
 * words reach us through speech recognition and free typing, where a segmenter's word boundaries
 * vary; overlapping 1–3 character grams see 燃气, 燃气灶 and 气味 whatever the boundaries.
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
  /** A gram seen in fewer training texts than this is dropped: it cannot generalise and bloats the model. */
  minimumDocumentCount: number;
}

// Letters and digits of any script; punctuation and spaces only separate runs, so no gram spans them.
const wordCharacters = /[\p{L}\p{N}]+/gu;

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

/** The vocabulary and inverse document frequencies learnt from the training texts. */
export class TfidfVectoriser {
  private constructor(
    readonly settings: FeatureSettings,
    private readonly vocabulary: Map<string, number>,
    readonly inverseDocumentFrequency: Float32Array,
  ) {}

  get featureCount(): number {
    return this.inverseDocumentFrequency.length;
  }

  static fit(texts: readonly string[], settings: FeatureSettings): { vectoriser: TfidfVectoriser; vectors: SparseVector[] } {
    return TfidfVectoriser.fitCounts(
      texts.map((text) => countCharacterGrams(text, settings)),
      settings,
    );
  }

  /** Fits on texts already counted by countCharacterGrams (training counts them once and fits several times). */
  static fitCounts(countsPerText: readonly Map<string, number>[], settings: FeatureSettings): { vectoriser: TfidfVectoriser; vectors: SparseVector[] } {
    const documentCount = new Map<string, number>();
    for (const counts of countsPerText) {
      for (const gram of counts.keys()) documentCount.set(gram, (documentCount.get(gram) ?? 0) + 1);
    }
    // First-seen order: deterministic for the same training data, and no sort of a million grams.
    const vocabulary = new Map<string, number>();
    const idf: number[] = [];
    for (const [gram, count] of documentCount) {
      if (count < settings.minimumDocumentCount) continue;
      vocabulary.set(gram, idf.length);
      // Smoothed IDF (as if one extra text held every gram), so that no weight is zero or infinite.
      idf.push(Math.log((1 + countsPerText.length) / (1 + count)) + 1);
    }
    const vectoriser = new TfidfVectoriser(settings, vocabulary, Float32Array.from(idf));
    return { vectoriser, vectors: countsPerText.map((counts) => vectoriser.weigh(counts)) };
  }

  static restore(settings: FeatureSettings, grams: readonly string[], inverseDocumentFrequency: readonly number[]): TfidfVectoriser {
    if (grams.length !== inverseDocumentFrequency.length) throw new Error('The stored vocabulary and its weights differ in length.');
    return new TfidfVectoriser(settings, new Map(grams.map((gram, index) => [gram, index])), Float32Array.from(inverseDocumentFrequency));
  }

  /** The grams in vocabulary order (what a stored model keeps). */
  grams(): string[] {
    return [...this.vocabulary.keys()];
  }

  transform(text: string): SparseVector {
    return this.weigh(countCharacterGrams(text, this.settings));
  }

  /** Sublinear term frequency (1 + log tf: the tenth 小区 says less than the second) × IDF, L2-normalised. */
  weigh(counts: ReadonlyMap<string, number>): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    let squaredNorm = 0;
    for (const [gram, count] of counts) {
      const index = this.vocabulary.get(gram);
      if (index === undefined) continue;
      const value = (1 + Math.log(count)) * (this.inverseDocumentFrequency[index] ?? 0);
      indices.push(index);
      values.push(value);
      squaredNorm += value * value;
    }
    const norm = Math.sqrt(squaredNorm) || 1;
    return { indices: Int32Array.from(indices), values: Float32Array.from(values, (value) => value / norm) };
  }
}
