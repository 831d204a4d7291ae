import { describe, expect, it } from 'vitest';
import { WavParser, type WavFormat } from '../../../../../src-main/core/speech/audio/wav-reader';
import { AudioFileError } from '../../../../../src-main/core/speech/audio/audio-file-error';
import { buildWav, concatenate, tone, type WavSpec } from '../../../../fixtures/audio/signals';

/** Feeds the bytes in chunks of the given sizes (cycled) and gathers the samples per channel. */
function parse(bytes: Uint8Array, chunkSizes: readonly number[] = [bytes.length]): { format: WavFormat | null; channels: Float32Array[] } {
  const parser = new WavParser();
  const gathered: Float32Array[][] = [];
  let offset = 0;
  for (let index = 0; offset < bytes.length; index += 1) {
    const size = chunkSizes[index % chunkSizes.length]!;
    // A fresh copy per chunk, as a file stream hands them out.
    gathered.push(parser.push(bytes.slice(offset, offset + size)));
    offset += size;
  }
  parser.end();
  const channelCount = parser.format?.channels ?? 0;
  return { format: parser.format, channels: Array.from({ length: channelCount }, (_, channel) => concatenate(gathered.map((piece) => piece[channel] ?? new Float32Array(0)))) };
}

const stereo = () => [tone(8_000, 300, 0.5, 0.5), tone(8_000, 700, 0.5, -0.25)];
const pcm16: WavSpec = { sampleRate: 8_000, channels: 2, encoding: 'pcm', bitsPerSample: 16 };

