import type { Migration } from './migration';

/**
 * Sync with the central platform: the outbox of confirmed cases (written in the transaction that
 * confirms them, with the exact body to send, so that every resend carries the same content) and
 * each case's status as the platform's change feed last reported it.
 *
 * The sync settings live in the `settings` table under the keys `sync.platformUrl`,
 * `sync.stationToken` (never sent to the renderer), `sync.changesCursor`, `sync.lastContactAt` and
 * `sync.clockSkewSeconds`.
 */
export const syncSchema: Migration = {
  version: 6,
  name: 'outbox of confirmed cases and their status on the central platform',
  sql: `
CREATE TABLE outbox (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  -- JSON: the body of PUT /v1/cases/{case_id} without submittedAt (added at each send)
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_error_code TEXT,
  last_error_message TEXT,
  platform_number TEXT,
  sent_at TEXT,
  created_at TEXT NOT NULL,
  CHECK (state <> 'sent' OR (platform_number IS NOT NULL AND sent_at IS NOT NULL)),
  CHECK (state <> 'failed' OR last_error_code IS NOT NULL)
);
-- The loop's question: which waiting entries are due, oldest first; and the queue's counts.
CREATE INDEX outbox_by_state_next_attempt ON outbox (state, next_attempt_at);

CREATE TABLE platform_status (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  platform_number TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('received', 'dispatched', 'handled', 'closed')),
  department TEXT,
  reply TEXT,
  follow_up_verdict TEXT CHECK (follow_up_verdict IS NULL OR follow_up_verdict IN ('satisfied', 'unsatisfied', 'unreachable')),
  changed_at TEXT NOT NULL,
  -- the change-feed cursor of the change applied last
  cursor TEXT NOT NULL
) WITHOUT ROWID;
`,
};
