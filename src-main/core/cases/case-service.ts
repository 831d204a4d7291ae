import { randomUUID } from 'node:crypto';
import type { Case, CaseFields, CaseState, CaseSummary, DraftFieldName, FieldReviewState, TranscriptSegment } from '../../contract';
import { AppError } from '../app-error';
import type { Clock } from '../clock';
import type { CallService, StationIdentity } from '../calls/call-service';
import type { EventBus } from '../events/event-bus';
import type { Database, SqlExecutor, SqlValue } from '../storage/database';
import { findConfirmationIssues, type CaseRules } from './case-validation';
import { phoneDigits } from './phone-number';
import type { PastCaseRecord } from '../search/search-index';
import { assertReviewed } from '../drafting/suggestion-log';

/** Where the fate of each proposed field is logged, inside the confirming transaction. */
export interface ProposalOutcomeSink {
  recordOutcomes(executor: SqlExecutor, confirmed: { id: string; callId: string | null; fields: CaseFields }): Promise<void>;
}

/** Where confirmed cases go to become searchable past cases, inside the confirming transaction. */
export interface PastCaseSink {
  upsertPastCase(executor: SqlExecutor, record: PastCaseRecord): Promise<unknown>;
}

/**
 * Where confirmed cases are queued for the central platform, inside the confirming transaction: a
 * case is confirmed with its outbox entry or not at all.
 */
export interface OutboxSink {
  enqueue(executor: SqlExecutor, confirmed: Case): Promise<void>;
}

export interface CaseRow {
  rowid: number;
  id: string;
  code: string;
  call_id: string | null;
  state: CaseState;
  station_code: string;
  operator_name: string;
  caller_phone: string;
  contact_phone: string;
  caller_name: string;
  caller_gender: Case['callerGender'];
  anonymous: number;
  address_district: string;
  address_street: string;
  address_community: string;
  address_estate: string;
  address_detail: string;
  address_division_code: string | null;
  appeal_type: Case['appealType'];
  category_path: string | null;
  urgency: Case['urgency'];
  department: string | null;
  summary: string;
  duplicate_of_code: string | null;
  follow_up_wanted: number;
  follow_up_method: Case['followUp']['method'];
  follow_up_note: string;
  resolved_on_call: number;
  answer: string;
  cited_articles: string;
  deadline: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
}

export function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    code: row.code,
    callId: row.call_id,
    state: row.state,
    stationCode: row.station_code,
    operatorName: row.operator_name,
    callerPhone: row.caller_phone,
    contactPhone: row.contact_phone,
    callerName: row.caller_name,
    callerGender: row.caller_gender,
    anonymous: row.anonymous === 1,
    address: {
      district: row.address_district,
      street: row.address_street,
      community: row.address_community,
      estate: row.address_estate,
      detail: row.address_detail,
      divisionCode: row.address_division_code,
    },
    appealType: row.appeal_type,
    category: row.category_path ? (JSON.parse(row.category_path) as string[]) : null,
    urgency: row.urgency,
    department: row.department,
    summary: row.summary,
    duplicateOfCode: row.duplicate_of_code,
    followUp: { wanted: row.follow_up_wanted === 1, method: row.follow_up_method, note: row.follow_up_note },
    resolvedOnCall: row.resolved_on_call === 1,
    answer: row.answer,
    citedArticles: JSON.parse(row.cited_articles) as Case['citedArticles'],
    deadline: row.deadline,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmedAt: row.confirmed_at,
  };
}

export function addressText(address: CaseFields['address']): string {
  return [address.district, address.street, address.community, address.estate, address.detail].filter(Boolean).join('');
}

