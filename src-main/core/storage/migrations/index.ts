import { initialSchema } from './0001-initial';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Append-only: a new schema change is a new file and a new entry at the end. */
export const migrations: readonly Migration[] = [initialSchema];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
