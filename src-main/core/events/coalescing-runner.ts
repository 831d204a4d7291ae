/**
 * Runs one piece of work per key at a time. Requests for a key whose work is under way are folded
 * into a single follow-up run, so a burst of events never queues up stale work.
 */
export class CoalescingRunner {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private stopped = false;

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly describe: (key: string) => string,
  ) {}

  request(key: string): void {
    if (this.stopped) return;
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return;
    }
    let finish = () => {};
    const state = { again: false, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.running.set(key, state);
    const run = (): void => {
      state.again = false;
      this.work(key)
        .catch((error: unknown) => console.error(`${this.describe(key)} failed:`, error))
        .finally(() => {
          if (state.again && !this.stopped) return run();
          this.running.delete(key);
          finish();
        });
    };
    run();
  }

  /** Lets runs under way finish and starts no new ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running.values()].map((state) => state.done));
  }
}
