import { join } from 'node:path';
import { generateStationToken, tokenDigest } from '../../src-platform/api/station-tokens';
import type { StationRole } from '../../src-platform/model';
import { startPlatform, type RateLimitSettings, type RunningPlatform } from '../../src-platform/server';
import { addStation, revokeStation } from '../../src-platform/storage/stations';
import { makeTempDir, removeTempDir } from './temp-console';

/**
 * The real central platform (src-platform) on a loopback port, for tests of the console's sync: on
 * embedded PGlite in a temporary folder, or on the PostgreSQL database at `databaseUrl`. It can be
 * stopped and started again on the same port and data, as a platform that goes down and comes back.
 */
export class TestPlatform {
  private running: RunningPlatform | null = null;
  private dispatcherToken: string | null = null;

  private constructor(
    readonly dataDir: string,
    private port: number,
    private rateLimit: RateLimitSettings | undefined,
    private readonly databaseUrl: string | undefined,
  ) {}

  static async start(options: { rateLimit?: RateLimitSettings; databaseUrl?: string } = {}): Promise<TestPlatform> {
    const dataDir = await makeTempDir('hotline-platform-');
    const platform = new TestPlatform(dataDir, 0, options.rateLimit, options.databaseUrl);
    await platform.restart();
    return platform;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running platform's database; throws while it is down. */
  get database(): RunningPlatform['database'] {
    if (!this.running) throw new Error('The test platform is down.');
    return this.running.database;
  }

  /** Adds a station as `platform stations add` does and returns its token (shown once). */
  async addStation(code: string, role: StationRole = 'station'): Promise<string> {
    const token = generateStationToken();
    if (!(await addStation(this.database, { code, role, tokenSha256: tokenDigest(token) }, new Date()))) throw new Error(`Station ${code} exists already.`);
    return token;
  }

  async revokeStation(code: string): Promise<void> {
    if (!(await revokeStation(this.database, code, new Date()))) throw new Error(`No active station ${code}.`);
  }

  /** Moves a case along as the platform's dispatchers do (POST /v1/cases/{id}/status). */
  async setStatus(
    caseId: string,
    update: { status: 'received' | 'dispatched' | 'handled' | 'closed'; department?: string | null; reply?: string | null; followUpVerdict?: 'satisfied' | 'unsatisfied' | 'unreachable' | null },
  ): Promise<unknown> {
    this.dispatcherToken ??= await this.addStation(`DISPATCH-${Date.now().toString(36)}`, 'dispatcher');
    const response = await fetch(`${this.url}/v1/cases/${caseId}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.dispatcherToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`Setting the status of ${caseId} failed: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  /** The cases the platform holds for a station, as stored. */
  async cases(stationCode: string): Promise<{ case_id: string; platform_number: string; code: string; status: string }[]> {
    return this.database.query('SELECT case_id, platform_number, code, status FROM cases WHERE station_code = $1 ORDER BY platform_number', [stationCode]);
  }

  /** The platform goes down: its port refuses connections until `restart()`. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  /** Starts (again) on the same port with the same data; a new rate limit restarts a running platform. */
  async restart(options: { rateLimit?: RateLimitSettings } = {}): Promise<void> {
    if ('rateLimit' in options) {
      this.rateLimit = options.rateLimit;
      await this.stop();
    }
    if (this.running) return;
    const location = this.databaseUrl ? { databaseUrl: this.databaseUrl } : { dataDir: join(this.dataDir, 'data') };
    this.running = await startPlatform({ ...location, host: '127.0.0.1', port: this.port, rateLimit: this.rateLimit, logLevel: 'silent' });
    this.port = Number(new URL(this.running.url).port);
  }

  async close(): Promise<void> {
    await this.stop();
    await removeTempDir(this.dataDir);
  }
}
