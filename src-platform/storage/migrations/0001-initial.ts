import type { PlatformMigration } from './migration';

/** Stations and their tokens, the received cases, and the change log that consoles pull. */
export const initialSchema: PlatformMigration = {
  version: 1,
  name: 'stations, cases and the change log',
  sql: `
CREATE TABLE stations (
  code text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('station', 'supervisor', 'dispatcher')),
  -- sha256 of the bearer token, hex: the token itself is shown once and never stored.
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);

-- Platform numbers: never reused, unique however many instances submit at once.
CREATE SEQUENCE platform_number_sequence;

CREATE TABLE cases (
  case_id uuid PRIMARY KEY,
  platform_number text NOT NULL UNIQUE,
  station_code text NOT NULL REFERENCES stations (code),
  -- The console's own case code; one station never sends the same code for two cases.
  code text NOT NULL,
  -- The submission as received (unknown fields included), and the hash that tells a retry from a change.
  body jsonb NOT NULL,
  body_sha256 text NOT NULL,
  confirmed_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('received', 'dispatched', 'handled', 'closed')),
  department text,
  reply text,
  follow_up_verdict text CHECK (follow_up_verdict IN ('satisfied', 'unsatisfied', 'unreachable')),
  updated_at timestamptz NOT NULL,
  UNIQUE (station_code, code)
);

-- Every state a case has been in, in order; a console resumes after the last cursor it applied.
CREATE TABLE case_changes (
  cursor bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (case_id),
  station_code text NOT NULL,
  snapshot jsonb NOT NULL,
  changed_at timestamptz NOT NULL
);
-- A station's pull: WHERE station_code = $1 AND cursor > $2 ORDER BY cursor.
CREATE INDEX case_changes_by_station ON case_changes (station_code, cursor);
`,
};
