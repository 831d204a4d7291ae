/** Token ids that matter for reading Whisper's output. */
export interface WhisperTokenIds {
  endOfText: number;
  /** First timestamp token, <|0.00|>; each next id is 0.02 s later. */
  timestampBegin: number;
  /** Seconds per timestamp step (30 s / 1500 positions). */
  timePrecision: number;
}

export interface TimedTokens {
  startSeconds: number;
  endSeconds: number;
  tokens: number[];
}

/**
 * Splits generated tokens into timed stretches: `<|t0|> text… <|t1|>` is one stretch. Text with no
 * closing timestamp (decoding stopped early) runs to `windowSeconds`. Special tokens are dropped.
 */
export function groupByTimestamps(generated: number[], ids: WhisperTokenIds, windowSeconds: number): TimedTokens[] {
  const stretches: TimedTokens[] = [];
  let start: number | null = null;
  let lastEnd = 0;
  let text: number[] = [];
  for (const token of generated) {
    if (token >= ids.timestampBegin) {
      const seconds = (token - ids.timestampBegin) * ids.timePrecision;
      if (start !== null && text.length > 0) {
        stretches.push({ startSeconds: start, endSeconds: seconds, tokens: text });
        lastEnd = seconds;
        text = [];
        start = null;
      } else {
        // An opening timestamp (or a second one in a row, which replaces the first).
        start = seconds;
      }
    } else if (token < ids.endOfText) {
      start ??= lastEnd;
      text.push(token);
    }
  }
  if (text.length > 0) stretches.push({ startSeconds: start ?? lastEnd, endSeconds: windowSeconds, tokens: text });
  return stretches;
}
