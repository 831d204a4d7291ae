import type { Migration } from './migration';

/**
 * The knowledge base and past cases, each with a full-text index over pre-segmented text (the
 * segmenter puts spaces between words, so FTS5's unicode61 tokenizer sees Chinese words whole).
 * The indexes are contentless: the text lives once, in the base tables.
 */
export const searchSchema: Migration = {
  version: 2,
  name: 'knowledge base and past cases with full-text search',
  sql: `
CREATE TABLE kb_articles (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL CHECK (length(title) > 0),
  body TEXT NOT NULL CHECK (length(body) > 0),
  -- JSON array of strings
  keywords TEXT NOT NULL DEFAULT '[]',
  category TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  effective_from TEXT,
  effective_until TEXT,
  source TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  sample INTEGER NOT NULL DEFAULT 0,
  content_hash TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE kb_search USING fts5 (
  title, keywords, body,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE past_cases (
  rowid INTEGER PRIMARY KEY,
  -- the imported record's id, or the console case's code
  id TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL CHECK (origin IN ('import', 'console')),
  case_id TEXT UNIQUE REFERENCES cases(id),
  title TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  transcript TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  reply TEXT NOT NULL DEFAULT '',
  occurred_at TEXT,
  -- fields of an imported record that this version does not know, kept as JSON
  extra TEXT,
  imported_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE past_cases_search USING fts5 (
  title, body, transcript, category, address, reply,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);
-- Read once after a bulk import, to recount the document frequencies below in one pass.
CREATE VIRTUAL TABLE past_cases_terms USING fts5vocab (past_cases_search, 'row');

-- In how many documents of each corpus a term occurs. fts5vocab can tell, but only by reading the
-- term's whole posting list, which grows with the corpus; the live loop asks for every utterance.
CREATE TABLE search_terms (
  corpus TEXT NOT NULL CHECK (corpus IN ('kb', 'cases')),
  term TEXT NOT NULL,
  documents INTEGER NOT NULL,
  PRIMARY KEY (corpus, term)
) WITHOUT ROWID;
`,
};
