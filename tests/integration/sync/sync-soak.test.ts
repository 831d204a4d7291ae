// A small soak (tests/soak/sync-soak.ts, which `npm run test:soak` runs with 10,000 cases): 300
// confirmed cases through random faults of every kind, with status changes on the platform meanwhile.
import { describe, expect, it } from 'vitest';
import { faultKinds } from '../../support/fault-proxy';
import { runSoak } from '../../soak/sync-soak';

describe('the sync soak, small', () => {
  it('pushes 300 cases through random faults: none lost, none duplicated, every body and status as it should be', async () => {
    const result = await runSoak({ cases: 300, backend: 'pglite', seed: 1, faultRate: 0.2, log: () => undefined });
    expect(result).toMatchObject({ cases: 300, lost: 0, duplicated: 0, contentDiffers: 0, statusesBehind: 0, consoles: 1 });
    expect(result.statusChanges).toBe(30);
    // Seed 1 meets every kind of fault within its first 80 requests.
    for (const kind of faultKinds) expect({ kind, met: result.faults[kind] > 0 }).toEqual({ kind, met: true });
  }, 120_000);
});
