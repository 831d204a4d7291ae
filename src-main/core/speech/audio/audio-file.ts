import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { AudioFileError, supportedAudioFormats } from './audio-file-error';
import { identifyAudio, type CompressedDecoderName, type IdentifiedAudio } from './audio-format';
import { StreamingResampler } from './resampler';
import { WavParser, readWavFile } from './wav-reader';

// Any recorded call → 16 kHz Float32, one array per channel, about a second at a time, streamed:
// the file is read 64 KiB at a time and decoded as it is read (our WAV reader; audio-decode's WASM
// decoders for MP3, Ogg Vorbis/Opus/FLAC, FLAC and WebM, each of which decodes chunk by chunk), so a
// three-hour recording needs no more memory than a three-minute one. A stereo file's channels stay
// apart: they are the two sides of the call.

export { AudioFileError, supportedAudioFormats, type AudioFileErrorCode } from './audio-file-error';

export interface AudioFileInfo {
  format: 'wav' | 'mp3' | 'ogg' | 'webm' | 'flac' | string;
  /** What is inside the container: pcm, float, alaw, mulaw, mp3, vorbis, opus, flac (for WebM, its audio track's codec). */
  codec: string;
  channels: number;
  sourceSampleRate: number;
  /** From the file's headers; null where the format does not record it (e.g. a browser's WebM). */
  durationMs: number | null;
}

export interface OpenAudioFileOptions {
  /** Length of each block given out (default 1000 ms). */
  blockMs?: number;
  /** Longer audio is refused with AUDIO_TOO_LONG (default 12 hours). */
  maxDurationMs?: number;
}

export interface OpenedAudioFile {
  info: AudioFileInfo;
  /** The audio at 16 kHz: one Float32Array per channel per block. Iterate once. */
  blocks(): AsyncIterable<Float32Array[]>;
  /** Releases the file and decoder when the blocks are not read to the end. */
  close(): Promise<void>;
}

export const outputSampleRate = 16_000;
const readChunkBytes = 1 << 16;
const defaultMaxDurationMs = 12 * 3600_000;

/** A piece of decoded audio at the file's own rate. */
interface DecodedPiece {
  channels: Float32Array[];
  sampleRate: number;
}

