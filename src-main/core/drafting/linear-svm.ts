import type { SparseVector } from './text-features';

/**
 * A binary linear SVM with the squared hinge loss, trained by dual coordinate descent (Hsieh et al.
 * 2008, the method of LIBLINEAR): exact per-coordinate steps, no learning rate to tune, and for
 * sparse text it converges in a few passes over the data.
 */
export interface BinarySvm {
  weights: Float64Array;
  bias: number;
}

export interface SvmSettings {
  /** The misclassification cost C: larger fits the training data more closely. */
  cost: number;
  maximumPasses: number;
  /** Stop when the projected gradient's spread falls below this (LIBLINEAR's default is 0.1). */
  tolerance: number;
}

/** The constant feature that carries the bias, as LIBLINEAR does (regularised like any weight). */
const biasFeature = 1;

/** A reproducible pseudo-random generator, so that the same data trains the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function dot(weights: Float32Array | Float64Array, vector: SparseVector): number {
  let sum = 0;
  for (let k = 0; k < vector.indices.length; k += 1) sum += (weights[vector.indices[k] as number] ?? 0) * (vector.values[k] as number);
  return sum;
}

export function trainBinarySvm(
  vectors: readonly SparseVector[],
  positive: readonly boolean[],
  featureCount: number,
  settings: SvmSettings,
  random: () => number,
): BinarySvm {
  const weights = new Float64Array(featureCount);
  let bias = 0;
  const diagonal = 1 / (2 * settings.cost);
  const alphas = new Float64Array(vectors.length);
  const squaredNorms = vectors.map((vector) => vector.values.reduce((sum, value) => sum + value * value, 0) + biasFeature * biasFeature + diagonal);
  const order = vectors.map((_, index) => index);
  for (let pass = 0; pass < settings.maximumPasses; pass += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other] as number, order[index] as number];
    }
    let largestGradient = -Infinity;
    let smallestGradient = Infinity;
    for (const index of order) {
      const vector = vectors[index] as SparseVector;
      const sign = positive[index] ? 1 : -1;
      const alpha = alphas[index] as number;
      const gradient = sign * (dot(weights, vector) + bias * biasFeature) - 1 + diagonal * alpha;
      // The projected gradient: at the bound alpha = 0 only a descent that raises alpha counts.
      const projected = alpha === 0 ? Math.min(gradient, 0) : gradient;
      largestGradient = Math.max(largestGradient, projected);
      smallestGradient = Math.min(smallestGradient, projected);
      if (projected === 0) continue;
      const updated = Math.max(alpha - gradient / (squaredNorms[index] as number), 0);
      const step = (updated - alpha) * sign;
      alphas[index] = updated;
      for (let k = 0; k < vector.indices.length; k += 1) {
        const feature = vector.indices[k] as number;
        weights[feature] = (weights[feature] as number) + step * (vector.values[k] as number);
      }
      bias += step * biasFeature;
    }
    if (largestGradient - smallestGradient < settings.tolerance) break;
  }
  return { weights, bias };
}
