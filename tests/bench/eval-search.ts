// `npm run eval:search`: how often the past cases the console suggests share the caller's category.
// 80% of the labelled messages become past cases, the other 20% are asked as a caller would say
// them (title and first sentences). Prints precision@5 and MRR, then one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsoleApp } from '../../src-main/core/console-app';
import { sharedDataDir } from '../support/shared-data';
import { makeTempDir, removeTempDir, resourcesDir } from '../support/temp-console';
import { splitMessages, callerQuery, type LabelledMessage } from './labelled-messages';

const dataFile = join(sharedDataDir, 'tipdm-messages-dev.jsonl');
const messages = readFileSync(dataFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LabelledMessage);
const { train, test } = splitMessages(messages, 0.8);

const dataDir = await makeTempDir('hotline-eval-');
const app = await createConsoleApp({ dataDir, resourcesDir, stationCode: 'EVAL', operatorName: 'eval', regionCode: '11' });
try {
  const { database, index, suggestions } = app.services();
  const started = performance.now();
  await database.transaction((executor) =>
    index.upsertPastCases(
      executor,
      train.map((message) => ({
        id: `m${message.id ?? message.index}`, origin: 'import' as const, caseId: null, title: message.title ?? '', body: message.body,
        transcript: '', category: message.label, address: '', reply: '', occurredAt: message.time ?? null, extra: null,
      })),
    ),
  );
  await index.recountCaseTermFrequencies(database);
  const importSeconds = (performance.now() - started) / 1000;

  let precisionSum = 0;
  let reciprocalRankSum = 0;
  const latencies: number[] = [];
  for (const message of test) {
    const queryStarted = performance.now();
    const results = await suggestions.query(callerQuery(message), 'cases', 5);
    latencies.push(performance.now() - queryStarted);
    const same = results.cases.map((hit) => hit.category === message.label);
    precisionSum += same.filter(Boolean).length / 5;
    const firstRank = same.indexOf(true);
    reciprocalRankSum += firstRank >= 0 ? 1 / (firstRank + 1) : 0;
  }
  latencies.sort((a, b) => a - b);
  const figures = {
    trainCases: train.length,
    queries: test.length,
    precisionAt5: Number((precisionSum / test.length).toFixed(4)),
    mrr: Number((reciprocalRankSum / test.length).toFixed(4)),
    importSeconds: Number(importSeconds.toFixed(2)),
    queryP95Ms: Number((latencies[Math.floor(latencies.length * 0.95)] ?? 0).toFixed(2)),
  };
  console.log(`past cases ${figures.trainCases}, queries ${figures.queries}`);
  console.log(`precision@5 (same category) ${figures.precisionAt5}   MRR ${figures.mrr}`);
  console.log(`import ${figures.importSeconds} s, query p95 ${figures.queryP95Ms} ms`);
  console.log(JSON.stringify(figures));
} finally {
  await app.close();
  await removeTempDir(dataDir);
}

