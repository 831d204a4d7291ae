import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSpeechEngine } from '../../../../src-main/core/speech/engine/speech-engine';
import { modelCatalogue } from '../../../../src-main/core/speech/models/model-catalogue';
import { ModelStore } from '../../../../src-main/core/speech/models/model-store';
import { ensureTinyWhisper, tinyWhisperSentence } from '../../../support/tiny-whisper';
import { expectStoreError } from '../../../support/model-store-errors';

// A real HTTP server stands in for the model hub: it serves the tiny model's files at the hub's
// paths (/<repository>/resolve/<revision>/<file>), honours Range requests, and can be told to
// break a connection halfway through a file or to answer 404.

interface Fault {
  /** Send this many bytes of the file, then destroy the connection. */
  cutAfterBytes?: number;
  /** How many requests the fault applies to (default: every one). */
  times?: number;
  notFound?: boolean;
}

interface SeenRequest {
  file: string;
  range: string | null;
}

class FakeHub {
  readonly requests: SeenRequest[] = [];
  readonly faults = new Map<string, Fault>();
  private server!: Server;

  constructor(
    private readonly modelDir: string,
    private readonly repository: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolveListen) => this.server.listen(0, '127.0.0.1', resolveListen));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolveClose) => this.server.close(resolveClose));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const prefix = `/${this.repository}/resolve/main/`;
    const path = decodeURIComponent(request.url ?? '');
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    const file = path.slice(prefix.length);
    this.requests.push({ file, range: request.headers.range ?? null });
    const fault = this.faults.get(file);
    if (fault && fault.times !== undefined) {
      if (fault.times <= 0) this.faults.delete(file);
      else fault.times -= 1;
    }
    const active = this.faults.has(file) ? fault : undefined;
    const body = await readFile(join(this.modelDir, file)).catch(() => null);
    if (!body || active?.notFound) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const range = request.headers.range?.match(/^bytes=(\d+)-$/);
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length && range) {
      response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'content-length': String(part.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (active?.cutAfterBytes !== undefined && active.cutAfterBytes < part.length) {
      response.write(part.subarray(0, active.cutAfterBytes), () => response.destroy());
      return;
    }
    response.end(part);
  }
}

const entry = modelCatalogue.find((candidate) => candidate.name === 'whisper-tiny')!;
const bigFile = 'onnx/decoder_model_merged.onnx';
let tinyDir: string;
let hub: FakeHub;
let root: string;
let modelsDir: string;
const savedEndpoint = process.env.HF_ENDPOINT;

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

const installedNames = async () => (await new ModelStore(modelsDir).list()).map((model) => model.name);

beforeAll(async () => {
  tinyDir = await ensureTinyWhisper();
}, 120_000);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-fetch-'));
  modelsDir = join(root, 'models');
  hub = new FakeHub(tinyDir, entry.repository);
  await hub.start();
  process.env.HF_ENDPOINT = hub.endpoint;
});

afterEach(async () => {
  await hub.stop();
  await rm(root, { recursive: true, force: true });
});

afterAll(() => {
  if (savedEndpoint === undefined) delete process.env.HF_ENDPOINT;
  else process.env.HF_ENDPOINT = savedEndpoint;
});

