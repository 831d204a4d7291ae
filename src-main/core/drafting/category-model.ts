import { decodeFloats, encodeFloats } from './category-encoding';
import { NeighbourIndex, type NeighbourIndexJson } from './category-neighbours';
import { groupedValidationSplit } from './category-validation';
import { dot, seededRandom, trainBinarySvm, type SvmSettings } from './linear-svm';
import { countTerms, TermWeights, TextVectoriser, type FeatureSettings, type SparseVector, type TermCounts } from './text-features';

/**
 * The category proposed for a drafted work order, learnt on this machine from past and confirmed
 * cases. Two views of a text vote together: a linear SVM per category (one-vs-rest) over TF-IDF of
 * character 1–2-grams and jieba words, and the training texts most similar to it (cosine over the
 * same vectors). Their scores are added with weights fitted on cases held out from training, then
 * turned into probabilities by a softmax, so the fit also calibrates the confidences; text the model
 * can hardly read (a greeting, English, nothing) gets confidences near even.
 */

export interface CategoryExample {
  /** Everything written or said, the title included. */
  text: string;
  /** A written message's title alone (a short summary that tells the category well); none for a call. */
  title?: string;
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
  /** The share of each category held out to choose the cost and fit how the two views are combined. */
  validationShare?: number;
  features?: Partial<FeatureSettings>;
  /** How many of the most similar training texts vote. */
  neighbourCount?: number;
  seed?: number;
  /** When the model is trained (a parameter so that tests and replays are reproducible). */
  now?: Date;
}

/** What a stored model says about where it came from: the governance record of a model version. */
export interface CategoryTrainingDescription {
  exampleCount: number;
  categories: { category: string; count: number }[];
  trainedAt: string;
  /** The method, in words, for the model registry. */
  algorithm: string;
  /** The features, in words. */
  features: string;
  cost: number;
  /** Top-1 accuracy on the held-out validation part, or null when the data was too small to hold any out. */
  validationAccuracy: number | null;
  validationCount: number;
}

/**
 * How the two views' scores become probabilities, all fitted on the validation part: per category,
 * svmWeight × SVM score + neighbourWeight × log(floor + neighbour vote) + the category's bias, all
 * multiplied by the evidence n / (n + evidenceHalf), n being how many Chinese terms of the text the
 * model knows; then a softmax. The evidence factor never changes which category is first, only how
 * sure the model says it is: a greeting or three words are not a whole message.
 */
export interface ScoreCombination {
  svmWeight: number;
  neighbourWeight: number;
  categoryBiases: number[];
  evidenceHalf: number;
}

export interface CategoryModelJson {
  format: typeof modelFormat;
  version: typeof modelVersion;
  description: CategoryTrainingDescription;
  features: FeatureSettings;
  /** The vocabularies, one term a line: the whole text's grams and words, then the title's. */
  grams: string;
  words: string;
  titleGrams: string;
  titleWords: string;
  /** Float32 arrays, base64: compact, and exact after a round trip. */
  gramInverseDocumentFrequency: string;
  wordInverseDocumentFrequency: string;
  titleGramInverseDocumentFrequency: string;
  titleWordInverseDocumentFrequency: string;
  categories: { category: string; weights: string; bias: number }[];
  neighbourCount: number;
  neighbours: NeighbourIndexJson;
  combination: ScoreCombination;
}

const modelFormat = 'hotline-category-model';
// Version 3 added the title's own block of features; a version 2 model cannot read a title.
const modelVersion = 3;

/** What a stored model's JSON starts with: enough to tell whether this console can read it. */
export const categoryModelStorage = { format: modelFormat, version: modelVersion } as const;

/**
 * A stored model in another storage version than this console's (one written before the model
 * changed shape, or by a newer console). It is not damaged: the cases it learnt from are still in
 * the data folder, so the answer is to train again, not to give up on the category.
 */
