// Tells an audio file's format from its first and last bytes (never from its name, which is often
// wrong for recordings exported by telephone systems), and reads what the headers say about it:
// channels, sample rate and length where the format records them.

export type AudioFormatName = 'wav' | 'mp3' | 'ogg' | 'webm' | 'flac';
/** The audio-decode decoder for a compressed format ('oga' is its name for Ogg Vorbis). */
export type CompressedDecoderName = 'mp3' | 'oga' | 'opus' | 'flac' | 'webm';

export interface IdentifiedAudio {
  format: AudioFormatName;
  /** pcm, float, alaw, mulaw, mp3, vorbis, opus, flac, or a WebM track's codec (e.g. opus), or null where unknown. */
  codec: string | null;
  decoder: 'wav' | CompressedDecoderName;
  /** What the header says, where it says it (null: only decoding will tell). */
  channels: number | null;
  sampleRate: number | null;
  durationMs: number | null;
}

export type Identification = { supported: true; audio: IdentifiedAudio } | { supported: false; description: string };

const text = (bytes: Uint8Array, offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));
const uint32BigEndian = (bytes: Uint8Array, offset: number) => ((bytes[offset]! << 24) >>> 0) + (bytes[offset + 1]! << 16) + (bytes[offset + 2]! << 8) + bytes[offset + 3]!;
const uint32LittleEndian = (bytes: Uint8Array, offset: number) => bytes[offset]! + (bytes[offset + 1]! << 8) + (bytes[offset + 2]! << 16) + ((bytes[offset + 3]! << 24) >>> 0);

/** Length of an ID3v2 tag at the start (0 when there is none). */
function id3Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || text(bytes, 0, 3) !== 'ID3') return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * Identifies the file from its first bytes (`head`, at least 64 KiB where the file is that long)
 * and its last bytes (`tail`, for the length of Ogg streams).
 */
export function identifyAudio(head: Uint8Array, tail: Uint8Array, fileSize: number): Identification {
  const magic = text(head, 0, 4);
  if (magic === 'RIFF' && text(head, 8, 4) === 'WAVE') return { supported: true, audio: { format: 'wav', codec: 'pcm', decoder: 'wav', channels: null, sampleRate: null, durationMs: null } };
  if (magic === 'RF64') return { supported: false, description: 'an RF64 (over 4 GiB) WAV file' };
  if (magic === 'fLaC') return flac(head, 0, fileSize);
  if (magic === 'OggS') return ogg(head, tail);
  if (uint32BigEndian(head, 0) === 0x1a45dfa3) return matroska(head);
  const tagLength = id3Length(head);
  if (tagLength > 0 && text(head, tagLength, 4) === 'fLaC') return flac(head, tagLength, fileSize);
  const mpeg = mp3(head, tagLength, fileSize);
  if (mpeg) return mpeg;
  return { supported: false, description: describeUnsupported(head, tagLength) };
}

function describeUnsupported(head: Uint8Array, tagLength: number): string {
  const at = (offset: number, length: number) => text(head, offset, length);
  if (at(4, 4) === 'ftyp') return 'an MP4/M4A file (AAC audio)';
  if (at(0, 5) === '#!AMR') return 'an AMR voice recording';
  if (at(0, 4) === 'FORM') return 'an AIFF file';
  if (at(0, 4) === 'caff') return 'a CAF file';
  if (at(0, 4) === '.snd') return 'an AU file';
  if (at(0, 4) === 'wvpk') return 'a WavPack file';
  if (at(0, 4) === 'MThd') return 'a MIDI file (notes, not recorded sound)';
  if (head[tagLength] === 0xff && (head[tagLength + 1]! & 0xf6) === 0xf0) return 'raw AAC (ADTS) audio';
  if (tagLength > 0) return 'a file with an ID3 tag but no MP3 audio after it';
  if (head.length === 0) return 'an empty file';
  const printable = head.subarray(0, 512).every((byte) => byte === 9 || byte === 10 || byte === 13 || byte >= 32);
  return printable ? 'a text file, not audio' : 'not a recognised audio format';
}

