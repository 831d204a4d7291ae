import type { Migration } from './migration';

/** Recorded audio lines of calls, and the console's own settings (the active speech model). */
export const recordingsSchema: Migration = {
  version: 4,
  name: 'call recordings and console settings',
  sql: `
CREATE TABLE recordings (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES calls(id),
  speaker TEXT NOT NULL CHECK (speaker IN ('caller', 'operator')),
  -- relative to the data folder
  path TEXT NOT NULL UNIQUE,
  sample_rate INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  -- where the recording's first sample falls on the call's clock (transcript startMs/endMs)
  offset_ms INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX recordings_by_call ON recordings (call_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`,
};
