import { SampleWindow } from './sample-window';
import { SileroVad, sileroFrameSamples, sileroSampleRate, type SileroModelVersion } from './silero-vad';

// Cuts a 16 kHz stream into utterances for the recogniser. Silero gives a speech probability per
// 32 ms frame; an utterance starts on a frame above `startThreshold` and ends once the probability
// has stayed below `endThreshold` for `endSilenceMs` (hysteresis: a word's quiet syllable between
// the two thresholds does not end it). Whisper reads at most 30 s and partial text is only useful
// while it keeps up, so continuous speech is split at `maxUtteranceMs`, at the quietest frame of
// the last `splitSearchMs`; the rest continues as a new utterance, with not a sample lost or
// repeated between the two.
//
// Times are in milliseconds from the first sample pushed, computed from sample counts (exact to
// 1/16 ms). `startMs`/`endMs` are the bounds of `audio`, which includes a short pre-roll before the
// first speech frame and a post-roll after the last one, so the recogniser hears onsets and tails.

export interface UtteranceDetectorOptions {
  /** A frame at or above this probability starts an utterance. */
  startThreshold: number;
  /** Frames below this probability count as silence. */
  endThreshold: number;
  /** Silence that ends an utterance. */
  endSilenceMs: number;
  /** Less speech than this (frames at or above startThreshold) is a misfire (a click, a cough) and dropped. */
  minSpeechMs: number;
  /** Audio kept before the first speech frame. */
  preRollMs: number;
  /** Audio kept after the last speech frame. */
  postRollMs: number;
  /** No utterance is longer than this; longer speech is split. */
  maxUtteranceMs: number;
  /** Where to split: the quietest frame within this much before the limit. */
  splitSearchMs: number;
  version: SileroModelVersion;
  modelPath?: string;
}

export interface Utterance {
  startMs: number;
  endMs: number;
  /** 16 kHz mono samples from startMs to endMs. */
  audio: Float32Array;
  /** True when the length limit ended it: the speech goes on in the next utterance. */
  forced: boolean;
}

export const defaultUtteranceDetectorOptions: UtteranceDetectorOptions = {
  startThreshold: 0.5,
  endThreshold: 0.35,
  endSilenceMs: 500,
  minSpeechMs: 250,
  preRollMs: 200,
  postRollMs: 100,
  maxUtteranceMs: 15_000,
  splitSearchMs: 3_000,
  version: 'v5',
};

const samplesPerMs = sileroSampleRate / 1000;
const toMs = (samples: number) => samples / samplesPerMs;
const toSamples = (ms: number) => Math.round(ms * samplesPerMs);

interface Speech {
  /** First sample of the utterance's audio (pre-roll included). */
  start: number;
  /** Start of the frame whose probability is probabilities[0]. */
  firstFrame: number;
  /** Probability of each frame from firstFrame on. */
  probabilities: number[];
  /** End of the last frame at or above endThreshold. */
  lastVoicedEnd: number;
  silentFrames: number;
  speechFrames: number;
  /** The second part of a split: kept whatever its length, since it is the same speech. */
  continuation: boolean;
}

export class UtteranceDetector {
  private readonly options: UtteranceDetectorOptions;
  private readonly window = new SampleWindow();
  /** Absolute sample index where the next 512-sample frame begins. */
  private nextFrame = 0;
  /** End of the last utterance given out: the next one's pre-roll never reaches back past it. */
  private lastEnd = 0;
  private speech: Speech | null = null;
  private pushed = 0;
  /** Pushes and flushes run one after another, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly vad: SileroVad,
    options: UtteranceDetectorOptions,
  ) {
    this.options = options;
  }

  /** Loads the shared Silero session (once per process) and gives this detector its own state. */
  static async create(options: Partial<UtteranceDetectorOptions> = {}): Promise<UtteranceDetector> {
    const merged = { ...defaultUtteranceDetectorOptions, ...options };
    if (!(merged.endThreshold <= merged.startThreshold) || merged.maxUtteranceMs < 1_000 || merged.splitSearchMs >= merged.maxUtteranceMs) {
      throw new RangeError('Utterance detector options: endThreshold must not exceed startThreshold, maxUtteranceMs must be at least 1 s and longer than splitSearchMs.');
    }
    const vad = await SileroVad.create({ version: merged.version, ...(merged.modelPath ? { modelPath: merged.modelPath } : {}) });
    return new UtteranceDetector(vad, merged);
  }

  /** Audio consumed so far (every sample pushed; at most one frame of it waits for the next push). */
  get processedMs(): number {
    return toMs(this.pushed);
  }

  /** Feeds 16 kHz mono samples of any length; returns the utterances that ended within them. */
  push(samples: Float32Array): Promise<Utterance[]> {
    return this.serialise(async () => {
      this.window.append(samples);
      this.pushed += samples.length;
      const finished: Utterance[] = [];
      while (this.window.end - this.nextFrame >= sileroFrameSamples) {
        await this.analyseFrame(this.window.copy(this.nextFrame, this.nextFrame + sileroFrameSamples), this.nextFrame + sileroFrameSamples, finished);
      }
      return finished;
    });
  }

