/**
 * How a stored category model packs its numbers into JSON strings: base64 of little typed arrays,
 * which is compact and, unlike decimal text, gives back exactly the numbers that were stored.
 */

export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Float32Array.BYTES_PER_ELEMENT !== 0) throw new Error('A stored category model has a damaged number array.');
  // Copied into a fresh buffer: a Float32Array view needs an aligned offset, which Buffer's pool does not promise.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export function encodeBytes(values: Uint8Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Non-negative integers as variable-length bytes (7 bits a byte, the high bit saying "more follows"):
 * the gaps between a text's sorted feature indices are mostly under 16,384, so two bytes or fewer.
 */
export function encodeUnsignedIntegers(values: ArrayLike<number>): string {
  const bytes: number[] = [];
  for (let index = 0; index < values.length; index += 1) {
    let value = values[index] as number;
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 0x80);
    }
    bytes.push(value);
  }
  return Buffer.from(bytes).toString('base64');
}

export function decodeUnsignedIntegers(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const values: number[] = [];
  let value = 0;
  let multiplier = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * multiplier;
    if (byte & 0x80) {
      multiplier *= 0x80;
    } else {
      values.push(value);
      value = 0;
      multiplier = 1;
    }
  }
  if (multiplier !== 1) throw new Error('A stored category model has a damaged integer list.');
  return values;
}
