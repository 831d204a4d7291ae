import { performance } from 'node:perf_hooks';
import type { CategoryModelVersion } from '../../../contract';
import { trainCategoryModel, type CategoryExample, type CategoryModelJson, type CategoryPrediction } from '../category-model';

/** A case to learn the category from: an imported past case or one confirmed on this console. */
export interface TrainingCase extends CategoryExample {
  id: string;
  origin: 'import' | 'console';
  occurredAt: string | null;
}

export interface TrainingRequest {
  cases: readonly TrainingCase[];
  reason: CategoryModelVersion['reason'];
  /** When the training starts (a parameter so that tests and replays are reproducible). */
  now: string;
  /** Share of the cases held out to score the model before the final fit on all of them. */
  heldOutShare?: number;
}

export type TrainedCategoryModel = Omit<CategoryModelVersion, 'version' | 'active' | 'readable'> & { model: CategoryModelJson };

export interface CategoryScores {
  heldOutCount: number;
  top1: number;
  macroF1: number;
  top3: number;
}

/** Top-1 accuracy, macro-F1 over the true categories, and top-3 recall of `model` on `cases`. */
export function scoreCategoryModel(model: { predict: (text: string, title?: string) => CategoryPrediction[] }, cases: readonly CategoryExample[]): CategoryScores {
  const tallies = new Map<string, { truePositive: number; falsePositive: number; falseNegative: number }>();
  const tally = (category: string) => {
    let entry = tallies.get(category);
    if (!entry) tallies.set(category, (entry = { truePositive: 0, falsePositive: 0, falseNegative: 0 }));
    return entry;
  };
  let correct = 0;
  let inTopThree = 0;
  for (const example of cases) {
    tally(example.category);
    const predictions = model.predict(example.text, example.title);
    const best = predictions[0]?.category ?? '';
    if (best === example.category) {
      correct += 1;
      tally(best).truePositive += 1;
    } else {
      if (best !== '') tally(best).falsePositive += 1;
      tally(example.category).falseNegative += 1;
    }
    if (predictions.some((prediction) => prediction.category === example.category)) inTopThree += 1;
  }
  const truthCategories = new Set(cases.map((example) => example.category));
  const f1s = [...truthCategories].map((category) => {
    const { truePositive, falsePositive, falseNegative } = tally(category);
    const denominator = 2 * truePositive + falsePositive + falseNegative;
    return denominator === 0 ? 0 : (2 * truePositive) / denominator;
  });
  const count = cases.length;
  return {
    heldOutCount: count,
    top1: count === 0 ? 0 : correct / count,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((sum, value) => sum + value, 0) / f1s.length,
    top3: count === 0 ? 0 : inTopThree / count,
  };
}

// A stable hash of the case id decides which cases are held out, so a retraining on more cases
// keeps holding out the same old ones.
function heldOut(id: string, share: number): boolean {
  let hash = 2_166_136_261;
  for (let index = 0; index < id.length; index += 1) hash = Math.imul(hash ^ id.charCodeAt(index), 16_777_619);
  return (hash >>> 0) / 2 ** 32 < share;
}

const minimumHeldOut = 20;

/**
 * Learns a new version of the category model: scores it first on a held-out part of the cases (so
 * that the registry records how good it is on cases it did not see), then fits the final model on
 * all of them. With too few cases to hold any out, the version is stored without scores.
 */
export function trainCategoryVersion(request: TrainingRequest): TrainedCategoryModel {
  const cases = request.cases.filter((entry) => entry.category.trim() !== '' && entry.text.trim() !== '');
  const now = new Date(request.now);
  const share = request.heldOutShare ?? 0.2;
  const evaluationCases = cases.filter((entry) => heldOut(entry.id, share));
  let evaluation: CategoryScores | null = null;
  const evaluationStarted = performance.now();
  if (evaluationCases.length >= minimumHeldOut) {
    const fitting = cases.filter((entry) => !heldOut(entry.id, share));
    evaluation = scoreCategoryModel(trainCategoryModel(fitting, { now }), evaluationCases);
  }
  const evaluationSeconds = (performance.now() - evaluationStarted) / 1000;
  const fitStarted = performance.now();
  const model = trainCategoryModel(cases, { now });
  const trainSeconds = (performance.now() - fitStarted) / 1000;
  const times = cases.map((entry) => entry.occurredAt).filter((time): time is string => Boolean(time)).sort();
  return {
    trainedAt: now.toISOString(),
    algorithm: (model.description as { algorithm?: string }).algorithm ?? 'character 1–3-gram TF-IDF, one-vs-rest linear SVM',
    training: {
      exampleCount: cases.length,
      importedCount: cases.filter((entry) => entry.origin === 'import').length,
      confirmedCount: cases.filter((entry) => entry.origin === 'console').length,
      categories: model.description.categories,
      from: times[0] ?? null,
      until: times.at(-1) ?? null,
    },
    evaluation,
    trainSeconds: Number(trainSeconds.toFixed(2)),
    evaluationSeconds: Number(evaluationSeconds.toFixed(2)),
    reason: request.reason,
    model: model.toJSON(),
  };
}
