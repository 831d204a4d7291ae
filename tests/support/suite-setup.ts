import { beforeAll, beforeEach } from 'vitest';

/**
 * `beforeAll`, except that a failed set-up fails every test of the suite with its error. Vitest
 * reports the tests of a suite whose `beforeAll` threw as skipped, which would let a missing
 * prerequisite (PostgreSQL not installed) pass for a skipped test rather than a failure to fix.
 */
export function setUpSuite(setup: () => Promise<void>, timeoutMs: number): void {
  let failure: { error: unknown } | null = null;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = { error };
    }
  }, timeoutMs);
  beforeEach(() => {
    if (failure) throw failure.error;
  });
}
