import { clockSkewWarningSeconds, type CaseSummary, type CaseSyncChange, type CaseSyncState, type SyncCheck, type SyncConfigureResult, type SyncError, type SyncErrorCode, type SyncState, type SyncStatus } from '../../contract';
import { AppError } from '../app-error';
import type { Clock } from '../clock';
import type { EventBus } from '../events/event-bus';
import { backoffDelayMs, defaultBackoff, type BackoffPolicy } from './backoff';
import { withSubmittedAt } from './case-payload';
import { defaultRequestTimeoutMs, PlatformClient, PlatformError, SyncStoppedError, type FailureKind } from './platform-client';
import { DeliveryRecorder } from './delivery-recorder';
import { nodeHttpFetch } from './http-transport';
import type { OutboxEntry, SyncStore } from './sync-store';

export interface SyncOptions {
  /** How often the platform's change feed is asked when nothing else happens. */
  pullIntervalMs: number;
  /** Cases delivered at the same time. */
  concurrency: number;
  /** Per case, and for the whole station after consecutive transient failures. */
  backoff: BackoffPolicy;
  requestTimeoutMs: number;
  /** Changes asked for per request (the platform allows 1..500). */
  changesPageSize: number;
  /** Due entries read from the outbox at a time. */
  batchSize: number;
  /** Start the background loop with the console; without it only `syncNow()` syncs (tests, one-off commands). */
  autoStart: boolean;
  /** 0..1, for the jitter; tests pin it. */
  random: () => number;
  /** The HTTP transport: node:http with kept-alive connections (see http-transport.ts); tests wrap or replace it. */
  fetch: typeof fetch;
}

export const defaultSyncOptions: SyncOptions = {
  pullIntervalMs: 15_000,
  concurrency: 4,
  backoff: defaultBackoff,
  requestTimeoutMs: defaultRequestTimeoutMs,
  changesPageSize: 200,
  batchSize: 50,
  autoStart: true,
  random: Math.random,
  fetch: nodeHttpFetch,
};

/** Failures fixed by changing the settings: a new token or URL puts these cases back in the queue by itself. */
export const settingsFailureCodes: readonly SyncErrorCode[] = ['UNAUTHORIZED', 'TOKEN_REVOKED', 'FORBIDDEN', 'NOT_FOUND', 'PLATFORM_REDIRECTED'];

// Transient failures that still need someone: the platform is reachable but the answer is not its API.
const misconfiguredCodes = new Set<SyncErrorCode>(['PLATFORM_NOT_JSON', 'PLATFORM_BAD_RESPONSE']);

// Longest single sleep of the loop: it looks again at least this often even when nothing is due.
const maxSleepMs = 2 ** 31 - 1;

interface Problem {
  error: SyncError;
  kind: FailureKind;
  source: 'send' | 'pull' | 'check';
}

export interface SyncServiceDependencies {
  store: SyncStore;
  events: EventBus;
  clock: Clock;
  options?: Partial<SyncOptions>;
}

