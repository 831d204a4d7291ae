import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ArticleHit, CaseHit, KnowledgeArticle } from '../../contract';
import type { Clock } from '../clock';
import type { Database, SqlExecutor, SqlValue } from '../storage/database';
import type { Segmenter } from './segmenter';

/** What an import or a confirmed case puts into the past-case index. */
export interface PastCaseRecord {
  id: string;
  origin: 'import' | 'console';
  caseId: string | null;
  title: string;
  body: string;
  transcript: string;
  category: string;
  address: string;
  reply: string;
  occurredAt: string | null;
  extra: Record<string, unknown> | null;
}

/** An article as imported: the contract's article, nothing more. */
export type ArticleRecord = KnowledgeArticle;

export interface TermStatistics {
  /** Documents in each index. */
  caseCount: number;
  articleCount: number;
  /** In how many documents each term occurs, per index. */
  caseFrequency: Map<string, number>;
  articleFrequency: Map<string, number>;
}

export interface CaseSearchOutcome {
  hits: CaseHit[];
  /** Query terms left out because they occur in too many cases to tell them apart (reported, never silent). */
  prunedTerms: string[];
}

// Column weights for BM25: a word in the title says more than one deep in the body.
const articleWeights = 'bm25(kb_search, 6.0, 4.0, 1.0)';
const caseWeights = [3.0, 1.0, 1.0, 0.5, 1.5, 0.3];

// FTS5 scores every case that holds any query term, so its work grows with the postings of the
// terms searched. The rarest (most telling) terms are kept until this many postings; commoner ones,
// which add little to BM25 anyway, are pruned and reported. This bounds a query's cost whatever the
// size of the corpus.
const postingsBudget = 12_000;
const minimumTermsKept = 2;
// 12 parameters a row stays well under SQLite's limit of 32,766 bound parameters per statement.
const bulkRowsPerStatement = 500;
const snippetRadius = 40;
// Past cases segmented between two returns to the event loop during a bulk import (a few ms of work).
const segmentationSlice = 25;

// Similar cases are re-ranked by how many of the nearest cases share their category: a case whose
// category agrees with most close neighbours is more likely the same kind of matter than a lone
// word-for-word match. Candidates = the nearest by BM25; votes weigh each by its relative score.
const neighbourCount = 50;
const neighbourVotePower = 2;
const categoryAgreementWeight = 4;

/** Re-ranks BM25 candidates (best first, positive scores) by agreement of their neighbours' categories. */
export function rerankByNeighbourCategories<T extends { score: number; category: string }>(candidates: readonly T[]): T[] {
  const best = candidates[0]?.score ?? 0;
  if (best <= 0) return [...candidates];
  const votes = new Map<string, number>();
  let totalVotes = 0;
  for (const candidate of candidates) {
    const vote = (candidate.score / best) ** neighbourVotePower;
    votes.set(candidate.category, (votes.get(candidate.category) ?? 0) + vote);
    totalVotes += vote;
  }
  return candidates
    .map((candidate) => ({ candidate, rank: candidate.score / best + (categoryAgreementWeight * (votes.get(candidate.category) ?? 0)) / totalVotes }))
    .sort((a, b) => b.rank - a.rank)
    .map(({ candidate }) => candidate);
}

type Corpus = 'kb' | 'cases';

/** A document's columns as index text, and the distinct terms it holds (for document frequencies). */
interface SegmentedDocument {
  columns: string[];
  distinct: Set<string>;
}

function addTerms(counts: Map<string, number>, terms: Iterable<string>, change: number): void {
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + change);
}

function ftsQuery(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}