export class CategoryModelFormatError extends Error {
  constructor(readonly storedVersion: unknown) {
    super(`Category model storage version ${String(storedVersion)} is not supported (this console reads version ${modelVersion}); train the model again.`);
    this.name = 'CategoryModelFormatError';
  }
}

// Chosen by grouped 5-fold cross-validation on the training part of the project's labelled messages
// (tests/bench/cv-category.ts; the title's weight from 0, 0.3, 0.5, 0.7 and 1).
const defaultFeatures: FeatureSettings = { shortestGram: 1, longestGram: 2, minimumDocumentCount: 2, wordWeight: 0.6, titleWeight: 0.5 };
const defaultCosts = [2];
const defaultNeighbourCount = 10;
const svmPasses = 40;
const svmTolerance = 0.1;
/**
 * Added to each category's neighbour vote before its logarithm: a category with no near neighbour is
 * held back, not ruled out, and a text near nothing (all votes about 0) gets no say from the neighbours.
 */
const voteFloor = 0.1;
/** Fewer held-out cases than this say too little to weigh the views by: the defaults below are used. */
const smallestCombinationFit = 20;
/** Without validation data: the SVM alone, its scores (around ±1) made moderately sharp. */
const untunedCombination = (categoryCount: number): ScoreCombination => ({
  svmWeight: 2,
  neighbourWeight: 0,
  categoryBiases: new Array<number>(categoryCount).fill(0),
  evidenceHalf: 0,
});
const candidateSvmWeights = Array.from({ length: 40 }, (_, step) => 0.25 * 1.15 ** step);
const candidateNeighbourWeights = [0, ...Array.from({ length: 25 }, (_, step) => 0.05 * 1.2 ** step)];
const candidateSharpness = Array.from({ length: 17 }, (_, step) => 0.5 * 1.1 ** step);
const candidateEvidenceHalves = [0, 1, 2, 4, 8, 16, 32, 64];
/** The category biases: gradient steps on the validation log-loss, with a small pull towards 0. */
const biasSteps = 300;
const biasLearningRate = 1;
const biasPenalty = 1e-3;
/**
 * The confidences are also fitted on the openings of validation texts (what a caller says first, as
 * a transcript grows): with only full messages the fit would never see how little a few words tell.
 */
const openingLengths = [4, 8, 16, 32];
const textsCutIntoOpenings = 250;
const topCount = 3;

/** The SVMs' weights are kept in single precision, as stored, so a stored model answers identically. */
interface CategoryMachine {
  weights: Float32Array;
  bias: number;
}

interface FittedClassifier {
  vectoriser: TextVectoriser;
  categories: string[];
  machines: CategoryMachine[];
  neighbours: NeighbourIndex;
  neighbourCount: number;
}

/** A text's evidence for each category from the two views, before they are combined. */
interface ViewScores {
  svm: number[];
  /** log(floor + each category's neighbour vote), computed once: the combination is fitted on a grid. */
  neighbourEvidence: number[];
  /** How many Chinese terms of the text the model knows. */
  chineseTermCount: number;
}

/** One SVM per category, that category against all the others. */
function fitMachines(vectors: readonly SparseVector[], categoryIndices: readonly number[], categoryCount: number, featureCount: number, cost: number, seed: number) {
  const settings: SvmSettings = { cost, maximumPasses: svmPasses, tolerance: svmTolerance };
  const random = seededRandom(seed);
  return Array.from({ length: categoryCount }, (_, category): CategoryMachine => {
    const machine = trainBinarySvm(
      vectors,
      categoryIndices.map((index) => index === category),
      featureCount,
      settings,
      random,
    );
    return { weights: Float32Array.from(machine.weights), bias: machine.bias };
  });
}

