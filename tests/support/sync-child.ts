// A console in a process of its own, for the test that kills one with SIGKILL in the middle of a
// sync. Started with `fork(…, { execArgv: ['--import', 'tsx'] })`; it takes its orders from the IPC
// channel, confirms its cases, reports over the channel, and then syncs (the background loop, as the
// console runs it) until it is killed.
import { seededRandom } from './fault-proxy';
import { confirmThroughApp } from './sync-harness';
import { call, openTestConsole } from './temp-console';

export interface SyncChildOrder {
  dataDir: string;
  stationCode: string;
  platformUrl: string;
  token: string;
  cases: number;
}

export type SyncChildReport = { kind: 'configured' } | { kind: 'confirmed'; caseIds: string[] } | { kind: 'failed'; message: string };

function report(message: SyncChildReport): void {
  process.send?.(message);
}

process.once('message', (order: SyncChildOrder) => {
  void (async () => {
    const app = await openTestConsole(order.dataDir, {
      stationCode: order.stationCode,
      // The loop starts once every case is confirmed, so that several deliveries are under way at once;
      // a long request timeout keeps them under way until the kill.
      sync: { autoStart: false, backoff: { baseMs: 1, capMs: 20 }, requestTimeoutMs: 120_000 },
    });
    await call(app, 'sync.configure', { platformUrl: order.platformUrl, token: order.token });
    report({ kind: 'configured' });
    const confirmed = await confirmThroughApp(app, order.cases, seededRandom(order.cases));
    report({ kind: 'confirmed', caseIds: confirmed.map((entry) => entry.id) });
    app.services().sync.start();
  })().catch((error: unknown) => {
    report({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
