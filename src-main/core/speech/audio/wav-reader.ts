import { createReadStream } from 'node:fs';
import { AudioFileError } from './audio-file-error';

// A WAV parser fed byte chunks of any size, giving samples as soon as whole frames arrive, so a
// three-hour recording never sits in memory. It reads what real recorders write: PCM 8/16/24/32-bit,
// 32/64-bit float, G.711 A-law and μ-law (telephone systems), WAVE_FORMAT_EXTENSIBLE, LIST and other
// chunks before or after the audio, odd-sized chunks with their pad byte, and a header left stale by
// a recorder that crashed (data size 0, or smaller than what follows, or larger than the file): the
// audio is then read to the end of the file.

export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavFormat {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  /** Bits per sample as stored (the container size). */
  bitsPerSample: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** The data chunk's declared size, or null where it says nothing usable (0 or 0xFFFFFFFF). */
  declaredDataBytes: number | null;
  /** Where the audio starts in the file. */
  dataOffset: number;
  /**
   * Whether the header's sizes can be believed: false when the data chunk is declared the last
   * thing in the file (or has no size), where a recorder that stopped abruptly may have written
   * more than it declared; the audio then runs to the end of the file.
   */
  sizesTrusted: boolean;
}

const formatTags: Record<number, WavEncoding> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw' };
const extensibleTag = 0xfffe;
const unknownSize = 0xffff_ffff;

type State =
  | { kind: 'riff' }
  | { kind: 'chunk-header' }
  | { kind: 'skip'; remaining: number }
  | { kind: 'fmt'; size: number }
  | { kind: 'data'; remaining: number }
  /** At the declared end of a data chunk that the header says is the last: more audio, or a chunk? */
  | { kind: 'after-data' };

const corrupt = (message: string) => new AudioFileError('AUDIO_CORRUPT', message);

function isChunkId(bytes: Uint8Array, offset: number): boolean {
  for (let index = offset; index < offset + 4; index += 1) {
    const byte = bytes[index]!;
    const isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    if (!isAlphanumeric && byte !== 0x20 && byte !== 0x5f) return false;
  }
  return true;
}

