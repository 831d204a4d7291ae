import { initialSchema } from './0001-initial';
import { receiveCaseFunction } from './0002-receive-case-function';
import type { PlatformMigration } from './migration';

export type { PlatformMigration } from './migration';

/** Append-only: a schema change is a new file and a new entry at the end. */
export const platformMigrations: readonly PlatformMigration[] = [initialSchema, receiveCaseFunction];
