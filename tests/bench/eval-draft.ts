// `npm run eval:draft`: how good the drafted work order is.
// 1. Category: imports the project's fixed 80% of the labelled messages into a fresh data folder,
//    trains the category model there as `hotline-console train` does, drafts the other 20% as
//    `hotline-console draft` does, and prints top-1 accuracy, macro-F1, top-3 recall, training time
//    and drafting time per case.
// 2. Fields: drafts the hand-written transcripts (tests/fixtures/draft-eval and the sample calls) and
//    prints precision and recall of the contact phone, the name, the address's district and urgency.
// Ends with one JSON line: {"top1","macroF1","top3","trainSeconds","msPerCase", "fields": {...}}.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { draftFields } from '../../src-main/core/drafting/draft-case';
import { scoreCategoryModel } from '../../src-main/core/drafting/training/category-training';
import { importPastCases } from '../../src-main/core/search/importers';
import { sharedDataDir } from '../support/shared-data';
import { makeTempDir, openTestConsole, removeTempDir, resourcesDir } from '../support/temp-console';
import { splitMessages, type LabelledMessage } from './labelled-messages';

const messages = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as LabelledMessage);
const { train, test } = splitMessages(messages, 0.8);
const round = (value: number, digits = 4) => Number(value.toFixed(digits));

const dataDir = await makeTempDir('hotline-eval-draft-');
const app = await openTestConsole(dataDir);
try {
  const services = app.services();
  const trainFile = join(dataDir, 'train.jsonl');
  writeFileSync(trainFile, train.map((message, index) => JSON.stringify({ ...message, id: message.id ?? `row-${message.index}-${index}` })).join('\n'));
  const report = await importPastCases(services.database, services.index, trainFile);
  console.log(`imported ${report.added} training cases (${report.rejected.length} rejected); holding out ${test.length}`);

  const version = await services.drafting.retrain('command');
  if (!version) throw new Error('training produced no model');
  console.log(`category model v${version.version}: ${version.algorithm}`);
  console.log(`  trained in ${version.trainSeconds} s (and ${version.evaluationSeconds} s more for the registry's held-out scores)`);

  // Draft the held-out messages through the same path as the `draft` command.
  const latencies: number[] = [];
  const predictions: { text: string; category: string; predicted: { category: string; confidence: number }[] }[] = [];
  for (const message of test) {
    const started = performance.now();
    const drafted = await services.drafting.draftText({ title: message.title, body: message.body });
    latencies.push(performance.now() - started);
    const category = drafted.fields.category;
    const ranked = category
      ? [category.value[0] as string, ...category.alternatives.map((alternative) => alternative.value[0] as string)].filter((value, index, all) => all.indexOf(value) === index)
      : [];
    predictions.push({
      text: message.body,
      category: message.label,
      predicted: ranked.map((value, index) => ({ category: value, confidence: index === 0 ? (category?.confidence ?? 0) : 0 })),
    });
  }
  const byText = new Map(predictions.map((entry) => [entry.text, entry.predicted]));
  const scores = scoreCategoryModel({ predict: (text) => byText.get(text) ?? [] }, predictions.map(({ text, category }) => ({ text, category })));
  const sorted = [...latencies].sort((a, b) => a - b);
  const percentile = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  const msPerCase = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
  console.log(`\ncategory on ${scores.heldOutCount} held-out messages`);
  console.log(`  top-1 accuracy ${scores.top1.toFixed(4)}   macro-F1 ${scores.macroF1.toFixed(4)}   top-3 recall ${scores.top3.toFixed(4)}`);
  console.log(`  drafting (all fields) mean ${msPerCase.toFixed(2)} ms, p50 ${percentile(0.5).toFixed(2)} ms, p95 ${percentile(0.95).toFixed(2)} ms per case`);

  // Fields on hand-written call transcripts.
  interface Expected {
    phone: string | null;
    name: string | null;
    district: string | null;
    urgency: string;
  }
  interface EvalCall {
    id: string;
    callerLine: string | null;
    utterances: { speaker: 'caller' | 'operator'; text: string }[];
    expected: Expected;
  }
  const fixtureDir = new URL('../fixtures/draft-eval/', import.meta.url);
  const calls: EvalCall[] = readFileSync(new URL('calls.jsonl', fixtureDir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EvalCall);
  const sampleExpectations = JSON.parse(readFileSync(new URL('sample-call-expectations.json', fixtureDir), 'utf8')) as Record<string, Expected>;
  for (const [id, expected] of Object.entries(sampleExpectations)) {
    const sample = JSON.parse(readFileSync(join(resourcesDir, 'sample-calls', `${id}.json`), 'utf8')) as EvalCall;
    calls.push({ id, callerLine: sample.callerLine ?? null, utterances: sample.utterances, expected });
  }
  const active = await services.drafting.activeModel();
  const tallies = { phone: { made: 0, right: 0, due: 0 }, name: { made: 0, right: 0, due: 0 }, district: { made: 0, right: 0, due: 0 }, urgency: { made: 0, right: 0, due: 0 } };
  const misses: string[] = [];
  for (const entry of calls) {
    const lines = entry.utterances.map((utterance, index) => ({ id: `${entry.id}-${index}`, speaker: utterance.speaker, text: utterance.text }));
    const { fields } = draftFields(
      { lines, callerLine: entry.callerLine, routedPastCases: [], now: new Date() },
      { reference: services.reference, categoryModel: active },
    );
    const proposed: Record<keyof typeof tallies, string | null> = {
      phone: fields.contactPhone?.value ?? null,
      name: fields.callerName?.value ?? null,
      // An address outside the city has no district here.
      district: fields.address && !fields.address.value.outsideRegion ? fields.address.value.district || null : null,
      urgency: fields.urgency?.value ?? null,
    };
    for (const field of Object.keys(tallies) as (keyof typeof tallies)[]) {
      const truth = entry.expected[field];
      const guess = proposed[field];
      const tally = tallies[field];
      if (truth !== null) tally.due += 1;
      if (guess !== null) tally.made += 1;
      if (guess !== null && guess === truth) tally.right += 1;
      if (guess !== truth) misses.push(`  ${entry.id}.${field}: proposed ${guess ?? 'nothing'}, expected ${truth ?? 'nothing'}`);
    }
  }
  const fieldScores = Object.fromEntries(
    Object.entries(tallies).map(([field, tally]) => [
      field,
      { precision: round(tally.made === 0 ? 0 : tally.right / tally.made), recall: round(tally.due === 0 ? 0 : tally.right / tally.due), proposed: tally.made, expected: tally.due },
    ]),
  );
  console.log(`\nfields on ${calls.length} hand-written call transcripts`);
  for (const [field, score] of Object.entries(fieldScores)) {
    console.log(`  ${field.padEnd(9)} precision ${score.precision.toFixed(4)} (${score.proposed} proposed)   recall ${score.recall.toFixed(4)} (${score.expected} expected)`);
  }
  if (misses.length > 0) console.log(`misses:\n${misses.join('\n')}`);

  console.log(
    JSON.stringify({
      top1: round(scores.top1),
      macroF1: round(scores.macroF1),
      top3: round(scores.top3),
      trainSeconds: round(version.trainSeconds, 2),
      msPerCase: round(msPerCase, 2),
      fields: fieldScores,
    }),
  );
} finally {
  await app.close();
  await removeTempDir(dataDir);
}
