import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs, defaultBackoff, maxRetryAfterMs, parseRetryAfter } from '../../../../src-main/core/sync/backoff';

describe('exponential backoff with full jitter', () => {
  it('doubles its ceiling from 1 s after each failure and stops at 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffCeilingMs(attempt))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(backoffCeilingMs(9)).toBe(256_000);
    expect(backoffCeilingMs(10)).toBe(defaultBackoff.capMs);
    expect(backoffCeilingMs(10_000)).toBe(5 * 60_000);
    // Nonsense attempt numbers are the first attempt, not NaN or a negative delay.
    expect(backoffCeilingMs(0)).toBe(1_000);
    expect(backoffCeilingMs(-3)).toBe(1_000);
  });

  it('draws each delay from [0, ceiling): never negative, never above the cap', () => {
    for (const attempt of [1, 2, 5, 8, 12, 50, 1_000]) {
      const ceiling = backoffCeilingMs(attempt);
      expect(backoffDelayMs(attempt, defaultBackoff, () => 0)).toBe(0);
      expect(backoffDelayMs(attempt, defaultBackoff, () => 0.5)).toBe(Math.floor(ceiling / 2));
      const highest = backoffDelayMs(attempt, defaultBackoff, () => 0.999_999);
      expect(highest).toBeLessThan(ceiling);
      expect(highest).toBeGreaterThanOrEqual(ceiling - 1);
      for (let draw = 0; draw < 200; draw += 1) {
        const delay = backoffDelayMs(attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(defaultBackoff.capMs);
        expect(delay).toBeLessThan(ceiling);
      }
    }
    // A random source out of range is clamped rather than trusted.
    expect(backoffDelayMs(3, defaultBackoff, () => 7)).toBe(4_000);
    expect(backoffDelayMs(3, defaultBackoff, () => -1)).toBe(0);
  });

  it('spreads the delays of many consoles over the whole window', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(6));
    const ceiling = backoffCeilingMs(6);
    expect(Math.min(...delays)).toBeLessThan(ceiling * 0.1);
    expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
  });

  it('honours a custom policy', () => {
    expect(backoffCeilingMs(4, { baseMs: 10, capMs: 50 })).toBe(50);
    expect(backoffDelayMs(2, { baseMs: 10, capMs: 50 }, () => 0.5)).toBe(10);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-11-22T01:30:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date, relative to now, and never goes negative', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 01:31:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 01:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [null, undefined, '', '   ', 'soon', '-5', '5s', 'NaN', '2026-11-22']) {
      expect(parseRetryAfter(value, now)).toBeNull();
    }
  });

  it('caps an absurd wait at an hour', () => {
    expect(parseRetryAfter('999999999', now)).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(maxRetryAfterMs);
  });
});
