// `npx tsx tests/bench/eval-category.ts`: how well the category model proposes a case's category.
// Trains on the project's fixed 80% split of the labelled messages (title + body, and the title on
// its own, as the console learns imported messages and drafts written ones), predicts the
// other 20%, and prints accuracy, macro-F1, top-3 recall, timings and model size, then one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { trainCategoryModel } from '../../src-main/core/drafting/category-model';
import { sharedDataDir } from '../support/shared-data';
import { splitMessages, type LabelledMessage } from './labelled-messages';

const messages = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as LabelledMessage);
const { train, test } = splitMessages(messages, 0.8);
const textOf = (message: LabelledMessage) => `${message.title ?? ''} ${message.body}`.trim();

const trainStarted = performance.now();
const model = trainCategoryModel(train.map((message) => ({ text: textOf(message), title: message.title ?? '', category: message.label })));
const trainSeconds = (performance.now() - trainStarted) / 1000;

const latencies: number[] = [];
let correct = 0;
let inTopThree = 0;
let confidenceOfTop = 0;
const confusion = new Map<string, { truePositive: number; falsePositive: number; falseNegative: number }>();
const tally = (category: string) => {
  const existing = confusion.get(category);
  if (existing) return existing;
  const fresh = { truePositive: 0, falsePositive: 0, falseNegative: 0 };
  confusion.set(category, fresh);
  return fresh;
};
for (const message of test) {
  const started = performance.now();
  const predictions = model.predict(textOf(message), message.title ?? '');
  latencies.push(performance.now() - started);
  const best = predictions[0]?.category ?? '';
  confidenceOfTop += predictions[0]?.confidence ?? 0;
  if (best === message.label) {
    correct += 1;
    tally(best).truePositive += 1;
  } else {
    tally(best).falsePositive += 1;
    tally(message.label).falseNegative += 1;
  }
  if (predictions.some((prediction) => prediction.category === message.label)) inTopThree += 1;
}

const f1Scores = [...new Set(messages.map((message) => message.label))].map((category) => {
  const { truePositive, falsePositive, falseNegative } = tally(category);
  const denominator = 2 * truePositive + falsePositive + falseNegative;
  return { category, f1: denominator === 0 ? 0 : (2 * truePositive) / denominator };
});
const sorted = [...latencies].sort((a, b) => a - b);
const percentile = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
const accuracy = correct / test.length;
const macroF1 = f1Scores.reduce((sum, { f1 }) => sum + f1, 0) / f1Scores.length;
const top3Recall = inTopThree / test.length;
const modelBytes = Buffer.byteLength(JSON.stringify(model.toJSON()));
const round = (value: number, digits: number) => Number(value.toFixed(digits));

// Text the model cannot read must not be proposed with confidence (the caller has said nothing yet).
const unreadable = ['', 'hello world', '12345', '？！'];
const unreadableConfidence = Math.max(...unreadable.map((text) => model.predict(text)[0]?.confidence ?? 0));

console.log(`trained on ${train.length} messages, tested on ${test.length} (${model.categories.length} categories)`);
console.log(`algorithm     ${model.description.algorithm}`);
console.log(`features      ${model.description.features}`);
console.log(`chosen SVM cost ${model.description.cost}, validation accuracy ${model.description.validationAccuracy?.toFixed(4) ?? 'n/a'} on ${model.description.validationCount}`);
console.log(`accuracy      ${accuracy.toFixed(4)}`);
console.log(`macro-F1      ${macroF1.toFixed(4)}`);
for (const { category, f1 } of f1Scores) console.log(`  F1 ${category.padEnd(8, '　')} ${f1.toFixed(4)}`);
console.log(`top-3 recall  ${top3Recall.toFixed(4)}`);
console.log(`mean top-1 confidence ${(confidenceOfTop / test.length).toFixed(4)} (accuracy ${accuracy.toFixed(4)})`);
console.log(`training      ${trainSeconds.toFixed(2)} s`);
console.log(`prediction    p50 ${percentile(0.5).toFixed(2)} ms, p95 ${percentile(0.95).toFixed(2)} ms per case`);
console.log(`model size    ${(modelBytes / 1024 / 1024).toFixed(2)} MiB as JSON`);
console.log(`unreadable    top confidence at most ${unreadableConfidence.toFixed(3)} (${unreadable.map((text) => JSON.stringify(text)).join(', ')})`);
console.log(
  JSON.stringify({
    accuracy: round(accuracy, 4),
    macroF1: round(macroF1, 4),
    top3Recall: round(top3Recall, 4),
    trainSeconds: round(trainSeconds, 2),
    predictP95Ms: round(percentile(0.95), 2),
    modelMiB: round(modelBytes / 1024 / 1024, 2),
    unreadableConfidence: round(unreadableConfidence, 3),
  }),
);
