export type AudioFileErrorCode =
  /** No file at that path (or it is a folder). */
  | 'AUDIO_NOT_FOUND'
  /** Not an audio format the console reads, or an encoding inside one it does not. */
  | 'AUDIO_UNSUPPORTED'
  /** Damaged or cut short before any audio could be read. */
  | 'AUDIO_CORRUPT'
  /** A valid file with no samples in it. */
  | 'AUDIO_EMPTY'
  /** A format that can only be decoded whole, in a file too big for that. */
  | 'AUDIO_TOO_LONG';

/** The formats `openAudioFile` reads, for messages. */
export const supportedAudioFormats = 'WAV (PCM 8/16/24/32-bit, float, A-law, μ-law), MP3, Ogg (Vorbis or Opus), WebM (Opus or Vorbis) and FLAC';

export class AudioFileError extends Error {
  constructor(
    readonly code: AudioFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AudioFileError';
  }
}
