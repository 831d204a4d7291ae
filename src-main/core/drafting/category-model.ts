import { dot, seededRandom, trainBinarySvm, type BinarySvm, type SvmSettings } from './linear-svm';
import { countCharacterGrams, TfidfVectoriser, type FeatureSettings, type SparseVector } from './text-features';

/**
 * The category proposed for a drafted work order, learnt on this machine from past and confirmed
 * cases: character n-gram TF-IDF and one linear SVM per category (one-vs-rest), with the SVM scores
 * turned into probabilities by a softmax whose sharpness is fitted on cases held out from training.
 */

export interface CategoryExample {
  text: string;
  category: string;
}

export interface CategoryPrediction {
  category: string;
  /** The estimated probability that this is the case's category; the alternatives' sum is at most 1. */
  confidence: number;
}

export interface CategoryTrainingOptions {
  /** SVM costs to choose from by accuracy on the validation part; one value skips the choice. */
  costs?: readonly number[];
  /** The share of each category held out to choose the cost and fit the confidences. */
  validationShare?: number;
  features?: Partial<FeatureSettings>;
  seed?: number;
  /** When the model is trained (a parameter so that tests and replays are reproducible). */
  now?: Date;
}

/** What a stored model says about where it came from: the governance record of a model version. */
export interface CategoryTrainingDescription {
  exampleCount: number;
  categories: { category: string; count: number }[];
  trainedAt: string;
  cost: number;
  /** Top-1 accuracy on the held-out validation part, or null when the data was too small to hold any out. */
  validationAccuracy: number | null;
  validationCount: number;
}

export interface CategoryModelJson {
  format: typeof modelFormat;
  version: typeof modelVersion;
  description: CategoryTrainingDescription;
  features: FeatureSettings;
  /** The vocabulary, one gram a line. */
  grams: string;
  /** Float32 arrays, base64: compact, and exact after a round trip. */
  inverseDocumentFrequency: string;
  categories: { category: string; weights: string; bias: number }[];
  confidenceScale: number;
}

const modelFormat = 'hotline-category-model';
const modelVersion = 1;

const defaultFeatures: FeatureSettings = { shortestGram: 1, longestGram: 3, minimumDocumentCount: 2 };
const defaultCosts = [0.5, 1, 2];
const svmPasses = 40;
const svmTolerance = 0.1;
/** Below this many examples per category a validation part would be too small to choose anything. */
const smallestValidatedCategory = 5;
/** The softmax sharpness for a model trained without validation data: SVM scores lie around ±1. */
const untunedConfidenceScale = 2;
const candidateScales = Array.from({ length: 40 }, (_, step) => 0.25 * 1.15 ** step);
const topCount = 3;

interface FittedClassifier {
  vectoriser: TfidfVectoriser;
  categories: string[];
  machines: BinarySvm[];
}

interface CountedExample extends CategoryExample {
  grams: Map<string, number>;
}

function fitClassifier(examples: readonly CountedExample[], categories: string[], features: FeatureSettings, cost: number, seed: number): FittedClassifier {
  const { vectoriser, vectors } = TfidfVectoriser.fitCounts(
    examples.map((example) => example.grams),
    features,
  );
  return { vectoriser, categories, machines: fitMachines(vectors, examples, categories, vectoriser.featureCount, cost, seed) };
}

/** One SVM per category, that category against all the others. */
function fitMachines(
  vectors: readonly SparseVector[],
  examples: readonly CategoryExample[],
  categories: readonly string[],
  featureCount: number,
  cost: number,
  seed: number,
): BinarySvm[] {
  const settings: SvmSettings = { cost, maximumPasses: svmPasses, tolerance: svmTolerance };
  const random = seededRandom(seed);
  return categories.map((category) =>
    trainBinarySvm(
      vectors,
      examples.map((example) => example.category === category),
      featureCount,
      settings,
      random,
    ),
  );
}

function scoresOf(machines: readonly BinarySvm[], vector: SparseVector): number[] {
  return machines.map((machine) => dot(machine.weights, vector) + machine.bias);
}

