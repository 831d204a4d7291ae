import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isMethodName,
  methodRequestSchemas,
  type AppStatus,
  type EventEnvelope,
  type FieldIssue,
  type MethodName,
  type MethodResponse,
  type Result,
  type ValidatedRequest,
} from '../contract';
import { AppError, toAppError } from './app-error';
import { CallService } from './calls/call-service';
import { CaseService } from './cases/case-service';
import { systemClock, type Clock } from './clock';
import { DraftingService, type DraftingSettings } from './drafting/drafting-service';
import { SuggestionLog } from './drafting/suggestion-log';
import { CategoryModelRegistry } from './drafting/training/category-model-registry';
import { trainInWorker } from './drafting/training/train-in-worker';
import { EventBus } from './events/event-bus';
import { loadReferenceData, type ReferenceData } from './reference';
import { ScriptPlayer } from './scripts/script-player';
import { importKnowledgeBase } from './search/importers';
import { SearchIndex } from './search/search-index';
import { Segmenter } from './search/segmenter';
import { SuggestionService } from './search/suggestion-service';
import { SpeechService } from './speech/speech-service';
import { SyncService, type SyncOptions } from './sync/sync-service';
import { SyncStore } from './sync/sync-store';
import { launchNodeSpeechWorker } from './speech/worker/node-speech-worker';
import type { SpeechWorkerLauncher } from './speech/worker/speech-worker-protocol';
import type { Database } from './storage/database';
import { databaseFileName, openStorage, type Storage } from './storage/open-storage';

export interface ConsoleAppOptions {
  /** Folder holding the database, its lock and (later) recordings. Never the install folder. */
  dataDir: string;
  /** Folder of reference data shipped with the app (category tree, sample calls...). */
  resourcesDir: string;
  /** Prefix of every case code made on this console, e.g. "HC01". */
  stationCode: string;
  operatorName: string;
  /** Administrative-division code of the area this centre serves (e.g. "11", Beijing): its places come first in address look-ups. */
  regionCode: string;
  /** Folder of installed speech models (one sub-folder per model with its manifest); without it, no speech recognition. */
  modelsDir?: string;
  /** How to start the speech worker: a worker thread unless the host (Electron) provides its own. */
  launchSpeechWorker?: SpeechWorkerLauncher;
  /** Repeat window, retraining threshold, hotspot rule; the defaults suit a municipal centre. */
  drafting?: Partial<DraftingSettings>;
  /** Sync with the central platform: intervals, concurrency, backoff; tests make them short or drive it with `syncNow()`. */
  sync?: Partial<SyncOptions>;
  clock?: Clock;
}

/** The whole console behind one generic entry point, shared by the Electron and HTTP transports. */
export interface ConsoleApp {
  /** Validates `request` against the contract, runs the method, and never throws. */
  invoke(method: string, request: unknown): Promise<Result<unknown>>;
  /** Every event for every renderer; returns the disposer. */
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
  readonly status: AppStatus;
  /** One frame of an open audio line (16-bit LE mono PCM at 16 kHz), from a transport. */
  receiveAudio(lineId: string, frame: Uint8Array): void;
  /** Whether an audio line with this id is open (transports refuse frames for any other). */
  hasOpenLine(lineId: string): boolean;
  /** Stores an uploaded file (a recorded call) for `calls.importRecording`; never throws. */
  storeUpload(chunks: AsyncIterable<Uint8Array>): Promise<Result<{ uploadId: string }>>;
  /** The services themselves, for the command line (imports, batch search); throws the storage failure. */
  services(): ConsoleServices;
  close(): Promise<void>;
}

export interface ConsoleServices {
  database: Database;
  reference: ReferenceData;
  calls: CallService;
  cases: CaseService;
  player: ScriptPlayer;
  index: SearchIndex;
  suggestions: SuggestionService;
  speech: SpeechService;
  drafting: DraftingService;
  suggestionLog: SuggestionLog;
  sync: SyncService;
}

const starterKnowledgeBaseFolder = 'knowledge-base';

/** A new console starts with the shipped sample articles, so that suggestions work from the first call. */
async function seedStarterKnowledgeBase(database: Database, index: SearchIndex, resourcesDir: string): Promise<void> {
  const folder = join(resourcesDir, starterKnowledgeBaseFolder);
  const present = await database.get<{ present: number }>('SELECT EXISTS (SELECT 1 FROM kb_articles) AS present');
  if (present?.present || !existsSync(folder)) return;
  const report = await importKnowledgeBase(database, index, folder, { sample: true });
  if (report.rejected.length > 0) console.error('starter knowledge base: rejected', report.rejected);
}

type Handlers = { [M in MethodName]: (request: ValidatedRequest<M>) => Promise<MethodResponse<M>> | MethodResponse<M> };

