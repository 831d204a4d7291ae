import { decodeBytes, decodeFloats, decodeUnsignedIntegers, encodeBytes, encodeFloats, encodeUnsignedIntegers } from './category-encoding';
import type { SparseVector } from './text-features';

/**
 * The training texts, searchable by cosine similarity: the nearest few vote for their categories.
 * A linear model draws one boundary per category; the neighbours add what is local (a repost of a
 * known message, a run of complaints about one estate or one bus route). On the project's messages
 * the two together classify better than either alone.
 *
 * The vectors are stored with one byte a value (each text's values as multiples of its largest / 255):
 * a quarter of the size, and cosines move by well under 1%. The model is built from the quantised
 * values, so a stored and a freshly trained model answer identically.
 */

export interface NeighbourIndexJson {
  /** Each text's category, as an index into the model's categories. */
  categories: string;
  /** Each text's number of stored features. */
  lengths: string;
  /** Each text's feature indices, ascending, as the gaps between them. */
  featureGaps: string;
  /** The quantised values, one byte each, in the same order. */
  values: string;
  /** Per text, what one step of its quantised values is worth. */
  steps: string;
}

const quantisationLevels = 255;

export class NeighbourIndex {
  /** For each feature, the texts that have it and their values there: the search reads only these. */
  private readonly postingStarts: Int32Array;
  private readonly postingTexts: Int32Array;
  private readonly postingValues: Float32Array;

  private constructor(
    private readonly featureCount: number,
    private readonly categoryOfText: Uint8Array,
    private readonly lengths: Int32Array,
    private readonly features: Int32Array,
    private readonly quantised: Uint8Array,
    private readonly steps: Float32Array,
  ) {
    this.postingStarts = new Int32Array(featureCount + 1);
    for (const feature of features) this.postingStarts[feature + 1] = (this.postingStarts[feature + 1] as number) + 1;
    for (let feature = 0; feature < featureCount; feature += 1) {
      this.postingStarts[feature + 1] = (this.postingStarts[feature + 1] as number) + (this.postingStarts[feature] as number);
    }
    this.postingTexts = new Int32Array(features.length);
    this.postingValues = new Float32Array(features.length);
    const filled = this.postingStarts.slice(0, featureCount);
    let entry = 0;
    for (let text = 0; text < lengths.length; text += 1) {
      const step = steps[text] as number;
      for (let end = entry + (lengths[text] as number); entry < end; entry += 1) {
        const feature = features[entry] as number;
        const at = filled[feature] as number;
        filled[feature] = at + 1;
        this.postingTexts[at] = text;
        this.postingValues[at] = (quantised[entry] as number) * step;
      }
    }
  }

  get textCount(): number {
    return this.lengths.length;
  }

  static build(vectors: readonly SparseVector[], categoryIndices: readonly number[], featureCount: number): NeighbourIndex {
    const lengths = new Int32Array(vectors.length);
    const steps = new Float32Array(vectors.length);
    const features: number[] = [];
    const quantised: number[] = [];
    vectors.forEach((vector, text) => {
      const order = [...vector.indices.keys()].sort((a, b) => (vector.indices[a] as number) - (vector.indices[b] as number));
      const largest = vector.values.reduce((most, value) => Math.max(most, value), 0);
      const step = Math.fround(largest / quantisationLevels);
      steps[text] = step;
      let kept = 0;
      for (const position of order) {
        const level = step > 0 ? Math.min(quantisationLevels, Math.round((vector.values[position] as number) / step)) : 0;
        // A value too small for one step adds nothing to any cosine worth telling apart.
        if (level === 0) continue;
        features.push(vector.indices[position] as number);
        quantised.push(level);
        kept += 1;
      }
      lengths[text] = kept;
    });
    return new NeighbourIndex(featureCount, Uint8Array.from(categoryIndices), lengths, Int32Array.from(features), Uint8Array.from(quantised), steps);
  }

  /**
   * Per category, the summed cosine similarity of those of the `neighbourCount` most similar texts
   * that belong to it. Unlike shares of the vote, the sums stay small for a text like nothing seen,
   * so that the neighbours then speak up for no category.
   */
  votes(vector: SparseVector, neighbourCount: number, categoryCount: number): Float64Array {
    const similarities = new Float64Array(this.textCount);
    for (let k = 0; k < vector.indices.length; k += 1) {
      const feature = vector.indices[k] as number;
      if (feature >= this.featureCount) continue;
      const value = vector.values[k] as number;
      const end = this.postingStarts[feature + 1] as number;
      for (let at = this.postingStarts[feature] as number; at < end; at += 1) {
        const text = this.postingTexts[at] as number;
        similarities[text] = (similarities[text] as number) + (this.postingValues[at] as number) * value;
      }
    }
    // The nearest texts, most similar first (ties keep the earlier text): an insertion into a short list.
    const nearest: number[] = [];
    for (let text = 0; text < similarities.length; text += 1) {
      const similarity = similarities[text] as number;
      if (similarity <= 0) continue;
      if (nearest.length === neighbourCount && similarity <= (similarities[nearest[neighbourCount - 1] as number] as number)) continue;
      let position = nearest.length;
      while (position > 0 && (similarities[nearest[position - 1] as number] as number) < similarity) position -= 1;
      nearest.splice(position, 0, text);
      if (nearest.length > neighbourCount) nearest.pop();
    }
    const votes = new Float64Array(categoryCount);
    for (const text of nearest) {
      const category = this.categoryOfText[text] as number;
      votes[category] = (votes[category] as number) + (similarities[text] as number);
    }
    return votes;
  }

  toJSON(): NeighbourIndexJson {
    const gaps = new Int32Array(this.features.length);
    let entry = 0;
    for (const length of this.lengths) {
      let previous = 0;
      for (let end = entry + length; entry < end; entry += 1) {
        gaps[entry] = (this.features[entry] as number) - previous;
        previous = this.features[entry] as number;
      }
    }
    return {
      categories: encodeBytes(this.categoryOfText),
      lengths: encodeUnsignedIntegers(this.lengths),
      featureGaps: encodeUnsignedIntegers(gaps),
      values: encodeBytes(this.quantised),
      steps: encodeFloats(this.steps),
    };
  }

  static fromJSON(json: NeighbourIndexJson, featureCount: number, categoryCount: number): NeighbourIndex {
    const categories = decodeBytes(json.categories);
    const lengths = Int32Array.from(decodeUnsignedIntegers(json.lengths));
    const gaps = decodeUnsignedIntegers(json.featureGaps);
    const quantised = decodeBytes(json.values);
    const steps = decodeFloats(json.steps);
    const entryCount = lengths.reduce((sum, length) => sum + length, 0);
    if (categories.length !== lengths.length || steps.length !== lengths.length || gaps.length !== entryCount || quantised.length !== entryCount) {
      throw new Error('A stored category model has a damaged neighbour index.');
    }
    if (categories.some((category) => category >= categoryCount)) throw new Error('A stored category model has neighbours of unknown categories.');
    const features = new Int32Array(entryCount);
    let entry = 0;
    for (const length of lengths) {
      let previous = 0;
      for (let end = entry + length; entry < end; entry += 1) {
        previous += gaps[entry] as number;
        if (previous >= featureCount) throw new Error('A stored category model has neighbours with features outside its vocabulary.');
        features[entry] = previous;
      }
    }
    return new NeighbourIndex(featureCount, categories, lengths, features, quantised, steps);
  }
}