  /** The utterance being spoken now (once it is more than a misfire), for partial text; null in silence. */
  inProgress(): { startMs: number; audio: Float32Array } | null {
    const speech = this.speech;
    if (!speech || !this.confirmed(speech)) return null;
    return { startMs: toMs(speech.start), audio: this.window.copy(speech.start, this.nextFrame) };
  }

  /** End of stream: analyses the last partial frame and returns the utterance still open, if any. The next push starts a new stream on the same clock. */
  flush(): Promise<Utterance[]> {
    return this.serialise(async () => {
      const finished: Utterance[] = [];
      const end = this.window.end;
      if (end > this.nextFrame) {
        // The last frame is padded with silence for the model; only its real samples are kept.
        const frame = new Float32Array(sileroFrameSamples);
        frame.set(this.window.copy(this.nextFrame, end));
        await this.analyseFrame(frame, end, finished);
      }
      const speech = this.speech;
      if (speech) this.finish(speech, Math.min(speech.lastVoicedEnd + toSamples(this.options.postRollMs), end), false, finished);
      this.speech = null;
      this.nextFrame = end;
      this.window.dropBefore(end);
      this.vad.reset();
      return finished;
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.speech = null;
    this.window.dropBefore(this.window.end);
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('The utterance detector was disposed; create a new one for a new stream.'));
    const result = this.queue.then(task);
    this.queue = result.catch(() => {});
    return result;
  }

  private confirmed(speech: Speech): boolean {
    return speech.continuation ? speech.speechFrames > 0 : toMs(speech.speechFrames * sileroFrameSamples) >= this.options.minSpeechMs;
  }

  /** One 32 ms frame starting at `nextFrame`; `frameEnd` is where its real samples end. */
  private async analyseFrame(frame: Float32Array, frameEnd: number, finished: Utterance[]): Promise<void> {
    const { options } = this;
    const frameStart = this.nextFrame;
    const probability = await this.vad.probability(frame);
    this.nextFrame = frameEnd;

    let speech = this.speech;
    if (!speech) {
      if (probability >= options.startThreshold) {
        speech = {
          start: Math.max(frameStart - toSamples(options.preRollMs), this.lastEnd, this.window.start),
          firstFrame: frameStart,
          probabilities: [],
          lastVoicedEnd: frameEnd,
          silentFrames: 0,
          speechFrames: 0,
          continuation: false,
        };
        this.speech = speech;
      } else {
        // Idle: keep only what a pre-roll may need.
        this.window.dropBefore(frameEnd - toSamples(options.preRollMs));
        return;
      }
    }

    speech.probabilities.push(probability);
    if (probability >= options.startThreshold) speech.speechFrames += 1;
    if (probability < options.endThreshold) {
      speech.silentFrames += 1;
    } else {
      speech.silentFrames = 0;
      speech.lastVoicedEnd = frameEnd;
    }

    if (toMs(speech.silentFrames * sileroFrameSamples) >= options.endSilenceMs) {
      this.finish(speech, Math.min(speech.lastVoicedEnd + toSamples(options.postRollMs), frameEnd), false, finished);
      this.speech = null;
      this.window.dropBefore(Math.max(this.lastEnd, frameEnd - toSamples(options.preRollMs)));
      return;
    }

    // Split before the next frame could take the utterance past the limit.
    const maxSamples = toSamples(options.maxUtteranceMs);
    if (frameEnd + sileroFrameSamples - speech.start > maxSamples) this.split(speech, frameEnd, finished);
  }

  /** Ends the current part at the quietest frame boundary of the last splitSearchMs; the rest goes on. */
  private split(speech: Speech, frameEnd: number, finished: Utterance[]): void {
    const searchFrom = Math.max(speech.start + 1, frameEnd - toSamples(this.options.splitSearchMs));
    let splitIndex = speech.probabilities.length - 1;
    let lowest = Number.POSITIVE_INFINITY;
    for (let index = speech.probabilities.length - 1; index >= 0; index -= 1) {
      const frameStart = speech.firstFrame + index * sileroFrameSamples;
      if (frameStart < searchFrom) break;
      // Strictly lower: among equals the latest wins, keeping the first part as long as allowed.
      if (speech.probabilities[index]! < lowest) {
        lowest = speech.probabilities[index]!;
        splitIndex = index;
      }
    }
    const splitAt = speech.firstFrame + splitIndex * sileroFrameSamples;
    this.finish(speech, splitAt, true, finished);
    const rest = speech.probabilities.slice(splitIndex);
    this.speech = {
      start: splitAt,
      firstFrame: splitAt,
      probabilities: rest,
      lastVoicedEnd: Math.max(speech.lastVoicedEnd, splitAt),
      silentFrames: speech.silentFrames,
      speechFrames: rest.filter((probability) => probability >= this.options.startThreshold).length,
      continuation: true,
    };
    this.window.dropBefore(splitAt);
  }

  private finish(speech: Speech, end: number, forced: boolean, finished: Utterance[]): void {
    if (end <= speech.start || (!forced && !this.confirmed(speech))) return;
    finished.push({ startMs: toMs(speech.start), endMs: toMs(end), audio: this.window.copy(speech.start, end), forced });
    this.lastEnd = end;
  }
}