/** Where FLAC's metadata blocks end (the first audio frame), or null beyond the bytes read. */
function metadataEnd(head: Uint8Array, start: number): number | null {
  let offset = start + 4;
  for (;;) {
    if (offset + 4 > head.length) return null;
    const last = head[offset]! & 0x80;
    offset += 4 + ((head[offset + 1]! << 16) | (head[offset + 2]! << 8) | head[offset + 3]!);
    if (last) return offset;
  }
}

function flac(head: Uint8Array, start: number, fileSize: number | null): Identification {
  // STREAMINFO is always the first metadata block: sample rate (20 bits), channels (3), bits (5), total samples (36).
  const info = start + 8;
  if (head.length < info + 18) return { supported: true, audio: { format: 'flac', codec: 'flac', decoder: 'flac', channels: null, sampleRate: null, durationMs: null } };
  const sampleRate = (head[info + 10]! << 12) | (head[info + 11]! << 4) | (head[info + 12]! >> 4);
  const channels = ((head[info + 12]! >> 1) & 0x07) + 1;
  const totalSamples = (head[info + 13]! & 0x0f) * 0x1_0000_0000 + uint32BigEndian(head, info + 14);
  // A total of 0 means "unknown" in FLAC (a stream written live), unless nothing follows the metadata.
  let durationMs = sampleRate > 0 && totalSamples > 0 ? (totalSamples / sampleRate) * 1000 : null;
  if (durationMs === null && fileSize !== null && metadataEnd(head, start) === fileSize) durationMs = 0;
  return { supported: true, audio: { format: 'flac', codec: 'flac', decoder: 'flac', channels, sampleRate: sampleRate || null, durationMs } };
}

interface OggPage {
  offset: number;
  granule: number | null;
  bodyOffset: number;
}

function oggPageAt(bytes: Uint8Array, offset: number): OggPage | null {
  if (offset + 27 > bytes.length || text(bytes, offset, 4) !== 'OggS') return null;
  const segments = bytes[offset + 26]!;
  if (offset + 27 + segments > bytes.length) return null;
  const low = uint32LittleEndian(bytes, offset + 6);
  const high = uint32LittleEndian(bytes, offset + 10);
  // All ones: no packet ends on this page.
  const granule = low === 0xffff_ffff && high === 0xffff_ffff ? null : high * 0x1_0000_0000 + low;
  return { offset, granule, bodyOffset: offset + 27 + segments };
}

function ogg(head: Uint8Array, tail: Uint8Array): Identification {
  const first = oggPageAt(head, 0);
  const body = first ? first.bodyOffset : 0;
  // The stream's length is the granule position of its last page, if that page ends the file
  // (a cut-off or damaged file says nothing reliable about its length).
  let lastGranule: number | null = null;
  for (let offset = tail.length - 27; offset >= 0; offset -= 1) {
    if (tail[offset] !== 0x4f) continue;
    const page = oggPageAt(tail, offset);
    if (!page) continue;
    let end = page.bodyOffset;
    for (let segment = 0; segment < tail[offset + 26]!; segment += 1) end += tail[offset + 27 + segment]!;
    if (end === tail.length && page.granule !== null) lastGranule = page.granule;
    break;
  }
  if (text(head, body, 8) === 'OpusHead') {
    const channels = head[body + 9]!;
    const preSkip = head[body + 10]! | (head[body + 11]! << 8);
    // Opus granule positions count 48 kHz samples, including the encoder's pre-skip.
    const durationMs = lastGranule === null ? null : (Math.max(0, lastGranule - preSkip) / 48_000) * 1000;
    return { supported: true, audio: { format: 'ogg', codec: 'opus', decoder: 'opus', channels, sampleRate: 48_000, durationMs } };
  }
  if (head[body] === 0x01 && text(head, body + 1, 6) === 'vorbis') {
    const channels = head[body + 11]!;
    const sampleRate = uint32LittleEndian(head, body + 12);
    const durationMs = lastGranule === null || sampleRate === 0 ? null : (lastGranule / sampleRate) * 1000;
    return { supported: true, audio: { format: 'ogg', codec: 'vorbis', decoder: 'oga', channels, sampleRate, durationMs } };
  }
  if (head[body] === 0x7f && text(head, body + 1, 4) === 'FLAC') {
    const streamInfo = flac(head, body + 9, null);
    if (!streamInfo.supported) return streamInfo;
    const { sampleRate } = streamInfo.audio;
    const durationMs = lastGranule === null || !sampleRate ? null : (lastGranule / sampleRate) * 1000;
    return { supported: true, audio: { ...streamInfo.audio, format: 'ogg', durationMs } };
  }
  if (text(head, body, 8) === 'Speex   ') return { supported: false, description: 'Ogg Speex audio' };
  if (text(head, body + 1, 6) === 'theora') return { supported: false, description: 'an Ogg video (Theora)' };
  return { supported: false, description: 'an Ogg file with an audio codec other than Vorbis, Opus or FLAC' };
}