function toSummary(entry: Case): CaseSummary {
  return {
    id: entry.id,
    code: entry.code,
    state: entry.state,
    callerPhone: entry.callerPhone,
    callerName: entry.callerName,
    anonymous: entry.anonymous,
    appealType: entry.appealType,
    category: entry.category,
    urgency: entry.urgency,
    summary: entry.summary,
    addressText: addressText(entry.address),
    deadline: entry.deadline,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/** The editable columns, in one place, so insert and update cannot drift apart. */
function fieldColumns(fields: CaseFields): [string, SqlValue][] {
  return [
    ['caller_phone', fields.callerPhone],
    ['contact_phone', fields.contactPhone],
    ['caller_name', fields.callerName],
    ['caller_gender', fields.callerGender],
    ['anonymous', fields.anonymous ? 1 : 0],
    ['address_district', fields.address.district],
    ['address_street', fields.address.street],
    ['address_community', fields.address.community],
    ['address_estate', fields.address.estate],
    ['address_detail', fields.address.detail],
    ['address_division_code', fields.address.divisionCode],
    ['appeal_type', fields.appealType],
    ['category_path', fields.category ? JSON.stringify(fields.category) : null],
    ['urgency', fields.urgency],
    ['department', fields.department],
    ['summary', fields.summary],
    ['duplicate_of_code', fields.duplicateOfCode],
    ['follow_up_wanted', fields.followUp.wanted ? 1 : 0],
    ['follow_up_method', fields.followUp.method],
    ['follow_up_note', fields.followUp.note],
    ['resolved_on_call', fields.resolvedOnCall ? 1 : 0],
    ['answer', fields.answer],
    ['cited_articles', JSON.stringify(fields.citedArticles)],
  ];
}

function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

/** FTS5 phrase query: the operator's text is data, never query syntax. */
function phraseQuery(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export interface SaveRequest {
  caseId: string | null;
  callId: string | null;
  fields: CaseFields;
  /** How the operator dealt with each proposed field; absent for cases written without the form. */
  review?: Partial<Record<DraftFieldName, FieldReviewState>>;
}

export interface SearchRequest {
  query: string;
  state: CaseState | null;
  limit: number;
  offset: number;
}

// Trigram search needs three characters; shorter queries scan with LIKE, which is fine for the few
// thousand cases a console holds between clean-ups.
const trigramLength = 3;

/** Work orders: drafts the operator saves freely, and confirmation, the only way out of the console. */
export class CaseService {
  constructor(
    private readonly database: Database,
    private readonly events: EventBus,
    private readonly calls: CallService,
    private readonly rules: CaseRules,
    private readonly station: StationIdentity,
    private readonly clock: Clock,
    private readonly pastCases: PastCaseSink,
    private readonly proposalOutcomes?: ProposalOutcomeSink,
    private readonly outbox?: OutboxSink,
  ) {}

  async saveDraft(request: SaveRequest): Promise<Case> {
    const saved = await this.database.transaction((executor) => this.write(executor, request, 'draft'));
    this.events.emit('onCaseChanged', toSummary(saved));
    return saved;
  }

  async confirm(request: SaveRequest): Promise<Case> {
    // Nothing the operator has not looked at leaves the console.
    assertReviewed(request.review ?? {});
    const issues = findConfirmationIssues(request.fields, this.rules);
    if (issues.length > 0) {
      throw new AppError('VALIDATION_FAILED', `The work order is not complete: ${issues.map((issue) => issue.field).join(', ')}.`, issues);
    }
    const confirmed = await this.database.transaction((executor) => this.write(executor, request, 'confirmed'));
    this.events.emit('onCaseChanged', toSummary(confirmed));
    return confirmed;
  }

  async get(caseId: string): Promise<{ case: Case; segments: TranscriptSegment[] }> {
    const row = await this.database.get<CaseRow>('SELECT rowid, * FROM cases WHERE id = ?', [caseId]);
    if (!row) throw new AppError('NOT_FOUND', `No case with id ${caseId}.`);
    const entry = toCase(row);
    return { case: entry, segments: entry.callId ? await this.calls.segments(entry.callId) : [] };
  }

  async search(request: SearchRequest): Promise<{ items: CaseSummary[]; total: number }> {
    const conditions: string[] = [];
    const parameters: SqlValue[] = [];
    let from = 'cases';
    if (request.state) {
      conditions.push('cases.state = ?');
      parameters.push(request.state);
    }
    const query = request.query.trim();
    if ([...query].length >= trigramLength) {
      from = 'cases_search JOIN cases ON cases.rowid = cases_search.rowid';
      conditions.push('cases_search MATCH ?');
      parameters.push(phraseQuery(query));
    } else if (query) {
      conditions.push(
        `(cases.code LIKE ?1x OR cases.caller_phone LIKE ?1x OR cases.contact_phone LIKE ?1x OR cases.caller_name LIKE ?1x
          OR cases.summary LIKE ?1x OR cases.address_district || cases.address_street || cases.address_community || cases.address_estate LIKE ?1x)`.replaceAll(
          '?1x',
          "? ESCAPE '\\'",
        ),
      );
      parameters.push(...Array<SqlValue>(6).fill(likePattern(query)));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const [rows, count] = await Promise.all([
      this.database.all<CaseRow>(
        `SELECT cases.rowid, cases.* FROM ${from} ${where} ORDER BY cases.updated_at DESC LIMIT ? OFFSET ?`,
        [...parameters, request.limit, request.offset],
      ),
      this.database.get<{ total: number }>(`SELECT count(*) AS total FROM ${from} ${where}`, parameters),
    ]);
    return { items: rows.map((row) => toSummary(toCase(row))), total: count?.total ?? 0 };
  }

  private async write(executor: SqlExecutor, request: SaveRequest, state: CaseState): Promise<Case> {
    const now = this.clock.now();
    const existing = await this.findExisting(executor, request);
    if (existing?.state === 'confirmed') {
      throw new AppError('CASE_ALREADY_CONFIRMED', `Case ${existing.code} is already confirmed and can no longer be edited here.`);
    }
    const callId = existing?.call_id ?? request.callId;
    if (callId && !existing) await this.calls.get(callId);
    const columns = fieldColumns(request.fields);
    const confirmedAt = state === 'confirmed' ? now.toISOString() : null;
    const deadline =
      state === 'confirmed' && request.fields.urgency
        ? new Date(now.getTime() + this.rules.deadlineHours(request.fields.urgency, request.fields.category?.[0] ?? null) * 3_600_000).toISOString()
        : null;
    let id: string;
    if (existing) {
      id = existing.id;
      await executor.run(
        `UPDATE cases SET ${columns.map(([name]) => `${name} = ?`).join(', ')}, state = ?, deadline = ?, updated_at = ?, confirmed_at = ? WHERE id = ?`,
        [...columns.map(([, value]) => value), state, deadline, now.toISOString(), confirmedAt, id],
      );
    } else {
      id = randomUUID();
      const code = await this.allocateCode(executor, now);
      const names = ['id', 'code', 'call_id', 'state', 'station_code', 'operator_name', 'deadline', 'created_at', 'updated_at', 'confirmed_at', ...columns.map(([name]) => name)];
      await executor.run(`INSERT INTO cases (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, [
        id,
        code,
        callId,
        state,
        this.station.stationCode,
        this.station.operatorName,
        deadline,
        now.toISOString(),
        now.toISOString(),
        confirmedAt,
        ...columns.map(([, value]) => value),
      ]);
    }
    const row = await executor.get<CaseRow>('SELECT rowid, * FROM cases WHERE id = ?', [id]);
    if (!row) throw new AppError('INTERNAL', `Case ${id} vanished while being saved.`);
    await this.index(executor, row);
    const saved = toCase(row);
    if (state === 'confirmed') {
      await this.pastCases.upsertPastCase(executor, await this.toPastCase(executor, saved));
      await this.proposalOutcomes?.recordOutcomes(executor, { id: saved.id, callId: saved.callId, fields: request.fields });
      await this.outbox?.enqueue(executor, saved);
    }
    return saved;
  }

  private async toPastCase(executor: SqlExecutor, entry: Case): Promise<PastCaseRecord> {
    const transcript = entry.callId
      ? await executor.all<{ text: string }>('SELECT text FROM transcript_segments WHERE call_id = ? ORDER BY sequence', [entry.callId])
      : [];
    return {
      id: entry.code,
      origin: 'console',
      caseId: entry.id,
      title: entry.summary.slice(0, 40),
      body: entry.summary,
      transcript: transcript.map((segment) => segment.text).join('\n'),
      category: entry.category?.join(' ') ?? '',
      address: addressText(entry.address),
      reply: entry.answer,
      occurredAt: entry.confirmedAt,
      extra: null,
    };
  }

  /** A case is found by its id, or else by its call: one call yields at most one work order. */
  private async findExisting(executor: SqlExecutor, request: SaveRequest): Promise<CaseRow | undefined> {
    if (request.caseId) {
      const row = await executor.get<CaseRow>('SELECT rowid, * FROM cases WHERE id = ?', [request.caseId]);
      if (!row) throw new AppError('NOT_FOUND', `No case with id ${request.caseId}.`);
      return row;
    }
    if (request.callId) return executor.get<CaseRow>('SELECT rowid, * FROM cases WHERE call_id = ?', [request.callId]);
    return undefined;
  }

  /** Station prefix + local date + a per-day sequence, counted inside the writing transaction. */
  private async allocateCode(executor: SqlExecutor, now: Date): Promise<string> {
    const day = localDay(now);
    const counter = await executor.get<{ last_sequence: number }>(
      `INSERT INTO case_code_counters (station_code, day, last_sequence) VALUES (?, ?, 1)
       ON CONFLICT (station_code, day) DO UPDATE SET last_sequence = last_sequence + 1
       RETURNING last_sequence`,
      [this.station.stationCode, day],
    );
    if (!counter) throw new AppError('INTERNAL', 'The case-code counter did not answer.');
    return `${this.station.stationCode}-${day}-${String(counter.last_sequence).padStart(4, '0')}`;
  }

  private async index(executor: SqlExecutor, row: CaseRow): Promise<void> {
    const entry = toCase(row);
    const phones = [entry.callerPhone, phoneDigits(entry.callerPhone), entry.contactPhone, phoneDigits(entry.contactPhone)].filter(Boolean).join(' ');
    await executor.run('DELETE FROM cases_search WHERE rowid = ?', [row.rowid]);
    await executor.run(
      'INSERT INTO cases_search (rowid, code, phones, caller_name, summary, address, category, department) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [row.rowid, entry.code, phones, entry.callerName, entry.summary, addressText(entry.address), entry.category?.join(' ') ?? '', entry.department ?? ''],
    );
  }
}