function softmax(scores: readonly number[], scale: number): number[] {
  const top = Math.max(...scores);
  const exponentials = scores.map((score) => Math.exp(scale * (score - top)));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

/** Per category, the last `share` of a seeded shuffle is held out; small categories keep everything. */
function stratifiedSplit<Example extends CategoryExample>(examples: readonly Example[], share: number, seed: number) {
  const random = seededRandom(seed);
  const byCategory = new Map<string, Example[]>();
  for (const example of examples) byCategory.set(example.category, [...(byCategory.get(example.category) ?? []), example]);
  const fitting: Example[] = [];
  const validation: Example[] = [];
  for (const group of byCategory.values()) {
    const shuffled = [...group];
    for (let index = shuffled.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [shuffled[index], shuffled[other]] = [shuffled[other] as Example, shuffled[index] as Example];
    }
    const held = group.length >= smallestValidatedCategory ? Math.max(1, Math.round(group.length * share)) : 0;
    validation.push(...shuffled.slice(group.length - held));
    fitting.push(...shuffled.slice(0, group.length - held));
  }
  return { fitting, validation };
}

function encodeFloats(values: Float32Array | Float64Array): string {
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export class CategoryModel {
  private constructor(
    readonly description: CategoryTrainingDescription,
    private readonly classifier: FittedClassifier,
    private readonly confidenceScale: number,
  ) {}

  /** @internal Built by trainCategoryModel or fromJSON. */
  static create(description: CategoryTrainingDescription, classifier: FittedClassifier, confidenceScale: number): CategoryModel {
    return new CategoryModel(description, classifier, confidenceScale);
  }

  get categories(): readonly string[] {
    return this.classifier.categories;
  }

  /** The three likeliest categories, best first. */
  predict(text: string): CategoryPrediction[] {
    const vector = this.classifier.vectoriser.transform(text);
    const confidences =
      vector.indices.length === 0
        ? // Nothing the model knows (empty, punctuation, unseen script): no category is preferred.
          this.classifier.categories.map(() => 1 / this.classifier.categories.length)
        : softmax(scoresOf(this.classifier.machines, vector), this.confidenceScale);
    return this.classifier.categories
      .map((category, index) => ({ category, confidence: confidences[index] ?? 0 }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, topCount);
  }

  toJSON(): CategoryModelJson {
    return {
      format: modelFormat,
      version: modelVersion,
      description: this.description,
      features: this.classifier.vectoriser.settings,
      grams: this.classifier.vectoriser.grams().join('\n'),
      inverseDocumentFrequency: encodeFloats(this.classifier.vectoriser.inverseDocumentFrequency),
      categories: this.classifier.categories.map((category, index) => {
        const machine = this.classifier.machines[index] as BinarySvm;
        return { category, weights: encodeFloats(machine.weights), bias: machine.bias };
      }),
      confidenceScale: this.confidenceScale,
    };
  }

  static fromJSON(json: CategoryModelJson): CategoryModel {
    if (json?.format !== modelFormat) throw new Error('This is not a stored category model.');
    if (json.version !== modelVersion) throw new Error(`Category model version ${String(json.version)} is not supported (this console reads version ${modelVersion}).`);
    const grams = json.grams === '' ? [] : json.grams.split('\n');
    const vectoriser = TfidfVectoriser.restore(json.features, grams, [...decodeFloats(json.inverseDocumentFrequency)]);
    const machines = json.categories.map(({ weights, bias }) => {
      const decoded = decodeFloats(weights);
      if (decoded.length !== grams.length) throw new Error('A stored category model has weights that do not match its vocabulary.');
      return { weights: Float64Array.from(decoded), bias };
    });
    const classifier = { vectoriser, categories: json.categories.map(({ category }) => category), machines };
    return new CategoryModel(json.description, classifier, json.confidenceScale);
  }
}

/**
 * Learns the category model. The costs are compared, and the confidences fitted, on a validation
 * part held out of `examples` (never on data the caller will evaluate with); the final model is then
 * trained on all of `examples` with the chosen cost.
 */
export function trainCategoryModel(examples: readonly CategoryExample[], options: CategoryTrainingOptions = {}): CategoryModel {
  const features = { ...defaultFeatures, ...options.features };
  // Each text is cut into grams once; the validation fits and the final fit all reuse the counts.
  const usable = examples
    .filter((example) => example.category.trim() !== '')
    .map((example) => ({ ...example, grams: countCharacterGrams(example.text, features) }));
  if (usable.length === 0) throw new Error('Cannot train a category model without examples: import or confirm some cases first.');
  const counts = new Map<string, number>();
  for (const example of usable) counts.set(example.category, (counts.get(example.category) ?? 0) + 1);
  if (counts.size < 2) throw new Error(`Cannot train a category model from one category (${[...counts.keys()].join('')}): it needs cases of at least two.`);
  const categories = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
  const seed = options.seed ?? 20_240_605;
  const costs = options.costs ?? defaultCosts;
  if (costs.length === 0 || costs.some((cost) => !(cost > 0))) throw new Error('The SVM costs must be positive numbers.');

  let cost = costs[0] as number;
  let confidenceScale = untunedConfidenceScale;
  let validationAccuracy: number | null = null;
  const { fitting, validation } = stratifiedSplit(usable, options.validationShare ?? 0.15, seed);
  const fittingCategories = new Set(fitting.map((example) => example.category));
  if (validation.length > 0 && fittingCategories.size >= 2) {
    let best: { accuracy: number; cost: number; scores: number[][] } | null = null;
    const { vectoriser, vectors } = TfidfVectoriser.fitCounts(
      fitting.map((example) => example.grams),
      features,
    );
    const validationVectors = validation.map((example) => vectoriser.weigh(example.grams));
    for (const candidate of costs) {
      const machines = fitMachines(vectors, fitting, categories, vectoriser.featureCount, candidate, seed);
      const scores = validationVectors.map((vector) => scoresOf(machines, vector));
      const correct = scores.filter((row, index) => categories[row.indexOf(Math.max(...row))] === validation[index]?.category).length;
      const accuracy = correct / validation.length;
      if (!best || accuracy > best.accuracy) best = { accuracy, cost: candidate, scores };
    }
    if (best) {
      const chosen = best;
      cost = chosen.cost;
      validationAccuracy = chosen.accuracy;
      const truth = validation.map((example) => categories.indexOf(example.category));
      const logLoss = (scale: number) =>
        chosen.scores.reduce((sum, row, index) => sum - Math.log(Math.max(softmax(row, scale)[truth[index] as number] ?? 0, 1e-12)), 0);
      confidenceScale = candidateScales.reduce((chosen, scale) => (logLoss(scale) < logLoss(chosen) ? scale : chosen));
    }
  }

  const classifier = fitClassifier(usable, categories, features, cost, seed);
  const description: CategoryTrainingDescription = {
    exampleCount: usable.length,
    categories: categories.map((category) => ({ category, count: counts.get(category) ?? 0 })),
    trainedAt: (options.now ?? new Date()).toISOString(),
    cost,
    validationAccuracy,
    validationCount: validation.length,
  };
  return CategoryModel.create(description, classifier, confidenceScale);
}
