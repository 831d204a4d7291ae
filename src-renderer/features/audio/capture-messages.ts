// What the capture worklet and the page say to each other over the node's MessagePort.

/** Name under which the worklet registers its processor. */
export const captureProcessorName = 'hotline-capture';

export interface CaptureProcessorOptions {
  /** Rate of the frames the page receives (16 kHz). */
  outputRate: number;
  /** Samples per frame at that rate (1600 = 100 ms). */
  frameSamples: number;
}

export type CaptureToPage =
  /** One frame of 16-bit mono PCM (`pcm` is transferred) and its RMS level in dBFS. */
  | { type: 'frame'; pcm: ArrayBuffer; levelDb: number }
  /** Answer to `flush`: every sample received before it has been sent as a frame. */
  | { type: 'flushed' };

export type PageToCapture =
  /** Send what is left (the last short frame, the filter's tail) and stop. */
  { type: 'flush' };
