import { describe, expect, it } from 'vitest';
import { positionalArguments, resolveRuntimeOptions, resolveSyncOptions } from '../../../src-main/core/config';

describe('the sync pull interval from the command line or the environment', () => {
  it('takes --sync-pull-seconds, else $HOTLINE_CONSOLE_SYNC_PULL_SECONDS, else leaves the default', () => {
    expect(resolveSyncOptions(['serve', '--sync-pull-seconds', '30'], {})).toEqual({ pullIntervalMs: 30_000 });
    expect(resolveSyncOptions(['serve', '--sync-pull-seconds=2.5'], { HOTLINE_CONSOLE_SYNC_PULL_SECONDS: '60' })).toEqual({ pullIntervalMs: 2_500 });
    expect(resolveSyncOptions(['serve'], { HOTLINE_CONSOLE_SYNC_PULL_SECONDS: '60' })).toEqual({ pullIntervalMs: 60_000 });
    expect(resolveSyncOptions(['serve'], {})).toBeUndefined();
    expect(resolveRuntimeOptions(['--sync-pull-seconds', '5', '--data-dir', '/tmp/console'], {}).sync).toEqual({ pullIntervalMs: 5_000 });
    expect(resolveRuntimeOptions(['--data-dir', '/tmp/console'], {})).not.toHaveProperty('sync');
    // Its value is not a positional argument.
    expect(positionalArguments(['--sync-pull-seconds', '5', 'cases.jsonl'])).toEqual(['cases.jsonl']);
  });

  it('refuses a value that is not a number of seconds from 1 to 3600, naming the flag', () => {
    for (const value of ['0', '-5', 'soon', '7200']) {
      expect(() => resolveSyncOptions(['--sync-pull-seconds', value], {})).toThrow(/--sync-pull-seconds must be a number of seconds from 1 to 3600/);
    }
  });
});
