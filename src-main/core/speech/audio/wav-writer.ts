import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

// A call recording written as it is captured. The 44-byte header goes first and its two sizes are
// patched (and the file synced) every few seconds of audio and on close, so that a crash or a power
// cut leaves an ordinary playable WAV holding everything up to the last sync. (Our WAV reader also
// reads past a stale header to the end of the file, recovering even the last few seconds.)

export type WavWriteErrorCode =
  /** The disk is full, or the file system's size limit was reached. */
  | 'RECORDING_DISK_FULL'
  /** The folder or file may not be written. */
  | 'RECORDING_NOT_PERMITTED'
  /** 16-bit WAV cannot hold more than 4 GiB of audio (about 37 hours at 16 kHz mono). */
  | 'RECORDING_TOO_LONG'
  /** Written after close. */
  | 'RECORDING_CLOSED'
  | 'RECORDING_FAILED';

export class WavWriteError extends Error {
  constructor(
    readonly code: WavWriteErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WavWriteError';
  }
}

export interface WavWriterOptions {
  sampleRate: number;
  /** Interleaved channels in each `write` (1 for a call line). */
  channels?: number;
  /** How much audio may be written between header patches + syncs (default 2 s). */
  syncIntervalMs?: number;
}

const headerBytes = 44;
const bytesPerSample = 2;
const maxDataBytes = 0xffff_ffff - (headerBytes - 8);

function toWriteError(error: unknown, path: string): WavWriteError {
  if (error instanceof WavWriteError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new WavWriteError('RECORDING_DISK_FULL', `The disk holding ${path} is full; the recording stops here. Free some space for the next calls. (${detail})`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new WavWriteError('RECORDING_NOT_PERMITTED', `The recording ${path} may not be written; ask IT to restore write access to the data folder. (${detail})`, { cause: error });
  }
  return new WavWriteError('RECORDING_FAILED', `The recording ${path} could not be written: ${detail}`, { cause: error });
}

function header(sampleRate: number, channels: number, dataBytes: number): Buffer {
  const bytes = Buffer.alloc(headerBytes);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(headerBytes - 8 + dataBytes, 4);
  bytes.write('WAVE', 8, 'ascii');
  bytes.write('fmt ', 12, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20); // PCM
  bytes.writeUInt16LE(channels, 22);
  bytes.writeUInt32LE(sampleRate, 24);
  bytes.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  bytes.writeUInt16LE(channels * bytesPerSample, 32);
  bytes.writeUInt16LE(bytesPerSample * 8, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(dataBytes, 40);
  return bytes;
}

/** A 16-bit PCM WAV file written as the audio arrives, valid on disk at every sync. */
export class WavWriter {
  readonly path: string;
  readonly sampleRate: number;
  readonly channels: number;
  private readonly syncIntervalBytes: number;
  private dataBytes = 0;
  private syncedBytes = 0;
  /** Writes and the close run one after another, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private failure: WavWriteError | null = null;
  private closed: Promise<{ durationMs: number }> | null = null;

  private constructor(
    private readonly file: FileHandle,
    path: string,
    options: WavWriterOptions,
  ) {
    this.path = path;
    this.sampleRate = options.sampleRate;
    this.channels = options.channels ?? 1;
    const frameBytes = this.channels * bytesPerSample;
    const intervalMs = options.syncIntervalMs ?? 2_000;
    this.syncIntervalBytes = Math.max(frameBytes, Math.round((this.sampleRate * intervalMs) / 1000) * frameBytes);
  }

  /** Creates (or replaces) the file and its folder, and writes a valid empty WAV. */
  static async create(path: string, options: WavWriterOptions): Promise<WavWriter> {
    const channels = options.channels ?? 1;
    if (!Number.isInteger(options.sampleRate) || options.sampleRate <= 0 || !Number.isInteger(channels) || channels < 1 || channels > 8) {
      throw new RangeError(`A WAV recording needs a whole positive sample rate and 1 to 8 channels (got ${options.sampleRate} Hz, ${channels} channels).`);
    }
    let file: FileHandle | null = null;
    try {
      await mkdir(dirname(path), { recursive: true });
      file = await open(path, 'w');
      await file.write(header(options.sampleRate, channels, 0), 0, headerBytes, 0);
      await file.datasync();
      return new WavWriter(file, path, options);
    } catch (error) {
      await file?.close().catch(() => {});
      throw toWriteError(error, path);
    }
  }

  /** Seconds of audio written so far, in milliseconds. */
  get durationMs(): number {
    return (this.dataBytes / (this.channels * bytesPerSample) / this.sampleRate) * 1000;
  }

  /** Appends samples (interleaved when there are several channels). A failure is final: later writes fail with it. */
  write(pcm: Int16Array): Promise<void> {
    if (this.closed) return Promise.reject(new WavWriteError('RECORDING_CLOSED', `The recording ${this.path} is closed; open a new one to record more.`));
    if (pcm.length % this.channels !== 0) {
      return Promise.reject(new RangeError(`${pcm.length} samples do not make whole frames of ${this.channels} channels.`));
    }
    const task = this.queue.then(() => this.append(pcm));
    this.queue = task.catch(() => {});
    return task;
  }

  /**
   * Writes the final sizes and closes the file; later calls return the same result. After a failed
   * write the header still gets the sizes of what was written, so the file keeps what was recorded.
   * Rejects only when that final header cannot be written.
   */
  close(): Promise<{ durationMs: number }> {
    this.closed ??= this.queue.then(async () => {
      try {
        await this.sync();
      } catch (error) {
        throw toWriteError(error, this.path);
      } finally {
        await this.file.close().catch(() => {});
      }
      return { durationMs: this.durationMs };
    });
    return this.closed;
  }

  private async append(pcm: Int16Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (pcm.length === 0) return;
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    if (this.dataBytes + bytes.length > maxDataBytes) {
      this.failure = new WavWriteError('RECORDING_TOO_LONG', `The recording ${this.path} reached the 4 GiB limit of a WAV file; what was recorded so far is kept.`);
      throw this.failure;
    }
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, headerBytes + this.dataBytes + written);
        written += bytesWritten;
      }
      this.dataBytes += written;
      if (this.dataBytes - this.syncedBytes >= this.syncIntervalBytes) await this.sync();
    } catch (error) {
      this.failure = toWriteError(error, this.path);
      throw this.failure;
    }
  }

  /** Patches the RIFF and data sizes to cover what is written, then makes it durable. */
  private async sync(): Promise<void> {
    const sizes = header(this.sampleRate, this.channels, this.dataBytes);
    await this.file.write(sizes, 4, 4, 4);
    await this.file.write(sizes, 40, 4, 40);
    await this.file.datasync();
    this.syncedBytes = this.dataBytes;
  }
}
