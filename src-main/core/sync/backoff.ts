/** Exponential backoff: the delay before retry number `attempt` grows from `baseMs` and stops at `capMs`. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** The ceiling of the delay after `attempt` failures (1 = the first): base·2^(attempt-1), at most the cap. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = defaultBackoff): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity long after passing any cap; min() keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 1_000));
}

/**
 * "Full jitter": a delay drawn uniformly from [0, ceiling). Consoles that lost the platform together
 * do not come back in step, which would knock it over again as it recovers.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * backoffCeilingMs(attempt, policy));
}

/** The longest wait a Retry-After may impose; a larger value is taken as this (a platform bug must not park the queue for days). */
export const maxRetryAfterMs = 60 * 60_000;

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds ("120") or an HTTP date. Null when absent or
 * unreadable; never negative; at most `maxRetryAfterMs`.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (!text) return null;
  let milliseconds: number;
  if (/^\d+(\.\d+)?$/.test(text)) milliseconds = Number(text) * 1_000;
  else {
    // Only the HTTP-date forms: Date.parse alone would take "5" or "soon-ish" for some date.
    if (!/^[A-Za-z]{3},? /.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    milliseconds = at - now.getTime();
  }
  if (!Number.isFinite(milliseconds)) return null;
  return Math.min(Math.max(0, Math.round(milliseconds)), maxRetryAfterMs);
}