function contentHash(record: ArticleRecord): string {
  // Cheap and stable: an unchanged article re-imported is reported as unchanged, not updated.
  const text = JSON.stringify(record);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Articles are Markdown; a snippet is read, not rendered, so the markup goes. */
function plainText(markdown: string): string {
  return markdown
    .replace(/[*_`]{1,3}/g, '')
    .replace(/^\s{0,3}(#{1,6}|[-+>]|\d+[.)])\s+/gm, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** The terms that occur in `text`, and a short passage around the first of them. */
export function highlight(markdown: string, terms: readonly string[]): { snippet: string; matchedTerms: string[] } {
  const text = plainText(markdown);
  const lower = text.toLowerCase();
  const matchedTerms = terms.filter((term) => lower.includes(term));
  const first = matchedTerms.map((term) => lower.indexOf(term)).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, first - snippetRadius);
  const end = Math.min(text.length, first + snippetRadius * 2);
  const snippet = `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
  return { snippet, matchedTerms };
}

interface ArticleRow {
  rowid: number;
  id: string;
  title: string;
  body: string;
  keywords: string;
  category: string;
  department: string;
  effective_from: string | null;
  effective_until: string | null;
  source: string;
  version: number;
  sample: number;
  content_hash: string;
}

interface PastCaseRow {
  rowid: number;
  id: string;
  origin: 'import' | 'console';
  case_id: string | null;
  title: string;
  body: string;
  category: string;
  address: string;
  reply: string;
  occurred_at: string | null;
}

function toArticle(row: ArticleRow): KnowledgeArticle {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    keywords: JSON.parse(row.keywords) as string[],
    category: row.category,
    department: row.department,
    effectiveFrom: row.effective_from,
    effectiveUntil: row.effective_until,
    source: row.source,
    version: row.version,
    sample: row.sample === 1,
  };
}

/**
 * The knowledge base and past cases behind FTS5 with BM25. Writes take the caller's transaction,
 * so that a confirmed case enters the index in the same transaction that confirms it.
 */
export class SearchIndex {
  constructor(
    /** Read-only connection: searches see committed data only, and never wait for a writer. */
    private readonly reader: Database,
    private readonly segmenter: Segmenter,
    private readonly clock: Clock,
  ) {}

  get terms(): Segmenter {
    return this.segmenter;
  }

  private segment(texts: readonly string[]): SegmentedDocument {
    const distinct = new Set<string>();
    const columns = texts.map((text) => {
      const terms = this.segmenter.terms(text);
      for (const term of terms) distinct.add(term);
      return terms.join(' ');
    });
    return { columns, distinct };
  }

  private articleDocument(article: Pick<ArticleRecord, 'title' | 'keywords' | 'body'>): SegmentedDocument {
    return this.segment([article.title, article.keywords.join(' '), article.body]);
  }

  private pastCaseDocument(record: Pick<PastCaseRecord, 'title' | 'body' | 'transcript' | 'category' | 'address' | 'reply'>): SegmentedDocument {
    return this.segment([record.title, record.body, record.transcript, record.category, record.address, record.reply]);
  }

  /** Adds (or, with negative counts, removes) documents to the per-term document frequencies. */
  private async adjustTermCounts(executor: SqlExecutor, corpus: Corpus, counts: Map<string, number>): Promise<void> {
    const changes = [...counts].filter(([, change]) => change !== 0);
    for (let start = 0; start < changes.length; start += bulkRowsPerStatement) {
      const chunk = changes.slice(start, start + bulkRowsPerStatement);
      await executor.run(
        `INSERT INTO search_terms (corpus, term, documents) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (corpus, term) DO UPDATE SET documents = documents + excluded.documents`,
        chunk.flatMap(([term, change]) => [corpus, term, change]),
      );
    }
    if (changes.some(([, change]) => change < 0)) await executor.run('DELETE FROM search_terms WHERE corpus = ? AND documents <= 0', [corpus]);
  }

  async upsertArticle(executor: SqlExecutor, record: ArticleRecord): Promise<'added' | 'updated' | 'unchanged'> {
    const hash = contentHash(record);
    const existing = await executor.get<ArticleRow>('SELECT rowid, * FROM kb_articles WHERE id = ?', [record.id]);
    if (existing?.content_hash === hash) return 'unchanged';
    const document = this.articleDocument(record);
    const counts = new Map<string, number>();
    if (existing) addTerms(counts, this.articleDocument(toArticle(existing)).distinct, -1);
    addTerms(counts, document.distinct, 1);
    await this.adjustTermCounts(executor, 'kb', counts);
    const now = this.clock.now().toISOString();
    const values: SqlValue[] = [
      record.title,
      record.body,
      JSON.stringify(record.keywords),
      record.category,
      record.department,
      record.effectiveFrom,
      record.effectiveUntil,
      record.source,
      record.version,
      record.sample ? 1 : 0,
      hash,
      now,
    ];
    let rowid: number;
    if (existing) {
      rowid = existing.rowid;
      await executor.run(
        `UPDATE kb_articles SET title = ?, body = ?, keywords = ?, category = ?, department = ?, effective_from = ?, effective_until = ?,
           source = ?, version = ?, sample = ?, content_hash = ?, updated_at = ? WHERE rowid = ?`,
        [...values, rowid],
      );
      await executor.run('DELETE FROM kb_search WHERE rowid = ?', [rowid]);
    } else {
      const inserted = await executor.run(
        `INSERT INTO kb_articles (title, body, keywords, category, department, effective_from, effective_until, source, version, sample, content_hash, updated_at, id, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...values, record.id, now],
      );
      rowid = inserted.lastId;
    }
    await executor.run('INSERT INTO kb_search (rowid, title, keywords, body) VALUES (?, ?, ?, ?)', [rowid, ...document.columns]);
    return existing ? 'updated' : 'added';
  }

  async upsertPastCase(executor: SqlExecutor, record: PastCaseRecord): Promise<'added' | 'updated'> {
    const existing = await executor.get<PastCaseRecord & { rowid: number }>(
      'SELECT rowid, title, body, transcript, category, address, reply FROM past_cases WHERE id = ?',
      [record.id],
    );
    const document = this.pastCaseDocument(record);
    const counts = new Map<string, number>();
    if (existing) addTerms(counts, this.pastCaseDocument(existing).distinct, -1);
    addTerms(counts, document.distinct, 1);
    await this.adjustTermCounts(executor, 'cases', counts);
    const values: SqlValue[] = [
      record.origin,
      record.caseId,
      record.title,
      record.body,
      record.transcript,
      record.category,
      record.address,
      record.reply,
      record.occurredAt,
      record.extra ? JSON.stringify(record.extra) : null,
      this.clock.now().toISOString(),
    ];
    let rowid: number;
    if (existing) {
      rowid = existing.rowid;
      await executor.run(
        `UPDATE past_cases SET origin = ?, case_id = ?, title = ?, body = ?, transcript = ?, category = ?, address = ?, reply = ?, occurred_at = ?, extra = ?, imported_at = ?
         WHERE rowid = ?`,
        [...values, rowid],
      );
      await executor.run('DELETE FROM past_cases_search WHERE rowid = ?', [rowid]);
    } else {
      const inserted = await executor.run(
        `INSERT INTO past_cases (origin, case_id, title, body, transcript, category, address, reply, occurred_at, extra, imported_at, id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...values, record.id],
      );
      rowid = inserted.lastId;
    }
    await executor.run('INSERT INTO past_cases_search (rowid, title, body, transcript, category, address, reply) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      rowid,
      ...document.columns,
    ]);
    return existing ? 'updated' : 'added';
  }

  /**
   * Many past cases at once, for imports: multi-row statements instead of one round trip per case
   * (the driver's per-statement cost dominates otherwise). Cases already present are replaced.
   * New cases' document frequencies are not counted here: call `recountCaseTermFrequencies` when
   * the import is done.
   *
   * Segmentation (JavaScript, this thread) costs more than the inserts (SQLite, on the driver's
   * own thread), so they overlap: the next rows are segmented while the current rows are written.
   */
  async upsertPastCases(executor: SqlExecutor, records: readonly PastCaseRecord[]): Promise<{ added: number; updated: number }> {
    let added = 0;
    let updated = 0;
    const chunks: PastCaseRecord[][] = [];
    for (let start = 0; start < records.length; start += bulkRowsPerStatement) chunks.push(records.slice(start, start + bulkRowsPerStatement));
    let documents = chunks[0]?.map((record) => this.pastCaseDocument(record)) ?? [];
    for (const [position, chunk] of chunks.entries()) {
      const present = await executor.all<{ id: string }>(
        `SELECT id FROM past_cases WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk.map((record) => record.id),
      );
      const presentIds = new Set(present.map((row) => row.id));
      const fresh: { record: PastCaseRecord; document: SegmentedDocument }[] = [];
      const replacing: PastCaseRecord[] = [];
      const seen = new Set<string>();
      for (const [offset, record] of chunk.entries()) {
        const document = documents[offset];
        // An existing case, or the second of two records with one id, takes the careful path, after the new ones are in.
        if (presentIds.has(record.id) || seen.has(record.id) || !document) replacing.push(record);
        else {
          fresh.push({ record, document });
          seen.add(record.id);
        }
      }
      // Both inserts are left running while the next rows are segmented. Rowids are given, not
      // returned, so that the index insert need not wait for the rows; this transaction is the only
      // writer, so the next free rowid is ours.
      const writing: Promise<unknown>[] = [];
      if (fresh.length > 0) {
        const last = await executor.get<{ rowid: number | null }>('SELECT max(rowid) AS rowid FROM past_cases');
        const firstRowid = (last?.rowid ?? 0) + 1;
        writing.push(this.insertPastCaseRows(executor, firstRowid, fresh.map(({ record }) => record)));
        writing.push(
          executor.run(
            `INSERT INTO past_cases_search (rowid, title, body, transcript, category, address, reply) VALUES ${fresh.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            fresh.flatMap(({ document }, offset) => [firstRowid + offset, ...document.columns]),
          ),
        );
      }
      const next = chunks[position + 1];
      documents = next ? await this.segmentYielding(next) : [];
      // Both settle before anything else runs on the connection, even when one fails (the
      // transaction is then rolled back with no statement of it still running).
      const failure = (await Promise.allSettled(writing)).find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      for (const record of replacing) await this.upsertPastCase(executor, record);
      added += fresh.length;
      updated += replacing.length;
    }
    return { added, updated };
  }

  /**
   * Segments past cases a few at a time, returning to the event loop in between: the driver needs
   * this thread for a moment between the steps of a statement (prepare, bind, run), so a long
   * synchronous stretch here would hold the inserts back instead of overlapping them.
   */
  private async segmentYielding(records: readonly PastCaseRecord[]): Promise<SegmentedDocument[]> {
    const documents: SegmentedDocument[] = [];
    for (const [offset, record] of records.entries()) {
      if (offset > 0 && offset % segmentationSlice === 0) await yieldToEventLoop();
      documents.push(this.pastCaseDocument(record));
    }
    return documents;
  }

  /** Inserts new past cases' rows under consecutive rowids from `firstRowid`. */
  private async insertPastCaseRows(executor: SqlExecutor, firstRowid: number, fresh: readonly PastCaseRecord[]): Promise<void> {
    const now = this.clock.now().toISOString();
    await executor.run(
      `INSERT INTO past_cases (rowid, id, origin, case_id, title, body, transcript, category, address, reply, occurred_at, extra, imported_at)
       VALUES ${fresh.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      fresh.flatMap((record, offset) => [
        firstRowid + offset, record.id, record.origin, record.caseId, record.title, record.body, record.transcript, record.category,
        record.address, record.reply, record.occurredAt, record.extra ? JSON.stringify(record.extra) : null, now,
      ]),
    );
  }

  /**
   * Recounts the past cases' document frequencies from the index in one pass. Bulk imports call it
   * once at the end instead of updating the counts batch by batch, which would cost more than the
   * import itself; single cases (a confirmation) keep them up to date as they go.
   */
  async recountCaseTermFrequencies(writer: Database): Promise<void> {
    await writer.transaction(async (executor) => {
      await executor.run("DELETE FROM search_terms WHERE corpus = 'cases'");
      await executor.run("INSERT INTO search_terms (corpus, term, documents) SELECT 'cases', term, doc FROM past_cases_terms");
    });
  }

  /**
   * Re-segments every article and past case (after the dictionary changed), a batch per transaction.
   * Searches keep answering throughout: they read committed data, where each document is always
   * indexed, either the old way or the new.
   */
  async rebuild(writer: Database, batchSize = 2_000): Promise<{ articles: number; cases: number }> {
    let articles = 0;
    let cases = 0;
    const articleFrequencies = new Map<string, number>();
    for (let after = 0; ; ) {
      const rows = await writer.all<ArticleRow>('SELECT rowid, * FROM kb_articles WHERE rowid > ? ORDER BY rowid LIMIT ?', [after, batchSize]);
      if (rows.length === 0) break;
      await writer.transaction(async (executor) => {
        for (const row of rows) {
          const document = this.articleDocument(toArticle(row));
          addTerms(articleFrequencies, document.distinct, 1);
          await executor.run('DELETE FROM kb_search WHERE rowid = ?', [row.rowid]);
          await executor.run('INSERT INTO kb_search (rowid, title, keywords, body) VALUES (?, ?, ?, ?)', [row.rowid, ...document.columns]);
        }
      });
      articles += rows.length;
      after = rows.at(-1)?.rowid ?? after;
    }
    for (let after = 0; ; ) {
      const rows = await writer.all<PastCaseRecord & { rowid: number }>(
        'SELECT rowid, title, body, transcript, category, address, reply FROM past_cases WHERE rowid > ? ORDER BY rowid LIMIT ?',
        [after, batchSize],
      );
      if (rows.length === 0) break;
      await writer.transaction(async (executor) => {
        for (let start = 0; start < rows.length; start += bulkRowsPerStatement) {
          const chunk = rows.slice(start, start + bulkRowsPerStatement);
          const documents = chunk.map((row) => this.pastCaseDocument(row));
          await executor.run(`DELETE FROM past_cases_search WHERE rowid IN (${chunk.map(() => '?').join(', ')})`, chunk.map((row) => row.rowid));
          await executor.run(
            `INSERT INTO past_cases_search (rowid, title, body, transcript, category, address, reply) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            chunk.flatMap((row, position) => [row.rowid, ...(documents[position]?.columns ?? [])]),
          );
        }
      });
      cases += rows.length;
      after = rows.at(-1)?.rowid ?? after;
    }
    // The frequencies are swapped in one transaction at the end, so a search never sees half of them.
    await writer.transaction(async (executor) => {
      await executor.run("DELETE FROM search_terms WHERE corpus = 'kb'");
      await this.adjustTermCounts(executor, 'kb', articleFrequencies);
    });
    await this.recountCaseTermFrequencies(writer);
    return { articles, cases };
  }

  async getArticle(id: string): Promise<KnowledgeArticle | undefined> {
    const row = await this.reader.get<ArticleRow>('SELECT rowid, * FROM kb_articles WHERE id = ?', [id]);
    return row ? toArticle(row) : undefined;
  }

  async statistics(terms: readonly string[]): Promise<TermStatistics> {
    const unique = [...new Set(terms)];
    const [caseCount, articleCount, rows] = await Promise.all([
      this.reader.get<{ count: number }>('SELECT max(rowid) AS count FROM past_cases'),
      this.reader.get<{ count: number }>('SELECT count(*) AS count FROM kb_articles'),
      unique.length
        ? this.reader.all<{ corpus: Corpus; term: string; documents: number }>(
            `SELECT corpus, term, documents FROM search_terms WHERE corpus IN ('kb', 'cases') AND term IN (${unique.map(() => '?').join(', ')})`,
            unique,
          )
        : [],
    ]);
    return {
      caseCount: caseCount?.count ?? 0,
      articleCount: articleCount?.count ?? 0,
      caseFrequency: new Map(rows.filter((row) => row.corpus === 'cases').map((row) => [row.term, row.documents])),
      articleFrequency: new Map(rows.filter((row) => row.corpus === 'kb').map((row) => [row.term, row.documents])),
    };
  }

  /** Articles in force at `at` (never an expired or not-yet-effective one), best first. */
  async searchArticles(terms: readonly string[], limit: number, at: Date = this.clock.now()): Promise<ArticleHit[]> {
    if (terms.length === 0) return [];
    const day = at.toISOString().slice(0, 10);
    const rows = await this.reader.all<ArticleRow & { score: number }>(
      `SELECT kb_articles.rowid, kb_articles.*, ${articleWeights} AS score
       FROM kb_search JOIN kb_articles ON kb_articles.rowid = kb_search.rowid
       WHERE kb_search MATCH ?
         AND (kb_articles.effective_from IS NULL OR kb_articles.effective_from <= ?)
         AND (kb_articles.effective_until IS NULL OR kb_articles.effective_until >= ?)
       ORDER BY score LIMIT ?`,
      [ftsQuery(terms), day, day, limit],
    );
    return rows.map((row) => {
      const article = toArticle(row);
      // Words may match in the title or keywords; the passage shown is always from the answer itself.
      const { matchedTerms } = highlight(`${article.title}\n${article.keywords.join(' ')}\n${article.body}`, terms);
      return {
        id: article.id,
        title: article.title,
        snippet: highlight(article.body, terms).snippet,
        matchedTerms,
        score: -row.score,
        category: article.category,
        department: article.department,
        source: article.source,
        version: article.version,
        effectiveUntil: article.effectiveUntil,
        sample: article.sample,
      };
    });
  }

  /**
   * Past cases, best first. Terms beyond the postings budget are pruned (and named in the outcome),
   * the commonest first, while at least two rarer terms remain.
   */
  async searchCases(terms: readonly string[], limit: number, statistics?: TermStatistics): Promise<CaseSearchOutcome> {
    if (terms.length === 0) return { hits: [], prunedTerms: [] };
    const stats = statistics ?? (await this.statistics(terms));
    const byRarity = [...new Set(terms)].sort((a, b) => (stats.caseFrequency.get(a) ?? 0) - (stats.caseFrequency.get(b) ?? 0));
    let postings = 0;
    const kept = byRarity.filter((term, index) => {
      postings += stats.caseFrequency.get(term) ?? 0;
      return index < minimumTermsKept || postings <= postingsBudget;
    });
    const prunedTerms = byRarity.filter((term) => !kept.includes(term));
    const matches = await this.reader.all<{ rowid: number; score: number }>(
      `SELECT rowid, bm25(past_cases_search, ${caseWeights.join(', ')}) AS score FROM past_cases_search WHERE past_cases_search MATCH ? ORDER BY score LIMIT ?`,
      [ftsQuery(kept), Math.max(limit, neighbourCount)],
    );
    if (matches.length === 0) return { hits: [], prunedTerms };
    const rows = await this.reader.all<PastCaseRow>(
      `SELECT rowid, id, origin, case_id, title, body, category, address, reply, occurred_at FROM past_cases WHERE rowid IN (${matches.map(() => '?').join(', ')})`,
      matches.map((match) => match.rowid),
    );
    const byRowid = new Map(rows.map((row) => [row.rowid, row]));
    const candidates = rerankByNeighbourCategories(
      matches.flatMap((match) => {
        const row = byRowid.get(match.rowid);
        return row ? [{ row, score: -match.score, category: row.category }] : [];
      }),
    ).slice(0, limit);
    const hits = candidates.map(({ row, score }) => {
      const { snippet, matchedTerms } = highlight(`${row.title} ${row.body}`, terms);
      const hit: CaseHit = {
        id: row.id,
        caseId: row.case_id,
        title: row.title || row.body.slice(0, 30),
        snippet,
        matchedTerms,
        score,
        category: row.category,
        address: row.address,
        occurredAt: row.occurred_at,
        reply: row.reply ? highlight(row.reply, terms).snippet : '',
      };
      return hit;
    });
    return { hits, prunedTerms };
  }
}