function fitClassifier(
  counts: readonly TermCounts[],
  categoryIndices: readonly number[],
  categories: string[],
  features: FeatureSettings,
  cost: number,
  neighbourCount: number,
  seed: number,
): FittedClassifier {
  const vectoriser = TextVectoriser.fit(counts, features);
  const vectors = counts.map((textCounts) => vectoriser.weigh(textCounts));
  return {
    vectoriser,
    categories,
    machines: fitMachines(vectors, categoryIndices, categories.length, vectoriser.featureCount, cost, seed),
    neighbours: NeighbourIndex.build(vectors, categoryIndices, vectoriser.featureCount),
    neighbourCount,
  };
}

function viewScores(classifier: FittedClassifier, vector: SparseVector): ViewScores {
  return {
    svm: classifier.machines.map((machine) => dot(machine.weights, vector) + machine.bias),
    neighbourEvidence: Array.from(classifier.neighbours.votes(vector, classifier.neighbourCount, classifier.categories.length), (vote) => Math.log(voteFloor + vote)),
    chineseTermCount: classifier.vectoriser.chineseTermCount(vector),
  };
}

// A matter of a kind the model never learnt (a category missing from its training) still gets a
// best category, but no one-vs-rest machine claims it: the largest SVM margin stays near or below
// zero, where a known matter's is around 0.7. Below `fullClaimMargin` the confidences shrink towards
// `unclaimedShare` of their value, and what they no longer add up to is "none of these".
const fullClaimMargin = 0.5;
const noClaimMargin = -0.3;
const unclaimedShare = 0.3;

function claimedShare(largestMargin: number): number {
  const share = (largestMargin - noClaimMargin) / (fullClaimMargin - noClaimMargin);
  return Math.min(1, Math.max(unclaimedShare, share));
}

/** The categories' probabilities (see ScoreCombination). */
function combine(scores: ViewScores, combination: ScoreCombination): number[] {
  const evidence = scores.chineseTermCount / (scores.chineseTermCount + combination.evidenceHalf) || 0;
  const logits = scores.svm.map(
    (svmScore, category) =>
      evidence *
      (combination.svmWeight * svmScore +
        combination.neighbourWeight * (scores.neighbourEvidence[category] as number) +
        (combination.categoryBiases[category] as number)),
  );
  const top = Math.max(...logits);
  const exponentials = logits.map((logit) => Math.exp(logit - top));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

function indexOfLargest(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) if ((values[index] as number) > (values[best] as number)) best = index;
  return best;
}

function logLoss(scores: readonly ViewScores[], truth: readonly number[], combination: ScoreCombination): number {
  let loss = 0;
  scores.forEach((row, index) => {
    loss -= Math.log(Math.max(combine(row, combination)[truth[index] as number] as number, 1e-12));
  });
  return loss / Math.max(scores.length, 1);
}

function accuracyOf(scores: readonly ViewScores[], truth: readonly number[], combination: ScoreCombination): number {
  return scores.filter((row, index) => indexOfLargest(combine(row, combination)) === truth[index]).length / scores.length;
}

/**
 * Fits the combination in three steps, each by least log-loss: the two views' weights on the full
 * validation texts (a grid: two numbers), then the category biases (gradient descent: the loss is
 * convex in them), then the sharpness and evidence half on full texts and their openings together.
 */
