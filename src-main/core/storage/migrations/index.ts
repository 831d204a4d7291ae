import { initialSchema } from './0001-initial';
import { searchSchema } from './0002-search';
import { caseAnswerSchema } from './0003-case-answer';
import { recordingsSchema } from './0004-recordings';
import { draftingSchema } from './0005-drafting';
import { syncSchema } from './0006-sync';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Append-only: a new schema change is a new file and a new entry at the end. */
export const migrations: readonly Migration[] = [initialSchema, searchSchema, caseAnswerSchema, recordingsSchema, draftingSchema, syncSchema];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