/** Reads an EBML variable-length integer: its value and byte length (value null for "unknown size"). */
function readVariableInteger(bytes: Uint8Array, offset: number, keepMarker: boolean): { value: number | null; length: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let index = 1; index < length; index += 1) {
    value = value * 256 + bytes[offset + index]!;
    if (bytes[offset + index] !== 0xff) allOnes = false;
  }
  return { value: !keepMarker && allOnes ? null : value, length };
}

function matroska(head: Uint8Array): Identification {
  let docType = 'webm';
  let durationMs: number | null = null;
  let track: { codec: string; channels: number | null; sampleRate: number | null } | null = null;
  // Walk: EBML header, then the Segment's children up to Info, which holds the duration.
  const children = function* (from: number, to: number) {
    let offset = from;
    while (offset < Math.min(to, head.length)) {
      const id = readVariableInteger(head, offset, true);
      if (!id) return;
      const size = readVariableInteger(head, offset + id.length, false);
      if (!size) return;
      const dataOffset = offset + id.length + size.length;
      yield { id: id.value!, dataOffset, size: size.value };
      if (size.value === null) return;
      offset = dataOffset + size.value;
    }
  };
  for (const element of children(0, head.length)) {
    if (element.id === 0x1a45dfa3 && element.size !== null) {
      for (const field of children(element.dataOffset, element.dataOffset + element.size)) {
        if (field.id === 0x4282 && field.size !== null) docType = text(head, field.dataOffset, field.size).replace(/\0+$/, '');
      }
    } else if (element.id === 0x18538067) {
      const segmentEnd = element.size === null ? head.length : element.dataOffset + element.size;
      for (const section of children(element.dataOffset, segmentEnd)) {
        if (section.id === 0x1654ae6b && section.size !== null) {
          // Tracks: the first audio track's codec, channels and rate.
          for (const entry of children(section.dataOffset, section.dataOffset + section.size)) {
            if (entry.id !== 0xae || entry.size === null || track) continue;
            const found: { type?: number; codec?: string; channels?: number; sampleRate?: number } = {};
            for (const field of children(entry.dataOffset, entry.dataOffset + entry.size)) {
              if (field.size === null || field.dataOffset + field.size > head.length) break;
              if (field.id === 0x83) found.type = head[field.dataOffset]!;
              if (field.id === 0x86) found.codec = text(head, field.dataOffset, field.size);
              if (field.id === 0xe1) {
                for (const audio of children(field.dataOffset, field.dataOffset + field.size)) {
                  if (audio.size === null || audio.dataOffset + audio.size > head.length) break;
                  if (audio.id === 0x9f) found.channels = head[audio.dataOffset]!;
                  if (audio.id === 0xb5 && (audio.size === 4 || audio.size === 8)) {
                    const view = new DataView(head.buffer, head.byteOffset + audio.dataOffset, audio.size);
                    found.sampleRate = audio.size === 4 ? view.getFloat32(0) : view.getFloat64(0);
                  }
                }
              }
            }
            if (found.type === 2 && found.codec) track = { codec: found.codec, channels: found.channels ?? null, sampleRate: found.sampleRate ?? null };
          }
          continue;
        }
        if (section.id === 0x1f43b675) break; // the first Cluster: the headers are behind us
        if (section.id !== 0x1549a966 || section.size === null) continue;
        let scale = 1_000_000;
        let duration: number | null = null;
        for (const field of children(section.dataOffset, section.dataOffset + section.size)) {
          if (field.size === null || field.dataOffset + field.size > head.length) break;
          if (field.id === 0x2ad7b1 && field.size <= 6) {
            scale = 0;
            for (let index = 0; index < field.size; index += 1) scale = scale * 256 + head[field.dataOffset + index]!;
          }
          if (field.id === 0x4489 && (field.size === 4 || field.size === 8)) {
            const view = new DataView(head.buffer, head.byteOffset + field.dataOffset, field.size);
            duration = field.size === 4 ? view.getFloat32(0) : view.getFloat64(0);
          }
        }
        // MediaRecorder writes no duration: it does not know it while recording.
        if (duration !== null && duration > 0) durationMs = (duration * scale) / 1_000_000;
      }
    }
  }
  if (docType !== 'webm' && docType !== 'matroska') return { supported: false, description: `a Matroska-family file of type "${docType}"` };
  // A_OPUS → opus, A_VORBIS → vorbis, A_AAC → aac …
  const codec = track ? track.codec.replace(/^A_/, '').split('/')[0]!.toLowerCase() : null;
  return { supported: true, audio: { format: 'webm', codec, decoder: 'webm', channels: null, sampleRate: track?.sampleRate ?? null, durationMs } };
}

