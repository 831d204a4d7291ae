import * as OpenCC from 'opencc-js/t2cn';

// Whisper often writes Mandarin in traditional characters (much of its training text is from
// Taiwan and Hong Kong). Operators and work orders use mainland simplified characters. OpenCC's
// Taiwan → mainland table converts character by character with its variant rules; the phrase
// table ("twp") is left out on purpose: it would swap words (軟體 → 软件) that the caller did
// not say.
let converter: ((text: string) => string) | null = null;

/** Traditional (Taiwan/Hong Kong/standard) → mainland simplified characters; other text passes unchanged. */
export function toSimplifiedChinese(text: string): string {
  converter ??= OpenCC.Converter({ from: 'tw', to: 'cn' });
  return converter(text);
}