function fitCombination(full: readonly ViewScores[], fullTruth: readonly number[], openings: readonly ViewScores[], openingTruth: readonly number[]): ScoreCombination {
  const categoryCount = full[0]?.svm.length ?? 0;
  let best = untunedCombination(categoryCount);
  let bestLoss = Infinity;
  for (const svmWeight of candidateSvmWeights) {
    for (const neighbourWeight of candidateNeighbourWeights) {
      const candidate = { ...best, svmWeight, neighbourWeight };
      const loss = logLoss(full, fullTruth, candidate);
      if (loss < bestLoss) [best, bestLoss] = [candidate, loss];
    }
  }
  const biases = new Array<number>(categoryCount).fill(0);
  for (let step = 0; step < biasSteps; step += 1) {
    const gradient = biases.map((bias) => biasPenalty * bias);
    full.forEach((row, index) => {
      combine(row, { ...best, categoryBiases: biases }).forEach((probability, category) => {
        gradient[category] = (gradient[category] as number) + (probability - (category === fullTruth[index] ? 1 : 0)) / full.length;
      });
    });
    gradient.forEach((slope, category) => (biases[category] = (biases[category] as number) - biasLearningRate * slope));
  }
  best = { ...best, categoryBiases: biases };
  const calibration = [...full, ...openings];
  const calibrationTruth = [...fullTruth, ...openingTruth];
  let calibrated = best;
  bestLoss = Infinity;
  for (const sharpness of candidateSharpness) {
    for (const evidenceHalf of candidateEvidenceHalves) {
      const candidate = {
        svmWeight: sharpness * best.svmWeight,
        neighbourWeight: sharpness * best.neighbourWeight,
        categoryBiases: best.categoryBiases.map((bias) => sharpness * bias),
        evidenceHalf,
      };
      const loss = logLoss(calibration, calibrationTruth, candidate);
      if (loss < bestLoss) [calibrated, bestLoss] = [candidate, loss];
    }
  }
  return calibrated;
}

/** The openings (first 4, 8, 16 and 32 characters) of a sample of the texts, with their categories. */
function openingsOf<Example extends CategoryExample>(examples: readonly Example[]): { text: string; category: string }[] {
  const stride = Math.max(1, Math.ceil(examples.length / textsCutIntoOpenings));
  return examples
    .filter((_, index) => index % stride === 0)
    .flatMap((example) => {
      const characters = [...example.text.trim()];
      return openingLengths.filter((length) => length < characters.length).map((length) => ({ text: characters.slice(0, length).join(''), category: example.category }));
    });
}

function describeAlgorithm(neighbourCount: number): string {
  return `one-vs-rest linear SVM (squared hinge) + ${neighbourCount} nearest neighbours by cosine, log-linear combination fitted on held-out cases`;
}

function describeFeatures(features: FeatureSettings): string {
  const words = features.wordWeight > 0 ? ` + jieba words (weight ${features.wordWeight})` : '';
  const title = features.titleWeight > 0 ? `; a written message's title again in its own block (weight ${features.titleWeight})` : '';
  return `TF-IDF (sublinear tf) of character ${features.shortestGram}–${features.longestGram}-grams${words}, terms in at least ${features.minimumDocumentCount} texts${title}`;
}

export class CategoryModel {
  private constructor(
    readonly description: CategoryTrainingDescription,
    private readonly classifier: FittedClassifier,
    private readonly combination: ScoreCombination,
  ) {}

  /** @internal Built by trainCategoryModel or fromJSON. */
  static create(description: CategoryTrainingDescription, classifier: FittedClassifier, combination: ScoreCombination): CategoryModel {
    return new CategoryModel(description, classifier, combination);
  }

  get categories(): readonly string[] {
    return this.classifier.categories;
  }

