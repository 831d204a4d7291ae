export interface RateLimitSettings {
  /** Sustained requests per second per token. */
  requestsPerSecond: number;
  /** How many requests a token may make at once after being idle. */
  burst: number;
}

export const defaultRateLimit: RateLimitSettings = { requestsPerSecond: 200, burst: 400 };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Buckets kept before idle (full) ones are dropped: a full bucket is the same as no bucket. */
const bucketsBeforePruning = 10_000;

/**
 * One token bucket per bearer token, in this process's memory. The platform is otherwise stateless,
 * so with several instances behind a balancer each enforces its own share; that bounds a runaway
 * console well enough without a shared store.
 */
export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  take(key: string): RateDecision {
    const now = this.nowMs();
    const bucket = this.refilled(this.buckets.get(key) ?? { tokens: this.settings.burst, refilledAt: now }, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(key, bucket);
      if (this.buckets.size > bucketsBeforePruning) this.pruneFullBuckets(now);
      return { allowed: true };
    }
    this.buckets.set(key, bucket);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.settings.requestsPerSecond)) };
  }

  private refilled(bucket: Bucket, now: number): Bucket {
    const earned = ((now - bucket.refilledAt) / 1000) * this.settings.requestsPerSecond;
    return { tokens: Math.min(this.settings.burst, bucket.tokens + earned), refilledAt: now };
  }

  private pruneFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, now).tokens >= this.settings.burst) this.buckets.delete(key);
    }
  }
}
