import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { positionalArguments, readFlag, resolveRuntimeOptions } from '../core/config';
import { createConsoleApp, type ConsoleServices } from '../core/console-app';
import { importKnowledgeBase, importPastCases, type ImportReport } from '../core/search/importers';
import { startHost } from '../host/host-server';
import { draftCommand, draftReportCommand, trainCommand } from './drafting-commands';
import { modelsCommand, transcribeCommand } from './speech-commands';

const usage = `hotline-console — the 12345 hotline operator's console

Usage:
  hotline-console serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--station CODE] [--operator NAME] [--sync-pull-seconds N]
      Serve the console to a browser on this machine and print its URL (with the access token).
      --sync-pull-seconds (or $HOTLINE_CONSOLE_SYNC_PULL_SECONDS): how often the central platform's
      status changes are read when nothing else happens (default 15).
  hotline-console import-kb PATH [--data-dir DIR]
      Import knowledge-base articles: a folder of Markdown files, a .jsonl or a .csv file.
  hotline-console import-cases FILE.jsonl [--data-dir DIR]
      Import past cases (id, title, body, time, category or label, address, reply; other fields kept).
  hotline-console search "QUERY" [--kb|--cases] [--limit N] [--json] [--data-dir DIR]
  hotline-console search --input QUERIES.jsonl [--kb|--cases] [--limit N] [--data-dir DIR]
      Batch form: reads lines {id, query}, writes one JSON line per query: {id, hits: [{id, score, category}]}.
  hotline-console train [--list | --restore VERSION] [--data-dir DIR]
      Learn a new version of the category model from the imported and confirmed cases (scored on a
      held-out part first) and make it active; --list shows every version with its training data and
      scores; --restore makes an earlier version active again.
  hotline-console draft --input IN.jsonl [--data-dir DIR]
      Draft work orders from written text: reads lines {id, text} or {id, title, body}, writes one JSON
      line per input: {id, fields: {category, appealType, urgency, phone, name, address, department,
      deadline, summary, ...}}, each field {value, confidence, ...} or null.
  hotline-console draft-report [--json] [--data-dir DIR]
      How often operators kept each field's proposal, per category-model version.
  hotline-console reindex [--data-dir DIR]
      Re-segment and re-index the knowledge base and past cases (after the dictionary changed).
  hotline-console transcribe FILE [--json] [--model NAME] [--models-dir DIR]
      Transcribe a recorded call (wav, mp3, ogg, webm, flac); a stereo file's left channel is the
      caller, the right the operator. Prints each utterance with its times (--json: all segments).
  hotline-console models list | verify [NAME] | import FOLDER|ARCHIVE | fetch NAME [--models-dir DIR]
      Speech models: fetch downloads from the model hub (HF_ENDPOINT for a mirror) on a machine with
      internet; import installs a copied folder or archive on a closed network.
  hotline-console help

Data folder: --data-dir, else $HOTLINE_CONSOLE_DATA_DIR, else the OS application-data folder.
Models folder: --models-dir, else $HOTLINE_CONSOLE_MODELS_DIR, else models/ beside the app.`;

const builtRendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