function decodeMulaw(byte: number): number {
  const value = ~byte & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = ((((value & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  // `+ 0` turns the negative zero of code 0x7F into plain silence.
  return (value & 0x80 ? -magnitude : magnitude) / 32768 + 0;
}

function decodeAlaw(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  let magnitude = (value & 0x0f) << 4;
  magnitude = exponent === 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
  return (value & 0x80 ? magnitude : -magnitude) / 32768;
}

const mulawTable = Float32Array.from({ length: 256 }, (_, byte) => decodeMulaw(byte));
const alawTable = Float32Array.from({ length: 256 }, (_, byte) => decodeAlaw(byte));

export class WavParser {
  format: WavFormat | null = null;
  private state: State = { kind: 'riff' };
  private pending: Uint8Array = new Uint8Array(0);
  /** Bytes consumed so far (the position in the file of pending[0]). */
  private offset = 0;
  private riffEnd = 0;
  private sawData = false;
  private framesDecoded = 0;

  /** Samples decoded so far, per channel. */
  get frames(): number {
    return this.framesDecoded;
  }

  /** Feeds the next bytes of the file; returns the samples (one array per channel) they completed. */
  push(bytes: Uint8Array): Float32Array[] {
    this.pending = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    const decoded: Float32Array[][] = [];
    for (;;) {
      const progressed = this.step(decoded);
      if (!progressed) break;
    }
    // The caller may reuse its buffer: keep our own copy of the few bytes still waiting.
    if (this.pending.length > 0 && this.pending.buffer === bytes.buffer) this.pending = this.pending.slice();
    return joinChannels(decoded, this.format?.channels ?? 0);
  }

  /** End of file: checks that the file held a format and audio. A last partial frame is dropped. */
  end(): void {
    if (this.state.kind === 'riff') {
      throw corrupt(this.offset + this.pending.length === 0 ? 'The file is empty (0 bytes).' : 'The file is cut short: it ends inside the WAV header.');
    }
    if (!this.format) throw corrupt('The WAV file has no format chunk ("fmt "), so its audio cannot be interpreted.');
    if (!this.sawData) throw corrupt('The WAV file has no audio data chunk; it may have been cut short.');
  }

  private consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.offset += count;
  }

  /** One parsing step on the pending bytes; false when more bytes are needed. */
  private step(decoded: Float32Array[][]): boolean {
    const bytes = this.pending;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const state = this.state;
    switch (state.kind) {
      case 'riff': {
        if (bytes.length < 12) return false;
        const id = ascii(bytes, 0);
        if (id === 'RF64') throw new AudioFileError('AUDIO_UNSUPPORTED', 'This is an RF64 (over 4 GiB) WAV file, which is not supported; split it or convert it to FLAC.');
        if (id !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw corrupt('This is not a WAV file: it does not start with RIFF…WAVE.');
        const riffSize = view.getUint32(4, true);
        this.riffEnd = riffSize === 0 || riffSize === unknownSize ? 0 : riffSize + 8;
        this.consume(12);
        this.state = { kind: 'chunk-header' };
        return true;
      }
      case 'chunk-header': {
        if (bytes.length < 8) return false;
        const id = ascii(bytes, 0);
        const size = view.getUint32(4, true);
        this.consume(8);
        if (id === 'fmt ') {
          if (size < 16 || size > 1024) throw corrupt(`The WAV format chunk has an impossible size (${size} bytes).`);
          this.state = { kind: 'fmt', size };
        } else if (id === 'data') {
          if (!this.format) throw corrupt('The WAV audio data comes before its format chunk, so it cannot be interpreted.');
          this.sawData = true;
          const unbounded = size === 0 || size === unknownSize;
          this.format.declaredDataBytes = unbounded ? null : size;
          this.format.dataOffset = this.offset;
          this.format.sizesTrusted = !unbounded && this.riffEnd > this.offset + size + (size % 2);
          this.state = { kind: 'data', remaining: unbounded ? Number.POSITIVE_INFINITY : size };
        } else {
          this.state = { kind: 'skip', remaining: size + (size % 2) };
        }
        return true;
      }
      case 'skip': {
        const count = Math.min(state.remaining, bytes.length);
        this.consume(count);
        state.remaining -= count;
        if (state.remaining > 0) return false;
        this.state = { kind: 'chunk-header' };
        return true;
      }
      case 'fmt': {
        const padded = state.size + (state.size % 2);
        if (bytes.length < padded) return false;
        this.format = parseFormat(view, state.size);
        this.consume(padded);
        this.state = { kind: 'chunk-header' };
        return true;
      }
      case 'data': {
        const format = this.format!;
        const usable = Math.min(bytes.length, state.remaining);
        const frames = Math.floor(usable / format.blockAlign);
        if (frames > 0) {
          decoded.push(decodeFrames(bytes, frames, format));
          this.framesDecoded += frames;
          this.consume(frames * format.blockAlign);
          state.remaining -= frames * format.blockAlign;
        }
        if (state.remaining >= format.blockAlign) return false;
        // The declared data is all read (a stray partial frame is skipped with its pad byte).
        const leftover = state.remaining + ((format.declaredDataBytes ?? 0) % 2);
        if (bytes.length - frames * format.blockAlign < leftover) return false;
        this.consume(leftover);
        const dataIsLast = this.riffEnd === 0 || this.riffEnd <= this.offset;
        this.state = dataIsLast ? { kind: 'after-data' } : { kind: 'chunk-header' };
        return true;
      }
      case 'after-data': {
        if (bytes.length < 8) return false;
        // A recorder that crashed leaves more audio than its header declares; a real chunk starts with a name.
        this.state = isChunkId(bytes, 0) ? { kind: 'chunk-header' } : { kind: 'data', remaining: Number.POSITIVE_INFINITY };
        return true;
      }
    }
  }
}

function ascii(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

function parseFormat(view: DataView, size: number): WavFormat {
  let tag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  const bitsPerSample = view.getUint16(14, true);
  if (tag === extensibleTag) {
    // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
    if (size < 40) throw corrupt('The WAV extensible format chunk is too short to name its sub-format.');
    tag = view.getUint16(24, true);
  }
  const encoding = formatTags[tag];
  if (!encoding) {
    throw new AudioFileError('AUDIO_UNSUPPORTED', `This WAV file holds audio encoded with format code ${tag} (e.g. ADPCM or GSM), which is not supported; convert it to PCM WAV, FLAC or MP3.`);
  }
  if (channels < 1 || channels > 32) throw corrupt(`The WAV file declares ${channels} channels.`);
  if (sampleRate < 1000 || sampleRate > 768_000) throw corrupt(`The WAV file declares a sample rate of ${sampleRate} Hz.`);
  const supportedBits: Record<WavEncoding, number[]> = { pcm: [8, 16, 24, 32], float: [32, 64], alaw: [8], mulaw: [8] };
  if (!supportedBits[encoding].includes(bitsPerSample)) {
    throw new AudioFileError('AUDIO_UNSUPPORTED', `${bitsPerSample}-bit ${encoding} WAV audio is not supported (PCM 8/16/24/32-bit, float 32/64-bit, A-law and μ-law are).`);
  }
  const expectedAlign = (bitsPerSample / 8) * channels;
  // Some writers leave blockAlign 0 or wrong; the frame size follows from the other fields.
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign: blockAlign === expectedAlign ? blockAlign : expectedAlign, declaredDataBytes: null, dataOffset: 0, sizesTrusted: false };
}

function decodeFrames(bytes: Uint8Array, frames: number, format: WavFormat): Float32Array[] {
  const { channels, bitsPerSample, encoding } = format;
  const view = new DataView(bytes.buffer, bytes.byteOffset, frames * format.blockAlign);
  const output = Array.from({ length: channels }, () => new Float32Array(frames));
  const bytesPerSample = bitsPerSample / 8;
  let position = 0;
  for (let frame = 0; frame < frames; frame += 1) {
    for (let channel = 0; channel < channels; channel += 1) {
      let value: number;
      if (encoding === 'pcm') {
        if (bitsPerSample === 16) value = view.getInt16(position, true) / 32768;
        else if (bitsPerSample === 8) value = (view.getUint8(position) - 128) / 128;
        else if (bitsPerSample === 24) value = ((view.getUint8(position + 2) << 24) | (view.getUint16(position, true) << 8)) / 2147483648;
        else value = view.getInt32(position, true) / 2147483648;
      } else if (encoding === 'float') {
        value = bitsPerSample === 32 ? view.getFloat32(position, true) : view.getFloat64(position, true);
      } else {
        value = (encoding === 'mulaw' ? mulawTable : alawTable)[view.getUint8(position)]!;
      }
      output[channel]![frame] = value;
      position += bytesPerSample;
    }
  }
  return output;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

function joinChannels(pieces: Float32Array[][], channels: number): Float32Array[] {
  if (pieces.length === 1) return pieces[0]!;
  const length = pieces.reduce((total, piece) => total + piece[0]!.length, 0);
  return Array.from({ length: channels }, (_, channel) => {
    const joined = new Float32Array(length);
    let offset = 0;
    for (const piece of pieces) {
      joined.set(piece[channel]!, offset);
      offset += piece[channel]!.length;
    }
    return joined;
  });
}

export interface WavBlock {
  format: WavFormat;
  /** One array per channel, at the file's own sample rate. */
  channels: Float32Array[];
}

/**
 * Streams a WAV file from disk in blocks of about `chunkBytes` (whatever the file's layout). The
 * first block may be empty when the header came in a read of its own. Throws AudioFileError.
 */
export async function* readWavFile(path: string, options: { chunkBytes?: number } = {}): AsyncGenerator<WavBlock> {
  const parser = new WavParser();
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const channels = parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (parser.format && channels.length > 0 && channels[0]!.length > 0) yield { format: parser.format, channels };
    }
  } finally {
    stream.destroy();
  }
  parser.end();
}
