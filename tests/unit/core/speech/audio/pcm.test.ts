import { describe, expect, it } from 'vitest';
import { bytesToInt16, deinterleave, downmixToMono, float32ToInt16, int16ToFloat32 } from '../../../../../src-main/core/speech/audio/pcm';

describe('16-bit PCM and Float32', () => {
  it('maps full scale and zero exactly, and round-trips every 16-bit value', () => {
    const all = new Int16Array(65536);
    for (let index = 0; index < all.length; index += 1) all[index] = index - 32768;
    const samples = int16ToFloat32(all);
    expect(samples[0]).toBe(-1);
    expect(samples[32768]).toBe(0);
    expect(samples[65535]).toBeCloseTo(32767 / 32768, 10);
    expect(float32ToInt16(samples)).toEqual(all);
  });

  it('clips loud samples at full scale instead of wrapping them into clicks, and turns NaN into silence', () => {
    const pcm = float32ToInt16(Float32Array.from([1.5, -1.5, 1, -1, Number.NaN, 0.25]));
    expect([...pcm]).toEqual([32767, -32768, 32767, -32768, 0, 8192]);
  });

  it('reads little-endian frames whatever the byte offset of the frame in its message', () => {
    const message = new Uint8Array([0xff, 0x01, 0x00, 0xff, 0x7f]);
    expect([...bytesToInt16(message.subarray(1))]).toEqual([1, 32767]);
    expect([...bytesToInt16(message.subarray(0, 4))]).toEqual([0x01ff, -256]);
  });
});

describe('channels', () => {
  it('downmixes by averaging, so a signal on both channels keeps its level', () => {
    const left = Float32Array.from([0.5, 0.5, -1]);
    const right = Float32Array.from([0.5, -0.5, 0]);
    expect([...downmixToMono([left, right])]).toEqual([0.5, 0, -0.5]);
    expect(downmixToMono([left])).not.toBe(left);
  });

  it('splits interleaved stereo into the two speakers', () => {
    const [caller, operator] = deinterleave(Float32Array.from([1, -1, 2, -2, 3, -3]), 2);
    expect([...caller!]).toEqual([1, 2, 3]);
    expect([...operator!]).toEqual([-1, -2, -3]);
  });
});
