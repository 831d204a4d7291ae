import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeFloats, decodeUnsignedIntegers, encodeBytes, encodeFloats, encodeUnsignedIntegers } from '../../../../src-main/core/drafting/category-encoding';

describe('the category model’s number encodings', () => {
  it('gives back exactly the single-precision numbers stored', () => {
    const values = Float32Array.from([0, -1.5, Math.PI, 1e-30, 3.4e38]);
    expect(decodeFloats(encodeFloats(values))).toEqual(values);
    expect(decodeFloats(encodeFloats(values.subarray(1, 3)))).toEqual(values.subarray(1, 3));
  });

  it('gives back bytes and non-negative integers of any size', () => {
    const bytes = Uint8Array.from([0, 1, 127, 128, 255]);
    expect(decodeBytes(encodeBytes(bytes))).toEqual(bytes);
    const integers = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 40];
    expect(decodeUnsignedIntegers(encodeUnsignedIntegers(integers))).toEqual(integers);
  });

  it('keeps small gaps to one byte each', () => {
    expect(Buffer.from(encodeUnsignedIntegers([1, 2, 3, 127]), 'base64')).toHaveLength(4);
  });

  it('refuses damaged data instead of reading nonsense', () => {
    expect(() => decodeFloats(Buffer.from([1, 2, 3]).toString('base64'))).toThrow(/damaged/);
    expect(() => decodeUnsignedIntegers(Buffer.from([0x80]).toString('base64'))).toThrow(/damaged/);
  });
});
