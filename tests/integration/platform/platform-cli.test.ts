// The platform's station commands (`npm run platform:stations -- …`) on an embedded database folder,
// with the tokens they print tried against the platform served from that folder afterwards.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { platformMain } from '../../../src-platform/cli';
import { startPlatform } from '../../../src-platform/server';
import { makeTempDir, removeTempDir } from '../../support/temp-console';

let dataDir: string;
let printed: string[];

beforeEach(async () => {
  dataDir = await makeTempDir('platform-cli-');
  printed = [];
  vi.stubEnv('DATABASE_URL', '');
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await removeTempDir(dataDir);
});

/** Runs `platform stations …` on the test's folder; returns the exit code and what it printed. */
async function stations(...words: string[]): Promise<{ code: number; output: string }> {
  printed.length = 0;
  const code = await platformMain(['stations', ...words, '--data-dir', dataDir]);
  return { code, output: printed.join('\n') };
}

function tokenIn(output: string): string {
  const token = /hcp_[A-Za-z0-9_-]{43}/.exec(output)?.[0];
  if (!token) throw new Error(`No token in: ${output}`);
  return token;
}

/** The status of an authenticated request with each token, against the platform served from the folder. */
async function statusesWith(tokens: string[]): Promise<{ status: number; code: string | null }[]> {
  const platform = await startPlatform({ dataDir, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  try {
    return await Promise.all(
      tokens.map(async (token) => {
        const response = await fetch(`${platform.url}/v1/changes`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { error?: { code: string } };
        return { status: response.status, code: body.error?.code ?? null };
      }),
    );
  } finally {
    await platform.close();
  }
}

describe('platform stations rotate', () => {
  it('issues a new token: the old one stops working at once, the new one works', async () => {
    const added = await stations('add', 'HC01');
    expect(added.code).toBe(0);
    const first = tokenIn(added.output);

    const rotated = await stations('rotate', 'HC01');
    expect(rotated.code).toBe(0);
    expect(rotated.output).toContain('the old one no longer works');
    const second = tokenIn(rotated.output);
    expect(second).not.toBe(first);

    expect(await statusesWith([first, second])).toEqual([
      { status: 401, code: 'UNAUTHORIZED' },
      { status: 200, code: null },
    ]);
  });

  it('makes a revoked station active again with the new token', async () => {
    const revokedToken = tokenIn((await stations('add', 'HC02')).output);
    expect((await stations('revoke', 'HC02')).code).toBe(0);
    expect((await stations('list')).output).toMatch(/HC02\tstation\tadded .*\trevoked /);

    const rotated = await stations('rotate', 'HC02');
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.output).toContain('It had been revoked; it is active again.');
    expect((await stations('list')).output).not.toContain('revoked');
    expect(await statusesWith([revokedToken, tokenIn(rotated.output)])).toEqual([
      { status: 401, code: 'UNAUTHORIZED' },
      { status: 200, code: null },
    ]);
  });

  it('says so when there is no such station, and asks for a code', async () => {
    expect(await stations('rotate', 'NOPE')).toMatchObject({ code: 1, output: expect.stringContaining('There is no station NOPE') });
    expect(await stations('rotate')).toMatchObject({ code: 2, output: expect.stringContaining('stations rotate needs a station CODE') });
  });
});