  /**
   * The three likeliest categories, best first. `text` is everything written or said, a title
   * included; `title` is a written message's title alone, which the model reads again on its own.
   */
  predict(text: string, title = ''): CategoryPrediction[] {
    const vector = this.classifier.vectoriser.transform(text, title);
    let confidences: number[];
    if (vector.indices.length === 0) {
      // Nothing the model knows (empty, punctuation, unseen script): no category is preferred.
      confidences = this.classifier.categories.map(() => 1 / this.classifier.categories.length);
    } else {
      const scores = viewScores(this.classifier, vector);
      const claim = claimedShare(Math.max(...scores.svm));
      confidences = combine(scores, this.combination).map((confidence) => confidence * claim);
    }
    return this.classifier.categories
      .map((category, index) => ({ category, confidence: confidences[index] ?? 0 }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, topCount);
  }

  /**
   * The Chinese terms of `text` (two characters or more) that pushed the category's SVM furthest
   * towards it, strongest first: the words to show as the proposal's evidence. Terms inside a
   * stronger one already taken are left out.
   */
  telltaleTerms(text: string, category: string, title = '', count = 3): string[] {
    const machine = this.classifier.machines[this.classifier.categories.indexOf(category)];
    if (!machine) return [];
    const { vectoriser } = this.classifier;
    const vector = vectoriser.transform(text, title);
    // A title's term counts twice, in the text's block and the title's: its two pushes are added.
    const pushes = new Map<string, number>();
    vector.indices.forEach((feature, position) => {
      const term = vectoriser.termOf(feature);
      if (term.length >= 2 && /^\p{Script=Han}+$/u.test(term)) {
        pushes.set(term, (pushes.get(term) ?? 0) + (machine.weights[feature] as number) * (vector.values[position] as number));
      }
    });
    const contributions = [...pushes].filter(([, contribution]) => contribution > 0).map(([term, contribution]) => ({ term, contribution }));
    contributions.sort((a, b) => b.contribution - a.contribution);
    const chosen: string[] = [];
    for (const { term } of contributions) {
      if (chosen.length >= count) break;
      if (!chosen.some((taken) => taken.includes(term) || term.includes(taken))) chosen.push(term);
    }
    return chosen;
  }

  toJSON(): CategoryModelJson {
    const { vectoriser, categories, machines, neighbours, neighbourCount } = this.classifier;
    return {
      format: modelFormat,
      version: modelVersion,
      description: this.description,
      features: vectoriser.settings,
      grams: vectoriser.grams.terms().join('\n'),
      words: vectoriser.words.terms().join('\n'),
      titleGrams: vectoriser.titleGrams.terms().join('\n'),
      titleWords: vectoriser.titleWords.terms().join('\n'),
      gramInverseDocumentFrequency: encodeFloats(vectoriser.grams.inverseDocumentFrequency),
      wordInverseDocumentFrequency: encodeFloats(vectoriser.words.inverseDocumentFrequency),
      titleGramInverseDocumentFrequency: encodeFloats(vectoriser.titleGrams.inverseDocumentFrequency),
      titleWordInverseDocumentFrequency: encodeFloats(vectoriser.titleWords.inverseDocumentFrequency),
      categories: categories.map((category, index) => {
        const machine = machines[index] as CategoryMachine;
        return { category, weights: encodeFloats(machine.weights), bias: machine.bias };
      }),
      neighbourCount,
      neighbours: neighbours.toJSON(),
      combination: this.combination,
    };
  }

  static fromJSON(json: CategoryModelJson): CategoryModel {
    if (json?.format !== modelFormat) throw new Error('This is not a stored category model.');
    if (json.version !== modelVersion) throw new CategoryModelFormatError(json.version);
    const terms = (list: string) => (list === '' ? [] : list.split('\n'));
    const vectoriser = TextVectoriser.restore(
      json.features,
      TermWeights.restore(terms(json.grams), decodeFloats(json.gramInverseDocumentFrequency)),
      TermWeights.restore(terms(json.words), decodeFloats(json.wordInverseDocumentFrequency)),
      TermWeights.restore(terms(json.titleGrams), decodeFloats(json.titleGramInverseDocumentFrequency)),
      TermWeights.restore(terms(json.titleWords), decodeFloats(json.titleWordInverseDocumentFrequency)),
    );
    const machines = json.categories.map(({ weights, bias }) => {
      const decoded = decodeFloats(weights);
      if (decoded.length !== vectoriser.featureCount) throw new Error('A stored category model has weights that do not match its vocabulary.');
      return { weights: decoded, bias };
    });
    const categories = json.categories.map(({ category }) => category);
    const neighbours = NeighbourIndex.fromJSON(json.neighbours, vectoriser.featureCount, categories.length);
    const { combination } = json;
    if (!Array.isArray(combination?.categoryBiases) || combination.categoryBiases.length !== categories.length || !(combination.evidenceHalf >= 0)) {
      throw new Error('A stored category model has a damaged score combination.');
    }
    const classifier = { vectoriser, categories, machines, neighbours, neighbourCount: json.neighbourCount };
    return new CategoryModel(json.description, classifier, combination);
  }
}

/**
 * Learns the category model. The cost is chosen, and the two views' combination fitted, on a
 * validation part held out of `examples` (never on data the caller will evaluate with); the final
 * model is then trained on all of `examples` with them.
 */
export function trainCategoryModel(examples: readonly CategoryExample[], options: CategoryTrainingOptions = {}): CategoryModel {
  const features = { ...defaultFeatures, ...options.features };
  // Each text is cut into terms once; the validation fits and the final fit all reuse the counts.
  const usable = examples
    .filter((example) => example.category.trim() !== '')
    .map((example) => ({ ...example, counts: countTerms(example.text, features, example.title) }));
  if (usable.length === 0) throw new Error('Cannot train a category model without examples: import or confirm some cases first.');
  const counts = new Map<string, number>();
  for (const example of usable) counts.set(example.category, (counts.get(example.category) ?? 0) + 1);
  if (counts.size < 2) throw new Error(`Cannot train a category model from one category (${[...counts.keys()].join('')}): it needs cases of at least two.`);
  const categories = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
  const categoryIndex = new Map(categories.map((category, index) => [category, index]));
  const indicesOf = (part: readonly CategoryExample[]) => part.map((example) => categoryIndex.get(example.category) as number);
  const seed = options.seed ?? 20_240_605;
  const costs = options.costs ?? defaultCosts;
  if (costs.length === 0 || costs.some((cost) => !(cost > 0))) throw new Error('The SVM costs must be positive numbers.');
  const neighbourCount = options.neighbourCount ?? defaultNeighbourCount;
  if (!Number.isInteger(neighbourCount) || neighbourCount < 1) throw new Error('The neighbour count must be a positive whole number.');

  let cost = costs[0] as number;
  let combination = untunedCombination(categories.length);
  let validationAccuracy: number | null = null;
  let validationCount = 0;
  const { fitting, validation } = groupedValidationSplit(usable, options.validationShare ?? 0.2, seed);
  if (validation.length >= smallestCombinationFit && new Set(fitting.map((example) => example.category)).size >= 2) {
    const truth = indicesOf(validation);
    const openings = openingsOf(validation);
    const openingTruth = indicesOf(openings);
    let best: { cost: number; combination: ScoreCombination; accuracy: number } | null = null;
    for (const candidate of costs) {
      const classifier = fitClassifier(
        fitting.map((example) => example.counts),
        indicesOf(fitting),
        categories,
        features,
        candidate,
        neighbourCount,
        seed,
      );
      const scoresOf = (counts: TermCounts) => viewScores(classifier, classifier.vectoriser.weigh(counts));
      const scores = validation.map((example) => scoresOf(example.counts));
      const fitted = fitCombination(
        scores,
        truth,
        openings.map((opening) => scoresOf(countTerms(opening.text, features))),
        openingTruth,
      );
      const accuracy = accuracyOf(scores, truth, fitted);
      if (!best || accuracy > best.accuracy) best = { cost: candidate, combination: fitted, accuracy };
    }
    if (best) ({ cost, combination, accuracy: validationAccuracy } = best);
    validationCount = validation.length;
  }

  const classifier = fitClassifier(
    usable.map((example) => example.counts),
    indicesOf(usable),
    categories,
    features,
    cost,
    neighbourCount,
    seed,
  );
  const description: CategoryTrainingDescription = {
    exampleCount: usable.length,
    categories: categories.map((category) => ({ category, count: counts.get(category) ?? 0 })),
    trainedAt: (options.now ?? new Date()).toISOString(),
    algorithm: describeAlgorithm(neighbourCount),
    features: describeFeatures(features),
    cost,
    validationAccuracy,
    validationCount,
  };
  return CategoryModel.create(description, classifier, combination);
}
