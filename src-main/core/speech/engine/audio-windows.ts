// Whisper hears 30 s at a time. Longer audio (file transcription) is cut into windows of at most
// 30 s, each cut placed at the quietest 20 ms of the window's last 5 s, so that a cut rarely
// falls inside a word.

export const sampleRate = 16_000;
const windowSamples = 30 * sampleRate;
const searchSamples = 5 * sampleRate;
const frameSamples = 320;

export interface AudioWindow {
  /** First sample, inclusive. */
  start: number;
  /** Last sample, exclusive. */
  end: number;
}

function quietestCut(audio: Float32Array, from: number, to: number): number {
  let best = to;
  let bestEnergy = Number.POSITIVE_INFINITY;
  for (let frame = from; frame + frameSamples <= to; frame += frameSamples) {
    let energy = 0;
    for (let index = frame; index < frame + frameSamples; index += 1) energy += audio[index]! * audio[index]!;
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = frame + frameSamples / 2;
    }
  }
  return best;
}

/** Consecutive windows covering the whole audio, none longer than 30 s. */
export function splitIntoWindows(audio: Float32Array): AudioWindow[] {
  const windows: AudioWindow[] = [];
  let start = 0;
  while (audio.length - start > windowSamples) {
    const end = quietestCut(audio, start + windowSamples - searchSamples, start + windowSamples);
    windows.push({ start, end });
    start = end;
  }
  if (audio.length > start) windows.push({ start, end: audio.length });
  return windows;
}
