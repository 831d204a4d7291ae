import { useMemo } from 'react';
import { highlightParts, plainText } from './kb-text';

/** Text with the matched words marked; Markdown emphasis markers are dropped. */
export function Highlighted({ text, terms }: { text: string; terms: readonly string[] }) {
  const parts = useMemo(() => highlightParts(plainText(text), terms), [text, terms]);
  return (
    <>
      {parts.map((part, index) =>
        part.hit ? (
          <mark key={index} className="hc-hit" data-testid="hit">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}