/** Trailing slashes go: `https://p.example/hotline/` and `https://p.example/hotline` are one platform. */
export function normalisePlatformUrl(text: string): string {
  const url = new URL(text.trim());
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** Runs `work` on every item, at most `limit` at a time, in order of start; `shouldStart` can stop the rest. */
async function runPool<T>(items: readonly T[], limit: number, shouldStart: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && shouldStart()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Delivers confirmed cases from the outbox to the central platform and brings their status back.
 *
 * One pass at a time: send what is due (oldest first, `concurrency` at once), then pull the change
 * feed. A transient failure (no answer, 5xx, 429, an HTML page) leaves the case waiting with its own
 * backoff and holds the whole station back for a growing, jittered time (or the Retry-After), so a
 * platform that is down is probed, not hammered. A refusal of the settings (401, 403, 404, redirect)
 * fails the case and pauses sending until the settings change; a refusal of the case (400, 409, 413,
 * 415) fails that case only. Everything is in SQLite: after a restart the loop picks up where it was;
 * a request cut off by a crash is simply sent again (the platform answers a resend with the same number).
 */
export class SyncService {
  private readonly options: SyncOptions;
  private readonly store: SyncStore;
  private readonly events: EventBus;
  private readonly clock: Clock;

  private chain: Promise<unknown> = Promise.resolve();
  private loopDone: Promise<void> | null = null;
  private stopped = false;
  private readonly stopController = new AbortController();
  private wakeRequested = false;
  private wakeSleeper: (() => void) | null = null;

  private sending = false;
  private paused: SyncError | null = null;
  private problem: Problem | null = null;
  private holdUntil: number | null = null;
  private consecutiveFailures = 0;
  private lastPullAt: number | null = null;
  private contactAt: string | null = null;
  private clockSkewSeconds: number | null = null;
  private persistedContact: { at: string | null; skew: number | null } | null = null;
  private lastEmittedStatus = '';

  constructor(dependencies: SyncServiceDependencies) {
    this.store = dependencies.store;
    this.events = dependencies.events;
    this.clock = dependencies.clock;
    this.options = { ...defaultSyncOptions, ...dependencies.options };
  }

  get settings(): Readonly<SyncOptions> {
    return this.options;
  }

  /** Queues confirmed cases that predate the outbox, then runs the loop until `stop()`. */
  start(): void {
    if (this.loopDone || this.stopped) return;
    this.loopDone = this.loop();
  }

  /** Aborts requests in flight (their cases stay waiting), lets the pass end, and stops the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    this.wakeSleeper?.();
    await this.loopDone;
    await this.chain.catch(() => undefined);
  }

  /** Asks the loop for a pass as soon as possible (a case was confirmed, the settings changed). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Wakes the loop when a case is confirmed, and tells the renderer that the case is queued. Returns the disposer. */
  follow(): () => void {
    return this.events.subscribe((envelope) => {
      if (envelope.event !== 'onCaseChanged' || (envelope.payload as CaseSummary).state !== 'confirmed') return;
      const caseId = (envelope.payload as CaseSummary).id;
      void this.announce([caseId])
        .then(() => this.emitStatus())
        .catch((error: unknown) => console.error('sync: announcing a queued case failed:', error));
      this.wake();
    });
  }

  /** Runs one whole pass now (send what is due, pull the changes) and resolves when it is done. */
  async syncNow(): Promise<SyncStatus> {
    if (!this.stopped) await this.runPass(true);
    return this.getStatus();
  }

  async getStatus(): Promise<SyncStatus> {
    const [settings, counts] = await Promise.all([this.store.readSettings(), this.store.counts()]);
    const configured = Boolean(settings.platformUrl && settings.stationToken);
    const clockSkewSeconds = this.clockSkewSeconds ?? settings.clockSkewSeconds;
    return {
      configured,
      platformUrl: settings.platformUrl,
      tokenHint: settings.stationToken ? settings.stationToken.slice(-4) : null,
      queueLength: counts.waiting,
      failedCount: counts.failed,
      lastContactAt: this.contactAt ?? settings.lastContactAt,
      lastError: configured ? (this.paused ?? this.problem?.error ?? null) : null,
      clockSkewSeconds,
      clockSkewWarning: clockSkewSeconds !== null && Math.abs(clockSkewSeconds) > clockSkewWarningSeconds,
      state: this.stateOf(configured),
    };
  }

  /**
   * Saves the URL and the token (an empty token keeps the saved one), forgets the old backoff and
   * pause, requeues cases refused for the old settings, and tries the new ones: the health check,
   * then one authenticated request. The settings are kept whatever the check finds.
   */
  async configure(request: { platformUrl: string; token: string | null }): Promise<SyncConfigureResult> {
    const platformUrl = normalisePlatformUrl(request.platformUrl);
    const current = await this.store.readSettings();
    const token = request.token?.trim() ? request.token.trim() : current.stationToken;
    await this.store.writeSettings({
      platformUrl,
      ...(request.token?.trim() ? { stationToken: request.token.trim() } : {}),
      // Another platform's cursor means nothing to this one: its feed is read from the start.
      ...(current.platformUrl !== platformUrl ? { changesCursor: null } : {}),
    });
    this.forgetFailures();
    const now = this.clock.now();
    const requeued = await this.store.requeueFailed(now, settingsFailureCodes);
    await this.store.makeWaitingDue(now);
    await this.announce(requeued);
    const check = await this.check(platformUrl, token);
    await this.persistContact();
    this.wake();
    const status = await this.emitStatus();
    return { status, check };
  }

  /** Every refused case back in the queue, due now, and sending resumed. */
  async retryFailed(): Promise<{ requeued: number; status: SyncStatus }> {
    this.forgetFailures();
    const now = this.clock.now();
    const requeued = await this.store.requeueFailed(now);
    await this.store.makeWaitingDue(now);
    await this.announce(requeued);
    this.wake();
    return { requeued: requeued.length, status: await this.emitStatus() };
  }

  async caseState(caseId: string): Promise<CaseSyncState> {
    const found = await this.store.caseState(caseId);
    if (!found) throw new AppError('NOT_FOUND', `No case with id ${caseId}.`);
    const { caseId: _caseId, ...state } = found;
    return state;
  }

  caseStates(caseIds: readonly string[]): Promise<CaseSyncChange[]> {
    return this.store.caseStates(caseIds);
  }

  private stateOf(configured: boolean): SyncState {
    if (!configured) return 'not-configured';
    if (this.paused) return 'error';
    if (this.sending) return 'sending';
    const problem = this.problem;
    if (!problem) return 'idle';
    if (problem.kind === 'transient') return misconfiguredCodes.has(problem.error.code) ? 'error' : 'offline';
    // A case the platform refused is that case's matter (it shows as failed); the sync itself goes on.
    return problem.source === 'send' ? 'idle' : 'error';
  }

  private forgetFailures(): void {
    this.paused = null;
    this.problem = null;
    this.holdUntil = null;
    this.consecutiveFailures = 0;
    this.lastPullAt = null;
  }

  private async loop(): Promise<void> {
    try {
      const queued = await this.store.enqueueMissing();
      if (queued > 0) console.log(`sync: queued ${queued} confirmed cases that predate the outbox`);
    } catch (error) {
      console.error('sync: queueing earlier confirmed cases failed:', error);
    }
    while (!this.stopped) {
      this.wakeRequested = false;
      try {
        await this.runPass(false);
      } catch (error) {
        console.error('sync: a pass failed:', error);
      }
      if (this.stopped) break;
      if (this.wakeRequested) continue;
      let delay = this.options.pullIntervalMs;
      try {
        delay = await this.nextWakeDelay();
      } catch (error) {
        console.error('sync: reading the next due time failed:', error);
      }
      await this.sleep(delay);
    }
  }

  private sleep(milliseconds: number): Promise<void> {
    if (this.wakeRequested || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, Math.min(Math.max(0, milliseconds), maxSleepMs));
      // The loop alone must not keep a one-off command's process alive.
      timer.unref?.();
      this.wakeSleeper = done;
    });
  }

  /** Until the earliest of: the next due case, the next pull; never before the station-wide hold ends. */
  private async nextWakeDelay(): Promise<number> {
    const now = this.clock.now().getTime();
    const pullAt = (this.lastPullAt ?? now) + this.options.pullIntervalMs;
    let at = pullAt;
    if (!this.paused) {
      const due = await this.store.nextDueAt();
      if (due !== null) at = Math.min(at, Date.parse(due));
    }
    if (this.holdUntil !== null) at = Math.max(at, this.holdUntil);
    return Math.min(Math.max(0, at - now), this.options.pullIntervalMs * 4);
  }

  private runPass(forcePull: boolean): Promise<void> {
    const run = this.chain.then(() => this.pass(forcePull));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async pass(forcePull: boolean): Promise<void> {
    if (this.stopped) return;
    const settings = await this.store.readSettings();
    if (this.persistedContact === null) {
      this.persistedContact = { at: settings.lastContactAt, skew: settings.clockSkewSeconds };
      this.contactAt ??= settings.lastContactAt;
      this.clockSkewSeconds ??= settings.clockSkewSeconds;
    }
    if (!settings.platformUrl || !settings.stationToken || this.paused) {
      await this.emitStatus();
      return;
    }
    const client = new PlatformClient({
      baseUrl: settings.platformUrl,
      token: settings.stationToken,
      timeoutMs: this.options.requestTimeoutMs,
      fetch: this.options.fetch,
      now: () => this.clock.now(),
    });
    try {
      let delivered = 0;
      if (!this.held()) delivered = await this.sendDue(client);
      const now = this.clock.now().getTime();
      const pullDue = this.lastPullAt === null || now - this.lastPullAt >= this.options.pullIntervalMs;
      if (!this.paused && !this.held() && (forcePull || delivered > 0 || pullDue)) await this.pull(client, settings.changesCursor);
    } finally {
      await this.persistContact();
      await this.emitStatus();
    }
  }

  private held(): boolean {
    return this.holdUntil !== null && this.clock.now().getTime() < this.holdUntil;
  }

  /**
   * Sends every due case, batch by batch, until none is due or a failure says to stop. Returns how
   * many were delivered. Deliveries are recorded in groups as they come back (see DeliveryRecorder),
   * and all of a batch's before the next batch is read.
   */
  private async sendDue(client: PlatformClient): Promise<number> {
    let keepGoing = true;
    const recorder = new DeliveryRecorder(async (deliveries) => this.announce(await this.store.markSentMany(deliveries)));
    // Without a record of what went, the same entries would come back due at once: a storage failure ends the pass.
    const shouldStart = () => keepGoing && !this.stopped && !this.paused && !recorder.failed;
    try {
      while (shouldStart()) {
        const due = await this.store.dueEntries(this.clock.now(), this.options.batchSize);
        if (due.length === 0) break;
        if (!this.sending) {
          this.sending = true;
          await this.emitStatus();
        }
        try {
          await runPool(due, this.options.concurrency, shouldStart, async (entry) => {
            const outcome = await this.sendOne(client, entry, recorder);
            if (outcome === 'stop') keepGoing = false;
          });
        } finally {
          await recorder.flush();
        }
        await this.emitStatus();
      }
    } finally {
      this.sending = false;
    }
    return recorder.recorded;
  }

  /** One delivery attempt; a success goes to `recorder`. */
  private async sendOne(client: PlatformClient, entry: OutboxEntry, recorder: DeliveryRecorder): Promise<'sent' | 'failed' | 'stop'> {
    const startedAt = this.clock.now();
    try {
      const answer = await client.putCase(entry.caseId, withSubmittedAt(entry.payload, startedAt), this.stopController.signal);
      this.succeeded('send');
      if (answer.clockSkewSeconds !== null) this.clockSkewSeconds = answer.clockSkewSeconds;
      // Clock skew is in the status already; anything else the platform remarks on goes to the log.
      const warnings = answer.warnings.filter((warning) => warning !== 'clock-skew');
      if (answer.ignoredFields.length > 0 || warnings.length > 0) {
        console.warn(`sync: the platform took case ${entry.caseId} with remarks`, { ignoredFields: answer.ignoredFields, warnings });
      }
      recorder.add({ caseId: entry.caseId, platformNumber: answer.platformNumber, at: this.clock.now() });
      return 'sent';
    } catch (error) {
      if (error instanceof SyncStoppedError || this.stopped) return 'stop';
      const failure = error instanceof PlatformError ? error : null;
      if (!failure) {
        // Not an answer from the platform (a stored body that cannot be sent): the case stays waiting, the pass ends.
        console.error(`sync: sending case ${entry.caseId} failed:`, error);
        return 'stop';
      }
      const now = this.clock.now();
      const reason = failure.toSyncError();
      if (failure.kind === 'transient') {
        this.problem = { error: reason, kind: 'transient', source: 'send' };
        const retryAfter = failure.retryAfterMs ?? 0;
        const delay = Math.max(backoffDelayMs(entry.attempts + 1, this.options.backoff, this.options.random), retryAfter);
        await this.store.markRetry(entry.caseId, reason, new Date(now.getTime() + delay), now);
        this.holdOff(retryAfter);
        await this.announce([entry.caseId]);
        return 'stop';
      }
      await this.store.markFailed(entry.caseId, reason, failure.platformNumber, now);
      await this.announce([entry.caseId]);
      if (failure.kind === 'settings') {
        this.paused = reason;
        this.problem = { error: reason, kind: 'settings', source: 'send' };
        return 'stop';
      }
      this.problem = { error: reason, kind: 'rejected', source: 'send' };
      return 'failed';
    }
  }

  /** Reads the change feed from the saved cursor to its end, applying each page in one transaction. */
  private async pull(client: PlatformClient, cursor: string | null): Promise<void> {
    let since = cursor;
    try {
      for (let page = 0; page < 100 && !this.stopped; page += 1) {
        const answer = await client.changes(since, this.options.changesPageSize, this.stopController.signal);
        this.succeeded('pull');
        const next = answer.nextCursor ?? answer.changes.at(-1)?.cursor ?? since;
        const applied = await this.store.applyChanges(answer.changes, next, this.clock.now());
        if (applied.unknown > 0) console.warn(`sync: the platform reported ${applied.unknown} changes for cases this console does not hold; skipped`);
        await this.announce(applied.changed);
        if (answer.changes.length < this.options.changesPageSize || next === since) break;
        since = next;
      }
      this.lastPullAt = this.clock.now().getTime();
    } catch (error) {
      if (error instanceof SyncStoppedError || this.stopped) return;
      if (!(error instanceof PlatformError)) throw error;
      const reason = error.toSyncError();
      this.lastPullAt = this.clock.now().getTime();
      if (error.kind === 'settings') this.paused = reason;
      if (error.kind === 'transient') this.holdOff(error.retryAfterMs ?? 0);
      this.problem = { error: reason, kind: error.kind, source: 'pull' };
    }
  }

  /** A failure that may pass: hold the station back, longer after each one in a row (or as long as the platform asked). */
  private holdOff(retryAfterMs: number): void {
    this.consecutiveFailures += 1;
    const delay = Math.max(backoffDelayMs(this.consecutiveFailures, this.options.backoff, this.options.random), retryAfterMs);
    this.holdUntil = this.clock.now().getTime() + delay;
  }

  /**
   * The platform answered. A delivery clears any problem; a pull or a check clears all but a refused
   * case, which stays the last error until the next delivery (the case itself keeps its reason).
   */
  private succeeded(what: 'send' | 'pull' | 'check'): void {
    this.contactAt = this.clock.now().toISOString();
    this.consecutiveFailures = 0;
    this.holdUntil = null;
    if (what === 'send' || this.problem?.kind !== 'rejected' || this.problem.source !== 'send') this.problem = null;
  }

  /** The health check and one authenticated request with these settings. */
  private async check(platformUrl: string, token: string | null): Promise<SyncCheck> {
    const client = new PlatformClient({
      baseUrl: platformUrl,
      token: token ?? '',
      timeoutMs: this.options.requestTimeoutMs,
      fetch: this.options.fetch,
      now: () => this.clock.now(),
    });
    const failed = (error: unknown, reachable: boolean, database: string | null, clockSkewSeconds: number | null): SyncCheck => {
      const failure =
        error instanceof PlatformError ? error : new PlatformError('PLATFORM_UNREACHABLE', error instanceof Error ? error.message : String(error), 'transient');
      // Reported, not acted on: the loop finds out for itself (and pauses) when it tries a case.
      this.problem = { error: failure.toSyncError(), kind: failure.kind, source: 'check' };
      return { ok: false, reachable, authorised: false, database, clockSkewSeconds, error: failure.toSyncError() };
    };
    let database: string | null = null;
    let clockSkewSeconds: number | null = null;
    try {
      const sentAt = this.clock.now().getTime();
      const health = await client.health(this.stopController.signal);
      database = health.database;
      const platformTime = health.time ? Date.parse(health.time) : Number.NaN;
      if (Number.isFinite(platformTime)) {
        // The platform read its clock somewhere between sending and receiving: take the middle.
        const middle = (sentAt + this.clock.now().getTime()) / 2;
        clockSkewSeconds = Math.round((middle - platformTime) / 1000);
        this.clockSkewSeconds = clockSkewSeconds;
      }
      if (health.status !== 'ok') {
        return failed(new PlatformError('UNAVAILABLE', `the platform reports its health as "${health.status}"`, 'transient'), true, database, clockSkewSeconds);
      }
    } catch (error) {
      return failed(error, false, database, clockSkewSeconds);
    }
    if (!token) {
      const missing = new PlatformError('PLATFORM_NOT_CONFIGURED', 'no station token: enter the token the platform issued for this station', 'settings');
      return failed(missing, true, database, clockSkewSeconds);
    }
    try {
      await client.changes(null, 1, this.stopController.signal);
      this.succeeded('check');
      return { ok: true, reachable: true, authorised: true, database, clockSkewSeconds, error: null };
    } catch (error) {
      return failed(error, true, database, clockSkewSeconds);
    }
  }

  private async persistContact(): Promise<void> {
    const persisted = this.persistedContact;
    if (persisted && persisted.at === this.contactAt && persisted.skew === this.clockSkewSeconds) return;
    if (this.contactAt === null && this.clockSkewSeconds === null) return;
    await this.store.writeSettings({
      ...(this.contactAt !== null ? { lastContactAt: this.contactAt } : {}),
      ...(this.clockSkewSeconds !== null ? { clockSkewSeconds: this.clockSkewSeconds } : {}),
    });
    this.persistedContact = { at: this.contactAt, skew: this.clockSkewSeconds };
  }

  private async announce(caseIds: readonly string[]): Promise<void> {
    if (caseIds.length === 0) return;
    for (let start = 0; start < caseIds.length; start += 200) {
      for (const change of await this.store.caseStates(caseIds.slice(start, start + 200))) this.events.emit('onCaseSyncChanged', change);
    }
  }

  /** Emits the status when it differs from the last one emitted; returns it. */
  private async emitStatus(): Promise<SyncStatus> {
    const status = await this.getStatus();
    const text = JSON.stringify(status);
    if (text !== this.lastEmittedStatus) {
      this.lastEmittedStatus = text;
      this.events.emit('onSyncStatusChanged', status);
    }
    return status;
  }
}
