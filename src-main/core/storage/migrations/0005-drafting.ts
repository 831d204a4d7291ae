import type { Migration } from './migration';

/**
 * The drafted work order: versions of the locally learnt category model (the model registry), every
 * proposal made during a call, and what became of each proposed field when the case was confirmed
 * (the suggestion log); and indexes by time for repeat cases and hotspots.
 */
export const draftingSchema: Migration = {
  version: 5,
  name: 'category model registry and suggestion log',
  sql: `
CREATE TABLE category_models (
  version INTEGER PRIMARY KEY,
  trained_at TEXT NOT NULL,
  -- JSON: training-data description, evaluation scores, algorithm (CategoryModelVersion less version and active)
  record TEXT NOT NULL,
  -- JSON of the model itself; kept for every version so that an earlier one can be restored
  model TEXT NOT NULL
);

CREATE TABLE draft_proposals (
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES calls(id),
  field TEXT NOT NULL,
  -- JSON of the proposed value
  value TEXT NOT NULL,
  confidence REAL NOT NULL,
  source TEXT NOT NULL,
  model_version INTEGER,
  segment_count INTEGER NOT NULL,
  proposed_at TEXT NOT NULL
);
CREATE INDEX draft_proposals_by_call ON draft_proposals (call_id, field, id);

CREATE TABLE draft_outcomes (
  case_id TEXT NOT NULL REFERENCES cases(id),
  field TEXT NOT NULL,
  proposed_value TEXT NOT NULL,
  final_value TEXT NOT NULL,
  review_state TEXT NOT NULL CHECK (review_state IN ('confirmed', 'edited')),
  -- the confirmed value equals the last proposal
  accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  model_version INTEGER,
  source TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (case_id, field)
) WITHOUT ROWID;

-- Repeat-case and hotspot look-ups read the cases of the last days or weeks.
CREATE INDEX cases_by_created_at ON cases (created_at);
CREATE INDEX past_cases_by_occurred_at ON past_cases (occurred_at);
`,
};
