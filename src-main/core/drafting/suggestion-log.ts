import { draftFieldNames, type CaseDraft, type CaseFields, type DraftFieldName, type FieldReviewState, type SuggestionReportRow } from '../../contract';
import { AppError } from '../app-error';
import type { Clock } from '../clock';
import type { Database, SqlExecutor } from '../storage/database';

/** What the case holds for a proposed field, in the shape the proposal is compared in. */
function finalValueOf(field: DraftFieldName, fields: CaseFields): unknown {
  if (field === 'address') {
    const { district, street, community, estate, detail } = fields.address;
    return { district, street, community, estate, detail };
  }
  return fields[field];
}

/** A proposal as the form would hold it: the address without what the form does not keep. */
function comparableProposal(field: DraftFieldName, value: unknown): unknown {
  if (field === 'address' && value && typeof value === 'object') {
    const { district, street, community, estate, detail } = value as CaseFields['address'];
    return { district, street, community, estate, detail };
  }
  return value;
}

/** Key order and whitespace must not make two equal values differ. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : typeof inner === 'string'
        ? inner.trim()
        : inner,
  );
}

/** The fields the operator has not looked at yet, as the confirmation refuses them. */
export function assertReviewed(review: Partial<Record<DraftFieldName, FieldReviewState>>): void {
  const unreviewed = draftFieldNames.filter((field) => review[field] === 'proposed');
  if (unreviewed.length === 0) return;
  throw new AppError(
    'UNREVIEWED_PROPOSALS',
    `Check the proposed fields before confirming: ${unreviewed.join(', ')}.`,
    unreviewed.map((field) => ({ field, issue: 'unreviewed', message: 'proposed by the console and not yet confirmed or corrected' })),
  );
}

/**
 * The suggestion log: every proposal made during a call (when it changes), and what became of each
 * proposed field when the case was confirmed, with the category-model version, so that acceptance
 * and edit rates can be reported per field and per version.
 */
export class SuggestionLog {
  // The last value logged per call and field, so that an unchanged proposal is not logged again.
  private readonly lastLogged = new Map<string, string>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async recordProposals(draft: CaseDraft): Promise<void> {
    const fresh: { field: DraftFieldName; value: string; confidence: number; source: string }[] = [];
    for (const field of draftFieldNames) {
      const proposal = draft.fields[field];
      if (!proposal) continue;
      const value = canonicalJson(proposal.value);
      const key = `${draft.callId}\u0000${field}`;
      if (this.lastLogged.get(key) === value) continue;
      this.lastLogged.set(key, value);
      fresh.push({ field, value, confidence: proposal.confidence, source: proposal.source });
    }
    if (fresh.length === 0) return;
    const now = this.clock.now().toISOString();
    await this.database.transaction(async (sql) => {
      for (const entry of fresh) {
        await sql.run(
          'INSERT INTO draft_proposals (call_id, field, value, confidence, source, model_version, segment_count, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [draft.callId, entry.field, entry.value, entry.confidence, entry.source, entry.source.startsWith('model:') ? draft.categoryModelVersion : null, draft.segmentCount, now],
        );
      }
    });
  }

  /** Forgets a finished call's last proposals (the log in the database stays). */
  forgetCall(callId: string): void {
    for (const key of this.lastLogged.keys()) if (key.startsWith(`${callId}\u0000`)) this.lastLogged.delete(key);
  }

  /**
   * Inside the confirming transaction: for each field proposed during the call, the last proposal,
   * the confirmed value, and whether the operator kept the proposal as it was.
   */
  async recordOutcomes(sql: SqlExecutor, confirmed: { id: string; callId: string | null; fields: CaseFields }): Promise<void> {
    if (!confirmed.callId) return;
    const now = this.clock.now().toISOString();
    const latest = await sql.all<{ field: DraftFieldName; value: string; source: string; model_version: number | null }>(
      `SELECT field, value, source, model_version FROM draft_proposals
       WHERE id IN (SELECT MAX(id) FROM draft_proposals WHERE call_id = ? GROUP BY field)`,
      [confirmed.callId],
    );
    for (const proposal of latest) {
      const proposed = canonicalJson(comparableProposal(proposal.field, JSON.parse(proposal.value)));
      const final = canonicalJson(finalValueOf(proposal.field, confirmed.fields));
      const accepted = proposed === final;
      // Judged by the value, not by the form's report: a proposal the operator retyped identically was accepted.
      const state = accepted ? 'confirmed' : 'edited';
      await sql.run(
        `INSERT INTO draft_outcomes (case_id, field, proposed_value, final_value, review_state, accepted, model_version, source, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (case_id, field) DO UPDATE SET proposed_value = excluded.proposed_value, final_value = excluded.final_value,
           review_state = excluded.review_state, accepted = excluded.accepted, model_version = excluded.model_version,
           source = excluded.source, recorded_at = excluded.recorded_at`,
        [confirmed.id, proposal.field, proposed, final, state, accepted ? 1 : 0, proposal.model_version, proposal.source, now],
      );
    }
  }

  /** Acceptance and edit rates per field and category-model version (null: fields no model proposes). */
  async report(): Promise<SuggestionReportRow[]> {
    const rows = await this.database.all<{ field: DraftFieldName; model_version: number | null; proposed: number; accepted: number }>(
      `SELECT field, model_version, COUNT(*) AS proposed, SUM(accepted) AS accepted
       FROM draft_outcomes GROUP BY field, model_version ORDER BY field, model_version`,
    );
    return rows.map((row) => ({
      field: row.field,
      modelVersion: row.model_version,
      proposed: row.proposed,
      accepted: row.accepted,
      edited: row.proposed - row.accepted,
      acceptanceRate: row.proposed === 0 ? 0 : row.accepted / row.proposed,
      editRate: row.proposed === 0 ? 0 : (row.proposed - row.accepted) / row.proposed,
    }));
  }
}
