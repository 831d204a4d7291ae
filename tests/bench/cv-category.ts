// `npx tsx tests/bench/cv-category.ts`: grouped k-fold cross-validation of the category model on the
// project's fixed TRAINING 80% of the labelled messages only (the 20% test part is never read), to
// choose the model's settings without looking at the test score. Reposts (near-duplicates) stay in
// one fold, as in the model's own validation split. Settings to try come as JSON in CV_OPTIONS
// (CategoryTrainingOptions); CV_FOLDS picks which folds to run (e.g. "0,1"), all by default.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { trainCategoryModel, type CategoryExample, type CategoryTrainingOptions } from '../../src-main/core/drafting/category-model';
import { nearDuplicateGroups } from '../../src-main/core/drafting/category-validation';
import { seededRandom } from '../../src-main/core/drafting/linear-svm';
import { sharedDataDir } from '../support/shared-data';
import { splitMessages, type LabelledMessage } from './labelled-messages';

const foldCount = 5;
const messages = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as LabelledMessage);
const { train } = splitMessages(messages, 0.8);
// As the console learns an imported case: the title and body as one text, and the title alone.
// CV_BODY_ONLY=1 tries the title in its own block only, the text being the body alone.
const bodyOnly = process.env.CV_BODY_ONLY === '1';
const examples: CategoryExample[] = train.map((message) => ({
  text: bodyOnly ? message.body : `${message.title ?? ''} ${message.body}`.trim(),
  title: message.title ?? '',
  category: message.label,
}));

// The folds are the same whatever the text: grouped by title and body.
const groups = nearDuplicateGroups(train.map((message) => `${message.title ?? ''} ${message.body}`.trim()));
const groupIds = [...new Set(groups)];
const random = seededRandom(7);
for (let index = groupIds.length - 1; index > 0; index -= 1) {
  const other = Math.floor(random() * (index + 1));
  [groupIds[index], groupIds[other]] = [groupIds[other] as number, groupIds[index] as number];
}
const foldOfGroup = new Map(groupIds.map((group, position) => [group, position % foldCount]));
const foldOf = groups.map((group) => foldOfGroup.get(group) as number);

const options = JSON.parse(process.env.CV_OPTIONS ?? '{}') as CategoryTrainingOptions;
const folds = (process.env.CV_FOLDS ?? Array.from({ length: foldCount }, (_, fold) => fold).join(',')).split(',').map(Number);
let correct = 0;
let inTopThree = 0;
let scored = 0;
const perFold: number[] = [];
for (const fold of folds) {
  const started = performance.now();
  const model = trainCategoryModel(
    examples.filter((_, index) => foldOf[index] !== fold),
    options,
  );
  const seconds = (performance.now() - started) / 1000;
  const heldOut = examples.filter((_, index) => foldOf[index] === fold);
  let foldCorrect = 0;
  for (const example of heldOut) {
    const predictions = model.predict(example.text, example.title);
    if (predictions[0]?.category === example.category) foldCorrect += 1;
    if (predictions.some((prediction) => prediction.category === example.category)) inTopThree += 1;
  }
  correct += foldCorrect;
  scored += heldOut.length;
  perFold.push(foldCorrect / heldOut.length);
  console.error(`fold ${fold}: top-1 ${(foldCorrect / heldOut.length).toFixed(4)} on ${heldOut.length}, trained in ${seconds.toFixed(1)} s`);
}
console.log(
  JSON.stringify({
    options,
    bodyOnly,
    folds,
    top1: Number((correct / scored).toFixed(4)),
    top3: Number((inTopThree / scored).toFixed(4)),
    correct,
    scored,
    perFold: perFold.map((value) => Number(value.toFixed(4))),
  }),
);
