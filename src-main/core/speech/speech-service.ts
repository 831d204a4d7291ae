import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { AudioLine, Call, Recording, RecordingImport, Speaker, SpeechModelInfo, SpeechStatus } from '../../contract';
import { audioSampleRate, maxAudioFrameBytes, maxUploadBytes } from '../../contract';
import { AppError } from '../app-error';
import type { CallService } from '../calls/call-service';
import type { Clock } from '../clock';
import type { EventBus } from '../events/event-bus';
import type { Database } from '../storage/database';
import { openAudioFile, type AudioFileInfo } from './audio/audio-file';
import { float32ToInt16 } from './audio/pcm';
import { WavWriter } from './audio/wav-writer';
import { speakerOfChannel, transcribeFile } from './file-transcriber';
import { ModelStore, type InstalledModel } from './models/model-store';
import type { SpeechWorkerLauncher, SpeechWorkerPort, WorkerMessage } from './worker/speech-worker-protocol';

const activeModelSetting = 'speech.activeModel';
// Recognition more than this far behind the audio is reported to the operator.
const fallingBehindMs = 8_000;
// A worker that keeps dying is not restarted forever: after this many failures in a row the status
// stays in error until the operator selects a model again.
const maxRestarts = 3;
const loadTimeoutMs = 180_000;

interface OpenLine {
  line: AudioLine;
  callId: string;
  speaker: Speaker;
  recordingId: string;
  writer: WavWriter;
  /** Where this line's time 0 falls on the call's clock. */
  offsetMs: number;
  /** Frames are written in arrival order; a write error fails the line, never the call. */
  writing: Promise<void>;
  closed: Promise<void>;
  resolveClosed: () => void;
  /** Set once the line is being closed; frames after that are dropped. */
  stopped: boolean;
  closing: Promise<AudioLine> | null;
}

export interface SpeechServiceOptions {
  database: Database;
  calls: CallService;
  events: EventBus;
  clock: Clock;
  dataDir: string;
  /** Null: this console has no models folder, so no recognition (lines are still recorded). */
  modelsDir: string | null;
  launchWorker: SpeechWorkerLauncher;
}

function modelInfo(model: InstalledModel, verified: boolean | null): SpeechModelInfo | null {
  if (!model.manifest) return null;
  return {
    name: model.name,
    engine: model.manifest.engine,
    description: model.manifest.description,
    licence: model.manifest.licence,
    source: model.manifest.source,
    sizeBytes: model.manifest.files.reduce((total, file) => total + file.bytes, 0),
    verified,
  };
}

/**
 * Speech on the console's side: the audio lines of calls (recorded to WAV in the data folder and
 * streamed to the speech worker), the active model, and recognised utterances turned into
 * transcript segments through the same path as typed lines.
 */
export class SpeechService {
  private readonly store: ModelStore | null;
  private worker: SpeechWorkerPort | null = null;
  private readonly lines = new Map<string, OpenLine>();
  private nextRequestId = 1;
  private readonly pendingLoads = new Map<number, { resolve: (message: WorkerMessage) => void }>();
  private restarts = 0;
  private shuttingDown = false;
  private verifiedModels = new Map<string, boolean>();
  readonly status: SpeechStatus = { state: 'no-model', model: null, code: 'SPEECH_NO_MODEL', message: 'No speech model is installed; type the transcript.' };

  constructor(private readonly options: SpeechServiceOptions) {
    this.store = options.modelsDir ? new ModelStore(options.modelsDir) : null;
  }