const mpeg1Rates = [44_100, 48_000, 32_000];
const mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

interface MpegFrame {
  sampleRate: number;
  bitrate: number;
  channels: number;
  samplesPerFrame: number;
  length: number;
  sideInfoLength: number;
}

/** An MPEG-1/2/2.5 Layer III frame header at `offset`, or null. */
function mpegFrameAt(bytes: Uint8Array, offset: number): MpegFrame | null {
  if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xe0) !== 0xe0) return null;
  const version = (bytes[offset + 1]! >> 3) & 0x03; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = (bytes[offset + 1]! >> 1) & 0x03; // 1: Layer III
  const bitrateIndex = bytes[offset + 2]! >> 4;
  const rateIndex = (bytes[offset + 2]! >> 2) & 0x03;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = mpeg1Rates[rateIndex]! / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const bitrate = (mpeg1 ? mpeg1Bitrates : mpeg2Bitrates)[bitrateIndex]! * 1000;
  const padding = (bytes[offset + 2]! >> 1) & 0x01;
  const mono = bytes[offset + 3]! >> 6 === 3;
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  return {
    sampleRate,
    bitrate,
    channels: mono ? 1 : 2,
    samplesPerFrame,
    length: Math.floor((samplesPerFrame / 8) * (bitrate / sampleRate)) + padding,
    sideInfoLength: mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17,
  };
}

function mp3(head: Uint8Array, tagLength: number, fileSize: number): Identification | null {
  // The first frame, confirmed by a second one right after it (random bytes rarely pass both).
  let start = -1;
  let frame: MpegFrame | null = null;
  const searchEnd = Math.min(head.length, tagLength + 4096);
  for (let offset = tagLength; offset < searchEnd; offset += 1) {
    const candidate = mpegFrameAt(head, offset);
    if (!candidate) continue;
    const next = offset + candidate.length;
    if (next + 4 <= head.length && !mpegFrameAt(head, next)) continue;
    start = offset;
    frame = candidate;
    break;
  }
  if (!frame) return null;
  // A Xing/Info header (VBR, and LAME's CBR files) or a VBRI header counts the frames; else estimate from the bitrate.
  let durationMs: number | null = null;
  const xing = start + 4 + frame.sideInfoLength;
  const tag = text(head, xing, 4);
  if ((tag === 'Xing' || tag === 'Info') && head[xing + 7]! & 0x01) {
    durationMs = ((uint32BigEndian(head, xing + 8) * frame.samplesPerFrame) / frame.sampleRate) * 1000;
  } else if (text(head, start + 36, 4) === 'VBRI') {
    durationMs = ((uint32BigEndian(head, start + 36 + 14) * frame.samplesPerFrame) / frame.sampleRate) * 1000;
  } else {
    durationMs = (((fileSize - start) * 8) / frame.bitrate) * 1000;
  }
  return { supported: true, audio: { format: 'mp3', codec: 'mp3', decoder: 'mp3', channels: frame.channels, sampleRate: frame.sampleRate, durationMs } };
}