describe('WavParser', () => {
  it.each([
    ['8-bit', { encoding: 'pcm', bitsPerSample: 8 }, 1 / 128],
    ['16-bit', { encoding: 'pcm', bitsPerSample: 16 }, 1 / 32768],
    ['24-bit', { encoding: 'pcm', bitsPerSample: 24 }, 1 / 8388608],
    ['32-bit', { encoding: 'pcm', bitsPerSample: 32 }, 1e-7],
    ['32-bit float', { encoding: 'float', bitsPerSample: 32 }, 1e-7],
    ['extensible 24-bit', { encoding: 'pcm', bitsPerSample: 24, extensible: true }, 1 / 8388608],
    ['extensible float', { encoding: 'float', bitsPerSample: 32, extensible: true }, 1e-7],
  ] as const)('reads %s stereo, each channel apart, to within one step of the format', (_name, spec, step) => {
    const source = stereo();
    const { format, channels } = parse(buildWav(source, { ...pcm16, ...spec }));
    expect(format).toMatchObject({ channels: 2, sampleRate: 8_000, bitsPerSample: spec.bitsPerSample });
    for (const channel of [0, 1]) {
      expect(channels[channel]!.length).toBe(4_000);
      const worst = channels[channel]!.reduce((most, value, index) => Math.max(most, Math.abs(value - source[channel]![index]!)), 0);
      expect(worst).toBeLessThanOrEqual(step);
    }
  });

  it('gives the same samples whatever the size of the chunks it is fed, down to single bytes', () => {
    const bytes = buildWav(stereo(), { ...pcm16, bitsPerSample: 24, chunksBefore: [{ id: 'LIST', body: new Uint8Array(27).fill(65) }] });
    const whole = parse(bytes);
    for (const sizes of [[1], [3, 5, 7], [4096], [44, 1, 1000]]) expect(parse(bytes, sizes).channels).toEqual(whole.channels);
  });

  it('skips LIST and other chunks before and after the audio, odd-sized ones with their pad byte', () => {
    const source = [tone(8_000, 300, 0.25, 0.5)];
    const bytes = buildWav(source, {
      sampleRate: 8_000,
      channels: 1,
      encoding: 'pcm',
      bitsPerSample: 8,
      chunksBefore: [{ id: 'LIST', body: new TextEncoder().encode('INFOISFT\x05\x00\x00\x00Lavf\x00') }, { id: 'fact', body: new Uint8Array(4) }],
      chunksAfter: [{ id: 'id3 ', body: new Uint8Array(11).fill(0xff) }, { id: 'LIST', body: new Uint8Array(3) }],
    });
    const { channels } = parse(bytes, [13]);
    expect(channels[0]!.length).toBe(2_000);
  });

  it('reads an odd-length 8-bit data chunk and its pad byte without taking the pad for audio', () => {
    const source = [tone(8_000, 300, 0.2001, 0.5)];
    expect(source[0]!.length % 2).toBe(1);
    const bytes = buildWav(source, { sampleRate: 8_000, channels: 1, encoding: 'pcm', bitsPerSample: 8, chunksAfter: [{ id: 'LIST', body: new Uint8Array(4).fill(0x80) }] });
    expect(parse(bytes).channels[0]!.length).toBe(source[0]!.length);
  });

  describe('a header left wrong by a recorder that crashed', () => {
    const source = [tone(16_000, 440, 1, 0.5)];
    const mono: WavSpec = { sampleRate: 16_000, channels: 1, encoding: 'pcm', bitsPerSample: 16 };

    it('reads to the end of the file when the sizes are 0', () => {
      const { channels, format } = parse(buildWav(source, { ...mono, riffSizeOverride: 0, dataSizeOverride: 0 }), [1000]);
      expect(channels[0]!.length).toBe(16_000);
      expect(format?.declaredDataBytes).toBeNull();
    });

    it('reads the audio written after the last header update (sizes too small)', () => {
      const synced = 4_000 * 2;
      const { channels } = parse(buildWav(source, { ...mono, riffSizeOverride: 36 + synced, dataSizeOverride: synced }), [777]);
      expect(channels[0]!.length).toBe(16_000);
    });

    it('reads what there is when the sizes claim more than the file holds, dropping a cut-off last frame', () => {
      const bytes = buildWav(source, { ...mono, riffSizeOverride: 0xffff_fff0, dataSizeOverride: 0xffff_ffe0 });
      const { channels } = parse(bytes.subarray(0, bytes.length - 1001));
      expect(channels[0]!.length).toBe(16_000 - 501);
    });
  });

  it('decodes telephone A-law and μ-law', () => {
    const g711 = (tag: number, samples: number[]) => {
      const bytes = buildWav([new Float32Array(samples.length)], { sampleRate: 8_000, channels: 1, encoding: 'pcm', bitsPerSample: 8 });
      const view = new DataView(bytes.buffer);
      view.setUint16(20, tag, true);
      bytes.set(samples, 44);
      return parse(bytes).channels[0]!;
    };
    // μ-law: 0xFF and 0x7F are zero, 0x80 is the loudest positive, 0x00 the loudest negative.
    expect([...g711(7, [0xff, 0x7f, 0x80, 0x00])].map((value) => Math.round(value * 32768))).toEqual([0, 0, 32124, -32124]);
    // A-law: 0xD5 is the smallest positive step, 0xAA the loudest positive, 0x2A the loudest negative.
    expect([...g711(6, [0xd5, 0x55, 0xaa, 0x2a])].map((value) => Math.round(value * 32768))).toEqual([8, -8, 32256, -32256]);
  });

  describe('files it cannot read, each with a code and a reason', () => {
    const expectError = (bytes: Uint8Array, code: string, message: RegExp) => {
      const failure = (() => {
        try {
          parse(bytes);
        } catch (error) {
          return error;
        }
        return null;
      })();
      expect(failure).toBeInstanceOf(AudioFileError);
      expect(failure).toMatchObject({ code, message: expect.stringMatching(message) });
    };

    it('an empty file, a cut-off header, or something that is not WAV', () => {
      expectError(new Uint8Array(0), 'AUDIO_CORRUPT', /empty/);
      expectError(new TextEncoder().encode('RIFF'), 'AUDIO_CORRUPT', /cut short/);
      expectError(new TextEncoder().encode('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'), 'AUDIO_CORRUPT', /not a WAV file/);
    });

    it('a WAV with no format chunk, or no data chunk', () => {
      const bytes = buildWav([new Float32Array(10)], { ...pcm16, channels: 1 });
      const noFormat = new Uint8Array([...bytes.subarray(0, 12), ...bytes.subarray(36)]);
      expectError(noFormat, 'AUDIO_CORRUPT', /before its format chunk/);
      expectError(bytes.subarray(0, 36), 'AUDIO_CORRUPT', /no audio data chunk/);
    });

    it('a compressed WAV encoding (ADPCM), naming what works instead', () => {
      const bytes = buildWav([new Float32Array(10)], { ...pcm16, channels: 1 });
      new DataView(bytes.buffer).setUint16(20, 2, true);
      expectError(bytes, 'AUDIO_UNSUPPORTED', /format code 2.*convert it to PCM WAV/);
    });
  });
});