describe('ModelStore.fetch', () => {
  it('downloads the catalogue files from HF_ENDPOINT, writes the manifest, and the model loads and transcribes', async () => {
    const progress = new Map<string, { done: number; total: number | null }>();
    const store = new ModelStore(modelsDir);
    const installed = await store.fetch('whisper-tiny', { onProgress: (done, total, file) => progress.set(file, { done, total }) });

    expect(installed.problem).toBeNull();
    expect(hub.requests.map((request) => request.file).sort()).toEqual([...entry.files].sort());
    const manifest = installed.manifest!;
    expect(manifest.name).toBe('whisper-tiny');
    expect(manifest.licence).toMatch(/^MIT/);
    expect(manifest.source).toBe(`${hub.endpoint}/onnx-community/whisper-tiny (revision main)`);
    for (const file of entry.files) {
      const listed = manifest.files.find((candidate) => candidate.path === file)!;
      expect(listed.sha256).toBe(await sha256(join(tinyDir, file)));
      const size = (await stat(join(tinyDir, file))).size;
      expect(progress.get(file)).toEqual({ done: size, total: size });
    }
    expect(await store.verify('whisper-tiny')).toEqual({ ok: true, problems: [] });
    expect(await readdir(modelsDir)).toEqual(['whisper-tiny']);

    const engine = await loadSpeechEngine(installed.dir);
    try {
      const recognition = await engine.transcribe(new Float32Array(16_000 * 2));
      expect(recognition.text).toBe(tinyWhisperSentence);
    } finally {
      await engine.dispose();
    }
  });

  it('resumes a file whose connection broke, with a Range request from the bytes already received', async () => {
    hub.faults.set(bigFile, { cutAfterBytes: 100_000, times: 1 });
    const installed = await new ModelStore(modelsDir, { retryDelayMs: 0 }).fetch('whisper-tiny');

    const bigRequests = hub.requests.filter((request) => request.file === bigFile);
    expect(bigRequests.map((request) => request.range)).toEqual([null, 'bytes=100000-']);
    expect(installed.manifest!.files.find((file) => file.path === bigFile)!.sha256).toBe(await sha256(join(tinyDir, bigFile)));
    expect(installed.problem).toBeNull();
  });

  it('keeps the partial file when every retry fails, installs nothing, and the next fetch resumes it', async () => {
    hub.faults.set(bigFile, { cutAfterBytes: 50_000 });
    const error = await expectStoreError(new ModelStore(modelsDir, { retryDelayMs: 0, downloadAttempts: 2 }).fetch('whisper-tiny'), 'MODEL_FETCH_INTERRUPTED');
    expect(error.files).toEqual([bigFile]);
    expect(error.message).toMatch(/kept: run fetch again to resume/);
    expect(await installedNames()).toEqual([]);
    expect(hub.requests.filter((request) => request.file === bigFile).map((request) => request.range)).toEqual([null, 'bytes=50000-']);

    // The connection is good again: only the rest of the broken file is asked for; finished files are not fetched again.
    hub.faults.clear();
    hub.requests.length = 0;
    const installed = await new ModelStore(modelsDir, { retryDelayMs: 0 }).fetch('whisper-tiny');
    expect(hub.requests).toEqual([{ file: bigFile, range: 'bytes=100000-' }]);
    expect(installed.manifest!.files.find((file) => file.path === bigFile)!.sha256).toBe(await sha256(join(tinyDir, bigFile)));
    expect(await readdir(modelsDir)).toEqual(['whisper-tiny']);
  });

  it('reports a file the hub does not have (404), naming it, and installs nothing', async () => {
    hub.faults.set('tokenizer.json', { notFound: true });
    const error = await expectStoreError(new ModelStore(modelsDir, { retryDelayMs: 0 }).fetch('whisper-tiny'), 'MODEL_FETCH_NOT_FOUND');
    expect(error.files).toEqual(['tokenizer.json']);
    expect(error.message).toContain(`${hub.endpoint}/onnx-community/whisper-tiny/resolve/main/tokenizer.json`);
    expect(error.message).toContain('404');
    expect(await installedNames()).toEqual([]);
  });

  it('says there is no network and points to models import when the hub cannot be reached', async () => {
    const endpoint = hub.endpoint;
    await hub.stop();
    process.env.HF_ENDPOINT = endpoint;
    const error = await expectStoreError(new ModelStore(modelsDir, { retryDelayMs: 0 }).fetch('whisper-base'), 'MODEL_FETCH_OFFLINE');
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain('models import');
    await hub.start();
  });

  it('stops when cancelled and keeps what it has for the next run', async () => {
    const controller = new AbortController();
    const store = new ModelStore(modelsDir, { retryDelayMs: 0 });
    const error = await expectStoreError(
      store.fetch('whisper-tiny', {
        signal: controller.signal,
        onProgress: (done, _total, file) => {
          if (file === bigFile && done > 0) controller.abort();
        },
      }),
      'MODEL_FETCH_CANCELLED',
    );
    expect(error.message).toContain(bigFile);
    expect(await installedNames()).toEqual([]);
    expect(existsSync(join(modelsDir, '.fetching-whisper-tiny', 'config.json'))).toBe(true);
  });

  it('names the models it knows when asked for another', async () => {
    const error = await expectStoreError(new ModelStore(modelsDir).fetch('whisper-huge'), 'MODEL_UNKNOWN');
    expect(error.message).toContain('whisper-base');
    expect(error.message).toContain('models import');
  });

  it('refuses to fetch over an installed model', async () => {
    const store = new ModelStore(modelsDir);
    await store.fetch('whisper-tiny');
    hub.requests.length = 0;
    await expectStoreError(store.fetch('whisper-tiny'), 'MODEL_EXISTS');
    expect(hub.requests).toEqual([]);
  });
});
