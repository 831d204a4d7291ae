import { describe, expect, it } from 'vitest';
import { FrameAssembler, mixToMono, silenceDb, type PcmFrame } from '../../../../src-renderer/features/audio/pcm-frames';

describe('mixing to mono', () => {
  it('averages the channels and copies a single one', () => {
    const left = Float32Array.of(1, 0.5, -1);
    const right = Float32Array.of(0, 0.5, 1);
    expect([...mixToMono([left, right], new Float32Array(3))]).toEqual([0.5, 0.5, 0]);
    expect([...mixToMono([left], new Float32Array(3))]).toEqual([1, 0.5, -1]);
  });

  it('gives nothing for a block without channels (a track that has ended)', () => {
    expect(mixToMono([], new Float32Array(128)).length).toBe(0);
  });
});

describe('frame assembly', () => {
  const collect = (frameSamples: number) => {
    const frames: PcmFrame[] = [];
    return { frames, assembler: new FrameAssembler(frameSamples, (frame) => frames.push(frame)) };
  };

  it('hands over 100 ms frames of 16-bit samples, whatever the block sizes, and the rest on flush', () => {
    const { frames, assembler } = collect(1600);
    const block = new Float32Array(43).fill(0.5);
    for (let pushed = 0; pushed < 4000; pushed += 43) assembler.push(block);
    // 4042 samples pushed in all: two full frames, the rest waits.
    expect(frames.map((frame) => frame.pcm.length)).toEqual([1600, 1600]);
    assembler.flush();
    expect(frames.map((frame) => frame.pcm.length)).toEqual([1600, 1600, 4042 - 3200]);
    expect(frames[0]!.pcm[0]).toBe(16384);
    // Each frame owns its buffer, so that it can be transferred to the page.
    expect(frames[0]!.pcm.buffer).not.toBe(frames[1]!.pcm.buffer);
    expect(frames[2]!.pcm.buffer.byteLength).toBe((4042 - 3200) * 2);
  });

  it('clips beyond full scale instead of wrapping around', () => {
    const { frames, assembler } = collect(4);
    assembler.push(Float32Array.of(1.5, -2, 1, -1));
    expect([...frames[0]!.pcm]).toEqual([32767, -32767, 32767, -32767]);
  });

  it('reports each frame’s RMS level in dBFS', () => {
    const { frames, assembler } = collect(1600);
    const sine = new Float32Array(1600);
    for (let index = 0; index < sine.length; index += 1) sine[index] = 0.1 * Math.sin((2 * Math.PI * 1000 * index) / 16_000);
    assembler.push(sine);
    assembler.push(new Float32Array(1600));
    // 0.1 peak sine: RMS 0.0707, i.e. -23 dBFS. Silence reports the floor, not -Infinity.
    expect(frames[0]!.levelDb).toBeCloseTo(-23.01, 1);
    expect(frames[1]!.levelDb).toBe(silenceDb);
  });

  it('hands over nothing on flush when nothing is waiting', () => {
    const { frames, assembler } = collect(1600);
    assembler.push(new Float32Array(1600));
    assembler.flush();
    expect(frames).toHaveLength(1);
  });
});
