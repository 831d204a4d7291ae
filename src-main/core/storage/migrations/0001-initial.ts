import type { Migration } from './migration';

/** Calls, their transcript, work orders (cases), and the per-station, per-day case-code counter. */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema: calls, transcript segments, cases, case codes',
  sql: `
CREATE TABLE calls (
  id TEXT PRIMARY KEY,
  station_code TEXT NOT NULL,
  operator_name TEXT NOT NULL,
  caller_line TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT
);

CREATE TABLE transcript_segments (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES calls(id),
  sequence INTEGER NOT NULL,
  speaker TEXT NOT NULL CHECK (speaker IN ('caller', 'operator')),
  start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
  end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
  text TEXT NOT NULL CHECK (length(text) > 0),
  source TEXT NOT NULL CHECK (source IN ('typed', 'script', 'asr')),
  confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  created_at TEXT NOT NULL,
  UNIQUE (call_id, sequence)
);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  -- one call yields at most one work order
  call_id TEXT UNIQUE REFERENCES calls(id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'confirmed')),
  station_code TEXT NOT NULL,
  operator_name TEXT NOT NULL,
  caller_phone TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  caller_name TEXT NOT NULL DEFAULT '',
  caller_gender TEXT NOT NULL DEFAULT 'unknown' CHECK (caller_gender IN ('unknown', 'male', 'female')),
  anonymous INTEGER NOT NULL DEFAULT 0,
  address_district TEXT NOT NULL DEFAULT '',
  address_street TEXT NOT NULL DEFAULT '',
  address_community TEXT NOT NULL DEFAULT '',
  address_estate TEXT NOT NULL DEFAULT '',
  address_detail TEXT NOT NULL DEFAULT '',
  address_division_code TEXT,
  appeal_type TEXT,
  -- JSON array of one to three category names, level 1 first
  category_path TEXT,
  urgency TEXT,
  department TEXT,
  summary TEXT NOT NULL DEFAULT '',
  duplicate_of_code TEXT,
  follow_up_wanted INTEGER NOT NULL DEFAULT 0,
  follow_up_method TEXT NOT NULL DEFAULT 'none',
  follow_up_note TEXT NOT NULL DEFAULT '',
  resolved_on_call INTEGER NOT NULL DEFAULT 0,
  deadline TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE INDEX cases_by_updated_at ON cases (updated_at DESC);
CREATE INDEX cases_by_state_updated_at ON cases (state, updated_at DESC);

CREATE TABLE case_code_counters (
  station_code TEXT NOT NULL,
  day TEXT NOT NULL,
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (station_code, day)
) WITHOUT ROWID;

-- Substring search over what an operator remembers of a case: its code, a phone number, a name,
-- words of the summary or address. Trigrams find Chinese text without word segmentation.
CREATE VIRTUAL TABLE cases_search USING fts5 (
  code, phones, caller_name, summary, address, category, department,
  content = '', contentless_delete = 1, tokenize = 'trigram'
);
`,
};
