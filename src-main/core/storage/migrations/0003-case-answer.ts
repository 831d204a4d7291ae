import type { Migration } from './migration';

/** The answer given on the call and the knowledge-base articles it cites. */
export const caseAnswerSchema: Migration = {
  version: 3,
  name: 'case answer and cited knowledge-base articles',
  sql: `
ALTER TABLE cases ADD COLUMN answer TEXT NOT NULL DEFAULT '';
-- JSON array of {id, title, version}
ALTER TABLE cases ADD COLUMN cited_articles TEXT NOT NULL DEFAULT '[]';
`,
};