  /** Loads the active (or first installed) model in a fresh worker; never throws: problems go to `status`. */
  async start(): Promise<SpeechStatus> {
    if (this.shuttingDown) return this.status;
    const models = (await this.store?.list().catch(() => [])) ?? [];
    const usable = models.filter((model) => model.manifest && !model.problem);
    if (usable.length === 0) {
      this.setStatus({ state: 'no-model', model: null, code: 'SPEECH_NO_MODEL', message: 'No speech model is installed; type the transcript. Install one with "hotline-console models import".' });
      return this.status;
    }
    const chosen = await this.options.database.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [activeModelSetting]).catch(() => undefined);
    if (this.shuttingDown) return this.status;
    const model = usable.find((candidate) => candidate.name === chosen?.value) ?? usable[0];
    return model ? this.load(model) : this.status;
  }

  async listModels(): Promise<SpeechModelInfo[]> {
    if (!this.store) return [];
    const models = await this.store.list();
    const infos: SpeechModelInfo[] = [];
    for (const model of models) {
      const verification = model.manifest ? await this.store.verify(model.name, { trustUnchanged: true }).catch(() => ({ ok: false })) : { ok: false };
      this.verifiedModels.set(model.name, verification.ok);
      const info = modelInfo(model, verification.ok);
      if (info) infos.push(info);
    }
    return infos;
  }

  async selectModel(name: string): Promise<SpeechStatus> {
    const model = (await this.store?.list())?.find((candidate) => candidate.name === name);
    if (!model?.manifest) throw new AppError('NOT_FOUND', `No installed speech model "${name}".`);
    await this.options.database.transaction((executor) =>
      executor.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [activeModelSetting, name]),
    );
    this.restarts = 0;
    return this.load(model);
  }

  private async load(model: InstalledModel): Promise<SpeechStatus> {
    const info = modelInfo(model, this.verifiedModels.get(model.name) ?? null);
    if (this.shuttingDown) return this.status;
    this.setStatus({ state: 'loading', model: info, code: null, message: `Loading ${model.name}…` });
    const worker = this.ensureWorker();
    const requestId = this.nextRequestId++;
    const outcome = await new Promise<WorkerMessage | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingLoads.delete(requestId);
        resolve(null);
      }, loadTimeoutMs);
      this.pendingLoads.set(requestId, {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
      worker.post({ kind: 'load', requestId, modelDir: model.dir });
    });
    if (outcome?.kind === 'loaded') {
      this.setStatus({ state: 'ready', model: info, code: null, message: `${outcome.modelName} is ready.` });
    } else if (outcome?.kind === 'loadFailed') {
      this.setStatus({ state: 'error', model: info, code: outcome.error.code, message: outcome.error.message });
    } else {
      this.setStatus({ state: 'error', model: info, code: 'SPEECH_WORKER_FAILED', message: `Loading ${model.name} did not finish in ${loadTimeoutMs / 1000} s; type the transcript.` });
    }
    return this.status;
  }

  private ensureWorker(): SpeechWorkerPort {
    if (this.worker) return this.worker;
    const worker = this.options.launchWorker();
    worker.onMessage((message) => this.onWorkerMessage(message));
    worker.onExit((reason) => this.onWorkerExit(worker, reason));
    this.worker = worker;
    return worker;
  }

  private onWorkerExit(worker: SpeechWorkerPort, reason: string): void {
    if (this.worker !== worker || this.shuttingDown) return;
    this.worker = null;
    for (const pending of this.pendingLoads.values()) pending.resolve({ kind: 'loadFailed', requestId: 0, error: { code: 'SPEECH_WORKER_FAILED', message: reason } });
    this.pendingLoads.clear();
    // Open lines keep recording; their recognition is over. The operator types from here.
    for (const open of this.lines.values()) {
      this.updateLine(open, { state: 'failed', recognised: false, message: 'Speech recognition stopped; the recording goes on and you can type the transcript.' });
      open.resolveClosed();
    }
    this.setStatus({ ...this.status, state: 'error', code: 'SPEECH_WORKER_FAILED', message: `Speech recognition stopped (${reason}); type the transcript.` });
    if (this.restarts < maxRestarts) {
      this.restarts += 1;
      this.start().catch((error: unknown) => console.error('speech: restarting the recogniser failed', error));
    }
  }

  private onWorkerMessage(message: WorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        return;
      case 'loaded':
      case 'loadFailed':
        this.pendingLoads.get(message.requestId)?.resolve(message);
        this.pendingLoads.delete(message.requestId);
        return;
      case 'segment': {
        const open = this.lines.get(message.lineId);
        if (!open) return;
        void this.options.calls
          .appendSegment({
            callId: open.callId,
            speaker: open.speaker,
            text: message.text.slice(0, 2000),
            source: 'asr',
            startMs: open.offsetMs + message.startMs,
            endMs: open.offsetMs + message.endMs,
            confidence: message.confidence,
          })
          .catch((error: unknown) => console.error('speech: a recognised segment could not be stored', error));
        return;
      }
      case 'partial': {
        const open = this.lines.get(message.lineId);
        if (!open) return;
        this.options.events.emit('onPartialTranscript', {
          callId: open.callId,
          lineId: message.lineId,
          speaker: open.speaker,
          startMs: open.offsetMs + message.startMs,
          endMs: open.offsetMs + message.endMs,
          text: message.text,
        });
        return;
      }
      case 'progress': {
        const open = this.lines.get(message.lineId);
        if (!open) return;
        const backlogMs = Math.max(0, Math.round(open.line.receivedMs - message.processedMs + message.queuedMs));
        const fallingBehind = backlogMs > fallingBehindMs;
        const changed = fallingBehind !== open.line.fallingBehind || message.skippedUtterances !== open.line.skippedUtterances;
        open.line.backlogMs = backlogMs;
        if (changed) this.updateLine(open, { fallingBehind, skippedUtterances: message.skippedUtterances });
        return;
      }
      case 'lineFailed': {
        const open = this.lines.get(message.lineId);
        if (open) this.updateLine(open, { state: 'failed', recognised: false, message: `${message.error.message} The recording goes on; type the transcript.` });
        return;
      }
      case 'lineClosed':
        this.lines.get(message.lineId)?.resolveClosed();
        return;
    }
  }

  async openLine(callId: string, speaker: Speaker): Promise<AudioLine> {
    const call = await this.options.calls.get(callId);
    if (call.endedAt) throw new AppError('CALL_ENDED', `Call ${callId} has ended; start a new call.`);
    const id = randomUUID();
    const recordingId = randomUUID();
    const path = join(this.options.dataDir, 'recordings', callId, `${speaker}-${id}.wav`);
    const writer = await WavWriter.create(path, { sampleRate: audioSampleRate }).catch((error: unknown) => {
      throw new AppError('STORAGE_FULL', `The recording could not be started (${error instanceof Error ? error.message : String(error)}).`);
    });
    const now = this.options.clock.now();
    const offsetMs = Math.max(0, now.getTime() - Date.parse(call.startedAt));
    await this.options.database.transaction((executor) =>
      executor.run('INSERT INTO recordings (id, call_id, speaker, path, sample_rate, offset_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        recordingId,
        callId,
        speaker,
        relative(this.options.dataDir, path),
        audioSampleRate,
        offsetMs,
        now.toISOString(),
      ]),
    );
    let resolveClosed = () => {};
    const closed = new Promise<void>((resolve) => {
      resolveClosed = resolve;
    });
    const recognised = this.status.state === 'ready' && this.worker !== null;
    const line: AudioLine = { id, callId, speaker, state: 'open', recognised, receivedMs: 0, backlogMs: 0, fallingBehind: false, skippedUtterances: 0, message: null };
    const open: OpenLine = { line, callId, speaker, recordingId, writer, offsetMs, writing: Promise.resolve(), closed, resolveClosed, stopped: false, closing: null };
    this.lines.set(id, open);
    if (recognised && this.worker) {
      this.worker.post({ kind: 'openLine', lineId: id, mode: 'live' });
    } else {
      // Recorded all the same, so that review and replay have the audio.
      line.message = 'Speech recognition is not available; this line is recorded and you can type the transcript.';
      resolveClosed();
    }
    this.options.events.emit('onAudioLineChanged', { ...line });
    return { ...line };
  }

  hasOpenLine(lineId: string): boolean {
    const open = this.lines.get(lineId);
    return open !== undefined && !open.stopped;
  }

  /** One frame from the renderer: 16-bit LE mono PCM. Bad frames fail only this line. */
  receiveAudio(lineId: string, frame: Uint8Array): void {
    const open = this.lines.get(lineId);
    if (!open || open.stopped) return;
    if (frame.byteLength === 0 || frame.byteLength % 2 !== 0 || frame.byteLength > maxAudioFrameBytes) {
      this.updateLine(open, { state: 'failed', message: `An audio frame of ${frame.byteLength} bytes was refused (16-bit mono PCM, at most 1 s a frame).` });
      return;
    }
    const copy = new Int16Array(frame.byteLength / 2);
    new Uint8Array(copy.buffer).set(frame);
    open.line.receivedMs += (copy.length / audioSampleRate) * 1000;
    open.writing = open.writing.then(() =>
      open.writer.write(copy).catch((error: unknown) => {
        this.updateLine(open, { state: 'failed', message: `The recording stopped: ${error instanceof Error ? error.message : String(error)}` });
      }),
    );
    if (open.line.state === 'open' && this.worker && this.status.state === 'ready') {
      const forWorker = copy.slice();
      this.worker.post({ kind: 'audio', lineId, pcm: forWorker }, [forWorker.buffer]);
    }
  }

  /** Stops a line: the recording is finished and the last utterance recognised. */
  closeLine(lineId: string): Promise<AudioLine> {
    const open = this.lines.get(lineId);
    if (!open) return Promise.reject(new AppError('NOT_FOUND', `No open audio line ${lineId}.`));
    open.closing ??= this.finishLine(open);
    return open.closing;
  }

  private async finishLine(open: OpenLine): Promise<AudioLine> {
    open.stopped = true; // frames still in flight from the renderer are dropped from here on
    this.worker?.post({ kind: 'closeLine', lineId: open.line.id });
    await open.writing;
    const { durationMs } = await open.writer.close();
    await this.options.database.transaction((executor) =>
      executor.run('UPDATE recordings SET duration_ms = ?, finished_at = ? WHERE id = ?', [
        Math.round(durationMs),
        this.options.clock.now().toISOString(),
        open.recordingId,
      ]),
    );
    await open.closed;
    this.lines.delete(open.line.id);
    this.updateLine(open, { state: open.line.state === 'failed' ? 'failed' : 'closed' });
    return { ...open.line };
  }

  /**
   * Stores an uploaded file under the data folder (never the install folder) for `importRecording`.
   * Anything over `maxUploadBytes` is refused and removed.
   */
  async storeUpload(chunks: AsyncIterable<Uint8Array>): Promise<{ uploadId: string }> {
    const uploadId = randomUUID();
    const path = this.uploadPath(uploadId);
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    let bytes = 0;
    try {
      for await (const chunk of chunks) {
        bytes += chunk.byteLength;
        if (bytes > maxUploadBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxUploadBytes / 2 ** 30} GiB; split the recording.`);
        await file.write(chunk);
      }
    } catch (error) {
      await file.close();
      await rm(path, { force: true });
      if (error instanceof AppError) throw error;
      throw new AppError('STORAGE_FULL', `The file could not be stored in the data folder (${error instanceof Error ? error.message : String(error)}).`);
    }
    await file.close();
    return { uploadId };
  }

  private uploadPath(uploadId: string): string {
    return join(this.options.dataDir, 'uploads', uploadId);
  }

  /**
   * A recorded call, uploaded first: checked at once (a file that cannot be read is refused with
   * the reason), then transcribed in the background into a new call of its own, its channels
   * recorded and its lines arriving as a live call's would. The call ends when the file does.
   */
  async importRecording(uploadId: string, fileName: string): Promise<Call> {
    const path = this.uploadPath(uploadId);
    if (!existsSync(path)) throw new AppError('NOT_FOUND', `No uploaded file ${uploadId}; upload the recording again.`);
    const model = this.status.state === 'ready' ? (await this.store?.list())?.find((candidate) => candidate.name === this.status.model?.name) : undefined;
    if (!model) {
      await rm(path, { force: true });
      throw new AppError('SPEECH_UNAVAILABLE', `${this.status.message} A recording can be imported once a speech model is ready.`);
    }
    let info: AudioFileInfo;
    try {
      const probe = await openAudioFile(path);
      info = probe.info;
      await probe.close();
    } catch (error) {
      await rm(path, { force: true });
      throw new AppError('AUDIO_INVALID', error instanceof Error ? error.message.replaceAll(path, fileName) : String(error));
    }
    const call = await this.options.calls.start(null);
    const progress: RecordingImport = { callId: call.id, fileName, state: 'transcribing', processedMs: 0, durationMs: info.durationMs, message: null };
    this.options.events.emit('onRecordingImportChanged', { ...progress });
    void this.transcribeImport(path, model.dir, call, progress);
    return call;
  }

  private async transcribeImport(path: string, modelDir: string, call: Call, progress: RecordingImport): Promise<void> {
    const writers: { writer: WavWriter; recordingId: string }[] = [];
    let lastReported = 0;
    try {
      await transcribeFile(path, {
        modelDir,
        launchWorker: this.options.launchWorker,
        onOpened: async (file) => {
          for (let channel = 0; channel < Math.min(2, file.channels); channel += 1) {
            const speaker = speakerOfChannel(channel);
            const recordingId = randomUUID();
            const recordingPath = join(this.options.dataDir, 'recordings', call.id, `${speaker}-imported.wav`);
            writers.push({ writer: await WavWriter.create(recordingPath, { sampleRate: audioSampleRate }), recordingId });
            await this.options.database.transaction((executor) =>
              executor.run('INSERT INTO recordings (id, call_id, speaker, path, sample_rate, offset_ms, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)', [
                recordingId,
                call.id,
                speaker,
                relative(this.options.dataDir, recordingPath),
                audioSampleRate,
                this.options.clock.now().toISOString(),
              ]),
            );
          }
        },
        onBlock: async (channels) => {
          for (const [channel, samples] of channels.entries()) await writers[channel]?.writer.write(float32ToInt16(samples));
        },
        onProgress: (sentMs) => {
          progress.processedMs = Math.round(sentMs);
          // About every ten seconds of audio: enough for a progress bar, not a flood of events.
          if (sentMs - lastReported >= 10_000) {
            lastReported = sentMs;
            this.options.events.emit('onRecordingImportChanged', { ...progress });
          }
        },
        onSegment: (segment) => {
          void this.options.calls
            .appendSegment({ callId: call.id, speaker: segment.speaker, text: segment.text.slice(0, 2000), source: 'asr', startMs: segment.startMs, endMs: segment.endMs, confidence: segment.confidence })
            .catch((error: unknown) => console.error('speech: an imported segment could not be stored', error));
        },
      });
      progress.state = 'finished';
    } catch (error) {
      progress.state = 'failed';
      progress.message = `${error instanceof Error ? error.message : String(error)} The lines transcribed so far are kept.`;
    }
    for (const { writer, recordingId } of writers) {
      const { durationMs } = await writer.close().catch(() => ({ durationMs: 0 }));
      await this.options.database
        .transaction((executor) =>
          executor.run('UPDATE recordings SET duration_ms = ?, finished_at = ? WHERE id = ?', [Math.round(durationMs), this.options.clock.now().toISOString(), recordingId]),
        )
        .catch(() => undefined);
    }
    await rm(path, { force: true });
    await this.options.calls.end(call.id).catch(() => undefined);
    this.options.events.emit('onRecordingImportChanged', { ...progress });
  }

  /** Every line of a call, when the call ends. */
  async closeLinesOf(callId: string): Promise<void> {
    const ofCall = [...this.lines.values()].filter((open) => open.callId === callId);
    await Promise.all(ofCall.map((open) => this.closeLine(open.line.id)));
  }

  async recordings(callId: string): Promise<Recording[]> {
    const rows = await this.options.database.all<{
      id: string;
      call_id: string;
      speaker: Speaker;
      path: string;
      sample_rate: number;
      duration_ms: number;
      offset_ms: number;
      created_at: string;
    }>('SELECT * FROM recordings WHERE call_id = ? ORDER BY created_at, speaker', [callId]);
    return rows.map((row) => ({
      id: row.id,
      callId: row.call_id,
      speaker: row.speaker,
      path: row.path,
      sampleRate: row.sample_rate,
      durationMs: row.duration_ms,
      offsetMs: row.offset_ms,
      createdAt: row.created_at,
    }));
  }

  async close(): Promise<void> {
    this.shuttingDown = true;
    for (const pending of this.pendingLoads.values()) {
      pending.resolve({ kind: 'loadFailed', requestId: 0, error: { code: 'SPEECH_WORKER_FAILED', message: 'The console is closing.' } });
    }
    this.pendingLoads.clear();
    await Promise.all([...this.lines.keys()].map((lineId) => this.closeLine(lineId).catch(() => undefined)));
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.post({ kind: 'shutdown' });
      await worker.terminate();
    }
  }

  private updateLine(open: OpenLine, change: Partial<AudioLine>): void {
    Object.assign(open.line, change);
    this.options.events.emit('onAudioLineChanged', { ...open.line });
  }

  private setStatus(next: SpeechStatus): void {
    Object.assign(this.status, next);
    this.options.events.emit('onSpeechStatusChanged', { ...this.status });
  }
}
