import type { Delivery } from './sync-store';

/**
 * Records deliveries as they come back, grouped: the first is written at once, and those that arrive
 * while a write is under way go together in the next one (a group commit). One transaction per case
 * held one console to a few hundred cases a second; grouped, the sends never wait for SQLite and
 * SQLite commits a handful at a time. A delivery not yet recorded when the console stops is simply
 * sent again later: same content, so the platform answers with the number it gave the first time.
 */
export class DeliveryRecorder {
  private pending: Delivery[] = [];
  private writing: Promise<void> | null = null;
  private failure: unknown = null;
  private recordedCount = 0;

  constructor(private readonly write: (deliveries: readonly Delivery[]) => Promise<void>) {}

  /** Whether a write failed: the deliveries of that write stay waiting in the outbox. */
  get failed(): boolean {
    return this.failure !== null;
  }

  get recorded(): number {
    return this.recordedCount;
  }

  add(delivery: Delivery): void {
    this.pending.push(delivery);
    this.writing ??= this.drain();
  }

  /** Resolves when everything added so far is written (or has failed: see `failed`). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.failure === null) {
        const group = this.pending;
        this.pending = [];
        try {
          await this.write(group);
          this.recordedCount += group.length;
        } catch (error) {
          this.failure = error;
          console.error(`sync: recording the delivery of ${group.length} cases failed; they stay queued and will be sent again:`, error);
        }
      }
      this.pending = [];
    } finally {
      this.writing = null;
    }
  }
}
