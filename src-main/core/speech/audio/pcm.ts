// Sample-format helpers shared by capture, recording, file import and voice-activity detection.
// Float32 samples are in [-1, 1); 16-bit PCM is signed little-endian (the platform's byte order on
// every machine the console runs on, so an Int16Array view of WAV bytes needs no swapping).

export { StreamingResampler, resample } from './resampler';

/** 16-bit PCM → Float32 in [-1, 1). */
export function int16ToFloat32(pcm: Int16Array): Float32Array {
  const samples = new Float32Array(pcm.length);
  for (let index = 0; index < pcm.length; index += 1) samples[index] = pcm[index]! / 32768;
  return samples;
}

/** Float32 → 16-bit PCM, rounded to nearest and clipped (never wrapped) at full scale. */
export function float32ToInt16(samples: Float32Array): Int16Array {
  const pcm = new Int16Array(samples.length);
  for (let index = 0; index < samples.length; index += 1) {
    const scaled = Math.round(samples[index]! * 32768);
    // NaN becomes silence rather than poisoning a recording.
    pcm[index] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled || 0;
  }
  return pcm;
}

/** Little-endian 16-bit PCM bytes (e.g. a WebSocket frame) → Int16Array, whatever the byte offset. */
export function bytesToInt16(bytes: Uint8Array): Int16Array {
  const frames = bytes.byteLength >> 1;
  // An Int16Array view needs an even byte offset; copy only when the source does not have one.
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, frames).slice();
  const pcm = new Int16Array(frames);
  new Uint8Array(pcm.buffer).set(bytes.subarray(0, frames * 2));
  return pcm;
}

/** The mean of the channels: one mono signal. */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0]!.slice();
  const length = Math.min(...channels.map((channel) => channel.length));
  const mono = new Float32Array(length);
  for (const channel of channels) {
    for (let index = 0; index < length; index += 1) mono[index] = mono[index]! + channel[index]!;
  }
  const scale = 1 / channels.length;
  for (let index = 0; index < length; index += 1) mono[index] = mono[index]! * scale;
  return mono;
}

/** Interleaved frames (L R L R …) → one array per channel. */
export function deinterleave(interleaved: Float32Array, channelCount: number): Float32Array[] {
  const frames = Math.floor(interleaved.length / channelCount);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let channel = 0; channel < channelCount; channel += 1) {
    const target = channels[channel]!;
    for (let frame = 0, source = channel; frame < frames; frame += 1, source += channelCount) target[frame] = interleaved[source]!;
  }
  return channels;
}