function fileSystemError(error: unknown, path: string): AudioFileError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AudioFileError('AUDIO_NOT_FOUND', `There is no file at ${path}; check the path.`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') return new AudioFileError('AUDIO_NOT_FOUND', `${path} may not be read (permission denied); copy it somewhere readable or ask IT.`, { cause: error });
  if (code === 'EISDIR') return new AudioFileError('AUDIO_NOT_FOUND', `${path} is a folder, not an audio file.`, { cause: error });
  return new AudioFileError('AUDIO_CORRUPT', `${path} could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

async function readEnds(path: string, size: number): Promise<{ head: Uint8Array; tail: Uint8Array }> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(Math.min(size, readChunkBytes));
    await file.read(head, 0, head.length, 0);
    const tailLength = Math.min(size, readChunkBytes);
    const tail = new Uint8Array(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    return { head, tail };
  } finally {
    await file.close();
  }
}

/** The WAV's format and length from its header, checked before any audio is read. */
function wavHeader(path: string, head: Uint8Array, fileSize: number): IdentifiedAudio {
  const parser = new WavParser();
  parser.push(head);
  const format = parser.format;
  if (!format || format.dataOffset === 0) {
    // The whole header did not fit in the first read, or the file ends in it: let end() say which.
    if (head.length === fileSize) parser.end();
    throw new AudioFileError('AUDIO_CORRUPT', `The WAV header of ${path} could not be read: it is damaged, or longer than 64 KiB.`);
  }
  const audioBytes = format.sizesTrusted ? format.declaredDataBytes! : Math.max(0, fileSize - format.dataOffset);
  const frames = Math.floor(audioBytes / format.blockAlign);
  return { format: 'wav', codec: format.encoding, decoder: 'wav', channels: format.channels, sampleRate: format.sampleRate, durationMs: (frames / format.sampleRate) * 1000 };
}

async function* wavPieces(path: string): AsyncGenerator<DecodedPiece> {
  for await (const block of readWavFile(path, { chunkBytes: readChunkBytes })) yield { channels: block.channels, sampleRate: block.format.sampleRate };
}

function decoderFailure(error: unknown, identified: IdentifiedAudio, path: string): AudioFileError {
  if (error instanceof AudioFileError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (/not supported|unsupported|no decoder/i.test(detail)) {
    return new AudioFileError('AUDIO_UNSUPPORTED', `${path} is ${identified.format.toUpperCase()} with an encoding that cannot be decoded (${detail}). Supported: ${supportedAudioFormats}.`, { cause: error });
  }
  return new AudioFileError('AUDIO_CORRUPT', `${path} could not be decoded as ${identified.format.toUpperCase()}: the file is damaged (${detail}).`, { cause: error });
}

async function* compressedPieces(path: string, identified: IdentifiedAudio, decoderName: CompressedDecoderName): AsyncGenerator<DecodedPiece> {
  // Loaded on first use: the WASM decoders are only needed for compressed files.
  const { default: decode } = await import('audio-decode');
  const decodeChunk = await decode[decoderName]();
  const stream = createReadStream(path, { highWaterMark: readChunkBytes });
  const channelCount = identified.channels;
  // audio-decode collapses an MP3 whose channels are identical so far (e.g. a stereo call that
  // opens in silence) to mono, and widens again later; the header's channel count is the truth.
  const normalise = (channels: Float32Array[]): Float32Array[] => {
    if (channelCount === null || channels.length === channelCount) return channels;
    if (channels.length > channelCount) return channels.slice(0, channelCount);
    return Array.from({ length: channelCount }, (_, index) => channels[index] ?? channels[0]!);
  };
  let finished = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let decoded;
      try {
        decoded = await decodeChunk(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (error) {
        throw decoderFailure(error, identified, path);
      }
      if (decoded.channelData.length > 0 && decoded.channelData[0]!.length > 0) yield { channels: normalise(decoded.channelData), sampleRate: decoded.sampleRate };
    }
    let last;
    try {
      last = await decodeChunk();
      finished = true;
    } catch (error) {
      throw decoderFailure(error, identified, path);
    }
    if (last.channelData.length > 0 && last.channelData[0]!.length > 0) yield { channels: normalise(last.channelData), sampleRate: last.sampleRate };
  } catch (error) {
    throw error instanceof AudioFileError ? error : fileSystemError(error, path);
  } finally {
    stream.destroy();
    if (!finished) decodeChunk.free();
  }
}

/**
 * Opens a recording: checks that it exists, tells its format from its bytes, and reads enough to
 * know its channels and sample rate. Throws AudioFileError (not found, unsupported, corrupt, empty,
 * too long) with a message that says what to do.
 */
export async function openAudioFile(path: string, options: OpenAudioFileOptions = {}): Promise<OpenedAudioFile> {
  const blockSamples = Math.max(1, Math.round(((options.blockMs ?? 1000) * outputSampleRate) / 1000));
  const maxDurationMs = options.maxDurationMs ?? defaultMaxDurationMs;

  let size: number;
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = stats.size;
  } catch (error) {
    throw fileSystemError(error, path);
  }
  if (size === 0) throw new AudioFileError('AUDIO_EMPTY', `${path} is empty (0 bytes): it contains no audio.`);

  let ends: { head: Uint8Array; tail: Uint8Array };
  try {
    ends = await readEnds(path, size);
  } catch (error) {
    throw fileSystemError(error, path);
  }
  const identification = identifyAudio(ends.head, ends.tail, size);
  if (!identification.supported) {
    throw new AudioFileError('AUDIO_UNSUPPORTED', `${path} is ${identification.description}, which cannot be transcribed. Supported: ${supportedAudioFormats}.`);
  }
  const identified = identification.audio.decoder === 'wav' ? wavHeader(path, ends.head, size) : identification.audio;
  if (identified.durationMs === 0) throw new AudioFileError('AUDIO_EMPTY', `${path} is a valid ${identified.format.toUpperCase()} file that contains no audio (0 seconds).`);
  const tooLong = (durationMs: number) =>
    new AudioFileError('AUDIO_TOO_LONG', `${path} is ${formatDuration(durationMs)} long; at most ${formatDuration(maxDurationMs)} can be transcribed at once. Split the recording into shorter files.`);
  if (identified.durationMs !== null && identified.durationMs > maxDurationMs) throw tooLong(identified.durationMs);

  const pieces = identified.decoder === 'wav' ? wavPieces(path) : compressedPieces(path, identified, identified.decoder);
  // Decode up to the first audio now, so that the channels and rate are known and a file that
  // holds nothing decodable fails here rather than half-way through a transcription.
  let first: IteratorResult<DecodedPiece>;
  try {
    first = await pieces.next();
  } catch (error) {
    await pieces.return(undefined).catch(() => {});
    throw error instanceof AudioFileError ? error : fileSystemError(error, path);
  }
  if (first.done) {
    // The header promised audio (or said nothing) but none could be decoded.
    if (identified.decoder === 'wav') throw new AudioFileError('AUDIO_EMPTY', `${path} is a valid WAV file that contains no audio (0 seconds).`);
    throw new AudioFileError('AUDIO_CORRUPT', `${path} looks like ${identified.format.toUpperCase()} but no audio could be decoded from it: it is damaged or cut short.`);
  }
  const info: AudioFileInfo = {
    format: identified.format,
    codec: identified.codec ?? 'unknown',
    channels: first.value.channels.length,
    sourceSampleRate: first.value.sampleRate,
    durationMs: identified.durationMs,
  };

  let started = false;
  async function* blocks(): AsyncGenerator<Float32Array[]> {
    if (started) throw new Error('The blocks of an opened audio file can be read only once; open the file again.');
    started = true;
    const channelCount = info.channels;
    let resamplers: StreamingResampler[] | null = null;
    let rate = 0;
    let sourceSamples = 0;
    const pending = Array.from({ length: channelCount }, () => new Float32Array(blockSamples));
    let filled = 0;

    function* collect(outputs: Float32Array[]): Generator<Float32Array[]> {
      let consumed = 0;
      const length = outputs[0]!.length;
      while (consumed < length) {
        const count = Math.min(blockSamples - filled, length - consumed);
        for (let channel = 0; channel < channelCount; channel += 1) pending[channel]!.set(outputs[channel]!.subarray(consumed, consumed + count), filled);
        filled += count;
        consumed += count;
        if (filled === blockSamples) {
          yield pending.map((channel) => channel.slice());
          filled = 0;
        }
      }
    }

    try {
      for (let piece: DecodedPiece | undefined = first.value; piece; ) {
        if (piece.sampleRate !== rate) {
          // A new rate (chained streams): finish the old resamplers so that no sample is lost.
          if (resamplers) yield* collect(resamplers.map((resampler) => resampler.flush()));
          rate = piece.sampleRate;
          resamplers = Array.from({ length: channelCount }, () => new StreamingResampler(rate, outputSampleRate));
        }
        sourceSamples += piece.channels[0]!.length;
        if ((sourceSamples / rate) * 1000 > maxDurationMs) throw tooLong((sourceSamples / rate) * 1000);
        const current = resamplers!;
        const channels = piece.channels;
        yield* collect(current.map((resampler, channel) => resampler.process(channels[channel] ?? channels[0]!)));
        const next = await pieces.next();
        piece = next.done ? undefined : next.value;
      }
      if (resamplers) yield* collect(resamplers.map((resampler) => resampler.flush()));
      if (filled > 0) yield pending.map((channel) => channel.slice(0, filled));
    } finally {
      await pieces.return(undefined);
    }
  }

  return {
    info,
    blocks,
    close: async () => {
      await pieces.return(undefined);
    },
  };
}

function formatDuration(durationMs: number): string {
  const seconds = Math.round(durationMs / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
