import type { ReactNode } from 'react';

/** A visible keyboard hint, e.g. <Kbd>Alt+N</Kbd>. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="hc-kbd">{children}</kbd>;
}