// Methods that work without a database, so the UI can explain a storage failure and still load.
const methodsWithoutStorage = new Set<MethodName>(['app.getStatus', 'app.retryStorage', 'reference.get', 'reference.suggestAddress', 'scripts.list', 'speech.getStatus']);

const packageVersion = (() => {
  try {
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return packageJson.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

function zodIssues(error: { issues: { path: PropertyKey[]; code: string; message: string }[] }): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), issue: issue.code, message: issue.message }));
}

/**
 * The composition root: loads reference data, opens storage, wires the services. A storage failure
 * (locked, corrupt, too new) does not stop the app: it starts in a degraded state so that the UI can
 * say what happened and what to do.
 */
export async function createConsoleApp(options: ConsoleAppOptions): Promise<ConsoleApp> {
  const clock = options.clock ?? systemClock;
  const reference = await loadReferenceData(options.resourcesDir, { preferredRegionCode: options.regionCode });
  const segmenter = await Segmenter.load(options.resourcesDir, reference.placeNames());
  const events = new EventBus();
  const databasePath = join(options.dataDir, databaseFileName);
  const station = { stationCode: options.stationCode, operatorName: options.operatorName };

  const status: AppStatus = {
    version: packageVersion,
    stationCode: options.stationCode,
    operatorName: options.operatorName,
    dataDir: options.dataDir,
    storage: { state: 'error', databasePath, code: 'STORAGE_UNAVAILABLE', message: 'Storage has not been opened yet.' },
    speech: { state: 'no-model', model: null, code: 'SPEECH_NO_MODEL', message: 'No speech model is installed; type the transcript.' },
    startedAt: clock.now().toISOString(),
  };

  let storage: Storage | undefined;
  let services: ConsoleServices | undefined;
  const stopFollowing: (() => void)[] = [];
  let storageFailure: AppError | undefined;

  let opening: Promise<AppStatus> | undefined;
  // One attempt at a time: two overlapping attempts would fight over the data-folder lock.
  function openServices(): Promise<AppStatus> {
    if (storage) return Promise.resolve(status);
    opening ??= attemptOpen().finally(() => {
      opening = undefined;
    });
    return opening;
  }

  async function attemptOpen(): Promise<AppStatus> {
    try {
      const opened = await openStorage(options.dataDir);
      const { database } = opened;
      const calls = new CallService(database, events, station, clock);
      const index = new SearchIndex(opened.reader, segmenter, clock);
      await seedStarterKnowledgeBase(database, index, options.resourcesDir).catch(async (error: unknown) => {
        await opened.close();
        throw error;
      });
      const suggestions = new SuggestionService(index, calls, events, clock);
      stopFollowing.push(suggestions.follow());
      const suggestionLog = new SuggestionLog(database, clock);
      const drafting = new DraftingService({
        database,
        calls,
        events,
        reference,
        registry: new CategoryModelRegistry(database),
        log: suggestionLog,
        clock,
        train: trainInWorker,
        findSimilarCases: async (lines) => (await suggestions.suggestFor(lines)).cases,
        settings: options.drafting,
      });
      stopFollowing.push(drafting.follow());
      const speech = new SpeechService({
        database,
        calls,
        events,
        clock,
        dataDir: options.dataDir,
        modelsDir: options.modelsDir ?? null,
        launchWorker: options.launchSpeechWorker ?? launchNodeSpeechWorker,
      });
      status.speech = speech.status;
      // Loading a model takes seconds: the console is usable meanwhile (status says "loading").
      speech.start().catch((error: unknown) => console.error('speech: starting the recogniser failed', error));
      // Confirmed cases are queued for the central platform in the transaction that confirms them.
      const syncStore = new SyncStore(database, clock);
      const sync = new SyncService({ store: syncStore, events, clock, options: options.sync });
      stopFollowing.push(sync.follow());
      storage = opened;
      services = {
        database,
        reference,
        calls,
        cases: new CaseService(database, events, calls, reference, station, clock, index, suggestionLog, syncStore),
        player: new ScriptPlayer(calls, reference, events, clock),
        index,
        suggestions,
        speech,
        drafting,
        suggestionLog,
        sync,
      };
      if (sync.settings.autoStart) sync.start();
      storageFailure = undefined;
      status.storage = { state: 'ready', databasePath, schemaVersion: storage.schemaVersion };
    } catch (error) {
      storageFailure = toAppError(error);
      status.storage = { state: 'error', databasePath, code: storageFailure.code, message: storageFailure.message };
    }
    return status;
  }
  await openServices();

  const need = () => {
    if (!services) throw storageFailure ?? new AppError('STORAGE_UNAVAILABLE', 'Storage is not open.');
    return services;
  };

  const handlers: Handlers = {
    'app.getStatus': () => status,
    'app.retryStorage': () => openServices(),
    'reference.get': () => reference.snapshot,
    'reference.suggestAddress': (request) => reference.suggestAddress(request.text, request.limit),
    'calls.start': (request) => need().calls.start(request.callerLine),
    'calls.end': (request) => {
      need().player.stop(request.callId);
      // The lines' last utterances are still recognised after the call ends; the end does not wait for them.
      void need()
        .speech.closeLinesOf(request.callId)
        .catch((error: unknown) => console.error('closing the audio lines of a call failed:', error));
      return need().calls.end(request.callId);
    },
    'calls.get': async (request) => ({ call: await need().calls.get(request.callId), segments: await need().calls.segments(request.callId) }),
    'transcript.addTyped': (request) =>
      need().calls.appendSegment({ callId: request.callId, speaker: request.speaker, text: request.text, source: 'typed' }),
    'scripts.list': () => reference.sampleCallSummaries(),
    'scripts.play': (request) => need().player.play(request.callId, request.scriptId, request.speed),
    'scripts.stop': (request) => need().player.stop(request.callId),
    'cases.saveDraft': (request) => need().cases.saveDraft(request),
    'cases.confirm': (request) => need().cases.confirm(request),
    'cases.get': (request) => need().cases.get(request.caseId),
    'cases.search': (request) => need().cases.search(request),
    'search.query': (request) => need().suggestions.query(request.query, request.scope, request.limit),
    'search.forCall': (request) => need().suggestions.forCall(request.callId),
    'drafts.forCall': (request) => need().drafting.forCall(request.callId),
    'drafts.report': () => need().suggestionLog.report(),
    'hotspots.list': (request) => need().drafting.hotspots(request.windowDays, request.minimumCases),
    'categoryModels.list': () => need().drafting.models(),
    'categoryModels.activate': (request) => need().drafting.activate(request.version),
    'speech.getStatus': () => status.speech,
    'speech.listModels': () => need().speech.listModels(),
    'speech.selectModel': (request) => need().speech.selectModel(request.name),
    'audio.openLine': (request) => need().speech.openLine(request.callId, request.speaker),
    'audio.closeLine': (request) => need().speech.closeLine(request.lineId),
    'recordings.list': (request) => need().speech.recordings(request.callId),
    'calls.importRecording': (request) => need().speech.importRecording(request.uploadId, request.fileName),
    'sync.getStatus': () => need().sync.getStatus(),
    'sync.configure': (request) => need().sync.configure(request),
    'sync.retryFailed': () => need().sync.retryFailed(),
    'sync.caseState': (request) => need().sync.caseState(request.caseId),
    'sync.caseStates': (request) => need().sync.caseStates(request.caseIds),
    'kb.get': async (request) => {
      const article = await need().index.getArticle(request.id);
      if (!article) throw new AppError('NOT_FOUND', `No knowledge-base article "${request.id}".`);
      return article;
    },
  };

  async function invoke(method: string, request: unknown): Promise<Result<unknown>> {
    if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method "${method}".` } };
    const parsed = methodRequestSchemas[method].safeParse(request ?? {});
    if (!parsed.success) {
      const fieldIssues = zodIssues(parsed.error);
      return {
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: `Invalid request for ${method}: ${fieldIssues.map((issue) => `${issue.field || '(request)'}: ${issue.message}`).join('; ')}`, fieldIssues },
      };
    }
    if (!services && !methodsWithoutStorage.has(method)) {
      return { ok: false, error: (storageFailure ?? new AppError('STORAGE_UNAVAILABLE', 'Storage is not open.')).toInfo() };
    }
    try {
      const handler = handlers[method] as (validated: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'INTERNAL') console.error(`${method} failed:`, error);
      return { ok: false, error: appError.toInfo() };
    }
  }

  return {
    invoke,
    subscribe: (listener) => events.subscribe(listener),
    status,
    services: need,
    receiveAudio: (lineId, frame) => services?.speech.receiveAudio(lineId, frame),
    hasOpenLine: (lineId) => services?.speech.hasOpenLine(lineId) ?? false,
    storeUpload: async (chunks) => {
      try {
        return { ok: true, value: await need().speech.storeUpload(chunks) };
      } catch (error) {
        return { ok: false, error: toAppError(error).toInfo() };
      }
    },
    close: async () => {
      // First, while the database is open: a delivery in flight is abandoned and its case stays waiting.
      await services?.sync.stop();
      for (const stop of stopFollowing) stop();
      services?.player.stopAll();
      await services?.speech.close();
      await services?.suggestions.stop();
      await services?.drafting.stop();
      await storage?.close();
    },
  };
}