async function serve(argv: string[]): Promise<number> {
  const options = resolveRuntimeOptions(argv);
  const portText = readFlag(argv, 'port') ?? '8123';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${portText}".`);
    return 2;
  }
  const app = await createConsoleApp(options);
  if (app.status.storage.state === 'error') {
    console.error(`Storage problem (${app.status.storage.code}): ${app.status.storage.message}`);
    console.error('The console still starts so that the screen can explain it; nothing can be saved until it is fixed.');
  }
  const host = await startHost({ app, rendererDir: builtRendererDir, host: readFlag(argv, 'host') ?? '127.0.0.1', port });
  console.log(`Data folder: ${options.dataDir}`);
  console.log(`Hotline Console is ready: ${host.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await app.close();
  return 0;
}

/** Opens the console's data folder for a one-off command, runs `work`, and always closes it. */
async function withServices<T>(argv: string[], work: (services: ConsoleServices) => Promise<T>): Promise<T> {
  // A one-off command does not talk to the central platform, nor retrains an outdated category model
  // behind the user's back (`train` does it, and `draft` asks for it); the console does both when it runs.
  const app = await createConsoleApp({ ...resolveRuntimeOptions(argv), sync: { autoStart: false }, drafting: { retrainOutdatedModel: false } });
  try {
    return await work(app.services());
  } finally {
    await app.close();
  }
}

function printReport(report: ImportReport): number {
  console.log(`added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected.length}`);
  for (const rejection of report.rejected) console.log(`  rejected ${rejection.where}: ${rejection.reason}`);
  return 0;
}

function positional(argv: string[]): string | undefined {
  return positionalArguments(argv)[0];
}

async function importCommand(argv: string[], kind: 'kb' | 'cases'): Promise<number> {
  const path = positional(argv);
  if (!path) {
    console.error(kind === 'kb' ? 'Usage: hotline-console import-kb PATH' : 'Usage: hotline-console import-cases FILE.jsonl');
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`Nothing at ${path}.`);
    return 2;
  }
  const report = await withServices(argv, (services) =>
    kind === 'kb' ? importKnowledgeBase(services.database, services.index, path) : importPastCases(services.database, services.index, path),
  );
  return printReport(report);
}

async function searchCommand(argv: string[]): Promise<number> {
  const scope = argv.includes('--kb') ? 'kb' : argv.includes('--cases') ? 'cases' : 'all';
  const limit = Number(readFlag(argv, 'limit') ?? 5);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    console.error('--limit must be a whole number from 1 to 100.');
    return 2;
  }
  const input = readFlag(argv, 'input');
  const query = positional(argv);
  if (!input && query === undefined) {
    console.error('Usage: hotline-console search "QUERY" [--kb|--cases] [--limit N] [--json], or search --input QUERIES.jsonl');
    return 2;
  }
  return withServices(argv, async ({ suggestions }) => {
    if (input) {
      const lines = createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber += 1;
        if (!line.trim()) continue;
        let request: { id?: unknown; query?: unknown };
        try {
          request = JSON.parse(line) as { id?: unknown; query?: unknown };
        } catch {
          console.error(`${input}:${lineNumber}: broken JSON, skipped`);
          continue;
        }
        const results = await suggestions.query(String(request.query ?? ''), scope, limit);
        const hits = scope === 'kb' ? results.articles : results.cases;
        process.stdout.write(`${JSON.stringify({ id: request.id ?? null, hits: hits.map((hit) => ({ id: hit.id, score: Number(hit.score.toFixed(4)), category: hit.category })) })}\n`);
      }
      return 0;
    }
    const results = await suggestions.query(query ?? '', scope, limit);
    if (argv.includes('--json')) {
      console.log(JSON.stringify(results, null, 2));
      return 0;
    }
    console.log(`terms: ${results.terms.join(' ') || '(none)'}${results.prunedTerms.length ? `  (too common, left out: ${results.prunedTerms.join(' ')})` : ''}`);
    if (scope !== 'cases') {
      console.log(`\nknowledge base (${results.articles.length}):`);
      for (const hit of results.articles) console.log(`  ${hit.score.toFixed(2).padStart(7)}  ${hit.title}  [${hit.department}]  ${hit.matchedTerms.join(' ')}`);
    }
    if (scope !== 'kb') {
      console.log(`\npast cases (${results.cases.length}):`);
      for (const hit of results.cases) console.log(`  ${hit.score.toFixed(2).padStart(7)}  ${hit.id}  ${hit.category}  ${hit.title}`);
    }
    return 0;
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'import-kb':
        return await importCommand(rest, 'kb');
      case 'import-cases':
        return await importCommand(rest, 'cases');
      case 'search':
        return await searchCommand(rest);
      case 'transcribe':
        return await transcribeCommand(rest, positional(rest));
      case 'models':
        return await modelsCommand(rest);
      case 'train':
        return await withServices(rest, (services) => trainCommand(services, rest));
      case 'draft': {
        const input = readFlag(rest, 'input');
        if (!input || !existsSync(input)) {
          console.error(input ? `Nothing at ${input}.` : 'Usage: hotline-console draft --input IN.jsonl [--data-dir DIR]');
          return 2;
        }
        return await withServices(rest, (services) => draftCommand(services, input));
      }
      case 'draft-report':
        return await withServices(rest, (services) => draftReportCommand(services, rest.includes('--json')));
      case 'reindex': {
        const counts = await withServices(rest, ({ database, index }) => index.rebuild(database));
        console.log(`re-indexed ${counts.articles} articles and ${counts.cases} past cases`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error('That port is already in use: choose another with --port, or --port 0 for any free port.');
    } else {
      console.error(error instanceof Error ? error.message : String(error));
    }
    return 1;
  }
}
