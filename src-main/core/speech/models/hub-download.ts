import { open, rename, rm, stat } from 'node:fs/promises';
import { ModelStoreError, writeFailure } from './model-store-error';

export const defaultHubEndpoint = 'https://huggingface.co';

export interface DownloadOptions {
  url: string;
  /** Where the finished file goes; `${target}.partial` holds the bytes so far and survives a failed run. */
  target: string;
  /** Name reported to `onProgress` (the file's path in the model). */
  label: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null, file: string) => void;
  /** Connections tried per file before giving up (each one resumes where the last stopped). */
  attempts: number;
  retryDelayMs: number;
  headers?: Record<string, string>;
}

// Failures of the connection itself, before any answer: the machine is offline or the host unknown.
const offlineCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const code = causeCode(error);
  const message = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export function offlineError(url: string, error: unknown): ModelStoreError {
  const origin = new URL(url).origin;
  return new ModelStoreError(
    'MODEL_FETCH_OFFLINE',
    `Could not reach ${origin} (${describe(error)}). This machine seems to have no access to the model hub. ` +
      'Set HF_ENDPOINT to a reachable mirror, or on a closed network download the model on another machine ' +
      'and install it here with `hotline-console models import FOLDER_OR_ARCHIVE`.',
  );
}

function cancelled(label: string): ModelStoreError {
  return new ModelStoreError('MODEL_FETCH_CANCELLED', `Download of ${label} was cancelled; run fetch again to resume it.`, [label]);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** "bytes 100-999/1000" → { start: 100, total: 1000 } */
function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const match = header?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
  if (!match) return null;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

/**
 * Reads a response body as fast as it arrives into a queue of its own, and yields the chunks in
 * order; an error is raised only after every chunk received before it has been yielded. (The
 * disk is faster than the network, so the queue stays short.)
 */
function drainEagerly(body: ReadableStream<Uint8Array>): { chunks: AsyncGenerator<Uint8Array>; cancel: () => Promise<void> } {
  const reader = body.getReader();
  const received: Uint8Array[] = [];
  let finished = false;
  let failure: unknown = null;
  let wake = null as (() => void) | null;
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(value);
        wake?.();
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      wake?.();
    }
  })();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = received.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolveWake) => (wake = resolveWake));
        wake = null;
      }
      await pump;
      if (failure) throw failure;
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
    }
  }
  return { chunks: chunks(), cancel: () => reader.cancel().catch(() => undefined) };
}

const wait = (milliseconds: number) => new Promise((resolveWait) => setTimeout(resolveWait, milliseconds));

/**
 * Downloads one file over HTTP(S), resuming a partial file with a Range request, retrying a broken
 * connection `attempts` times. Throws ModelStoreError (offline, not found, refused, interrupted,
 * cancelled); the partial file is kept on every failure except a refusal, so the next run resumes.
 */
export async function downloadFile(options: DownloadOptions): Promise<void> {
  const { url, target, label, signal, onProgress } = options;
  const partial = `${target}.partial`;
  let lastError: unknown = null;
  let receivedAnyResponse = false;
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    if (signal?.aborted) throw cancelled(label);
    const have = await sizeOf(partial);
    let response: Response;
    try {
      response = await fetch(url, { headers: { ...options.headers, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) }, signal, redirect: 'follow' });
    } catch (error) {
      if (signal?.aborted) throw cancelled(label);
      // Nothing answered at all: retrying will not bring the network back.
      if (!receivedAnyResponse && offlineCodes.has(causeCode(error) ?? '')) throw offlineError(url, error);
      lastError = error;
      if (attempt < options.attempts) await wait(options.retryDelayMs * attempt);
      continue;
    }
    receivedAnyResponse = true;
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ModelStoreError('MODEL_FETCH_NOT_FOUND', `The model hub has no ${label} at ${url} (HTTP 404). Check the model name and revision, or the mirror set in HF_ENDPOINT.`, [label]);
    }
    if (response.status === 416 && have > 0) {
      // The partial file does not fit the file on the server (it changed, or the partial is whole): start over.
      await response.body?.cancel();
      await rm(partial, { force: true });
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new ModelStoreError('MODEL_FETCH_FAILED', `The model hub refused ${url} (HTTP ${response.status}). The repository may need a login: set HF_TOKEN, or download it elsewhere and use \`models import\`.`, [label]);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      lastError = new Error(`HTTP ${response.status} ${response.statusText}`);
      if (response.status >= 500 && attempt < options.attempts) {
        await wait(options.retryDelayMs * attempt);
        continue;
      }
      throw new ModelStoreError('MODEL_FETCH_FAILED', `The model hub answered HTTP ${response.status} for ${url}. Try again later, or use another mirror (HF_ENDPOINT).`, [label]);
    }

    const range = response.status === 206 ? parseContentRange(response.headers.get('content-range')) : null;
    const resuming = range !== null && range.start === have;
    if (response.status === 206 && !resuming) {
      // A range we did not ask for: discard the partial and ask for the whole file.
      await response.body.cancel();
      await rm(partial, { force: true });
      continue;
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const total = resuming ? range.total : Number.isFinite(length) ? length : null;
    // Start reading before anything else is awaited: when a connection breaks, the bytes that
    // arrived but were not yet read are thrown away with it, and they are the ones to keep.
    const body = drainEagerly(response.body);
    let done = resuming ? have : 0;
    const handle = await open(partial, resuming ? 'a' : 'w').catch(async (error: unknown) => {
      await body.cancel();
      throw writeFailure(error, `write ${label} into the models folder`);
    });
    try {
      onProgress?.(done, total, label);
      for await (const chunk of body.chunks) {
        await handle.write(chunk);
        done += chunk.length;
        onProgress?.(done, total, label);
        if (signal?.aborted) throw cancelled(label);
      }
    } catch (error) {
      if (signal?.aborted) throw cancelled(label);
      lastError = error;
      if (attempt < options.attempts) await wait(options.retryDelayMs * attempt);
      continue;
    } finally {
      await handle.close();
    }
    if (total !== null && done !== total) {
      lastError = new Error(`the connection closed after ${done} of ${total} bytes`);
      continue;
    }
    await rename(partial, target);
    return;
  }
  if (signal?.aborted) throw cancelled(label);
  const kept = await sizeOf(partial);
  throw new ModelStoreError(
    'MODEL_FETCH_INTERRUPTED',
    `Downloading ${label} failed ${options.attempts} times (${describe(lastError)}). ` +
      (kept > 0 ? `The ${kept} bytes received are kept: run fetch again to resume.` : 'Run fetch again when the connection is stable.'),
    [label],
  );
}
