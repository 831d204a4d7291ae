/** Injected wherever time matters, so that tests can pin dates (case codes, deadlines) without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
