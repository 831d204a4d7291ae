import { randomUUID } from 'node:crypto';
import type { Call, SegmentSource, Speaker, TranscriptSegment } from '../../contract';
import { AppError } from '../app-error';
import type { Clock } from '../clock';
import type { EventBus } from '../events/event-bus';
import type { Database, SqlExecutor } from '../storage/database';

export interface StationIdentity {
  stationCode: string;
  operatorName: string;
}

export interface NewSegment {
  callId: string;
  speaker: Speaker;
  text: string;
  source: SegmentSource;
  /** Call-relative times; when left out (typed lines) the segment ends now and starts where the text would have begun. */
  startMs?: number;
  endMs?: number;
  confidence?: number | null;
}

interface CallRow {
  id: string;
  station_code: string;
  operator_name: string;
  caller_line: string | null;
  started_at: string;
  ended_at: string | null;
  case_id: string | null;
}

interface SegmentRow {
  id: string;
  call_id: string;
  speaker: Speaker;
  start_ms: number;
  end_ms: number;
  text: string;
  source: SegmentSource;
  confidence: number | null;
  created_at: string;
}

const callColumns = `calls.id, calls.station_code, calls.operator_name, calls.caller_line, calls.started_at, calls.ended_at,
  (SELECT cases.id FROM cases WHERE cases.call_id = calls.id) AS case_id`;

function toCall(row: CallRow): Call {
  return {
    id: row.id,
    stationCode: row.station_code,
    operatorName: row.operator_name,
    callerLine: row.caller_line,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    caseId: row.case_id,
  };
}

export function toSegment(row: SegmentRow): TranscriptSegment {
  return {
    id: row.id,
    callId: row.call_id,
    speaker: row.speaker,
    startMs: row.start_ms,
    endMs: row.end_ms,
    text: row.text,
    source: row.source,
    confidence: row.confidence,
    createdAt: row.created_at,
  };
}

/** Reading pace used to place a typed line's start before its end: about five characters a second. */
const typedMillisecondsPerCharacter = 200;

/**
 * Calls and their transcripts. Typed lines, scripted playback and (later) speech recognition all
 * append through `appendSegment`, so the renderer sees one event stream whatever the source.
 */
export class CallService {
  constructor(
    private readonly database: Database,
    private readonly events: EventBus,
    private readonly station: StationIdentity,
    private readonly clock: Clock,
  ) {}

  async start(callerLine: string | null): Promise<Call> {
    const id = randomUUID();
    const startedAt = this.clock.now().toISOString();
    await this.database.transaction((executor) =>
      executor.run(
        'INSERT INTO calls (id, station_code, operator_name, caller_line, started_at) VALUES (?, ?, ?, ?, ?)',
        [id, this.station.stationCode, this.station.operatorName, callerLine || null, startedAt],
      ),
    );
    const call = await this.get(id);
    this.events.emit('onCallChanged', call);
    return call;
  }

  async end(callId: string): Promise<Call> {
    const endedAt = this.clock.now().toISOString();
    const changed = await this.database.transaction(async (executor) => {
      await this.requireCall(executor, callId);
      const result = await executor.run('UPDATE calls SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [endedAt, callId]);
      return result.changes > 0;
    });
    const call = await this.get(callId);
    if (changed) this.events.emit('onCallChanged', call);
    return call;
  }

  async get(callId: string): Promise<Call> {
    const row = await this.database.get<CallRow>(`SELECT ${callColumns} FROM calls WHERE calls.id = ?`, [callId]);
    if (!row) throw new AppError('NOT_FOUND', `No call with id ${callId}.`);
    return toCall(row);
  }

  async segments(callId: string): Promise<TranscriptSegment[]> {
    const rows = await this.database.all<SegmentRow>(
      'SELECT * FROM transcript_segments WHERE call_id = ? ORDER BY sequence',
      [callId],
    );
    return rows.map(toSegment);
  }

  /** Throws CALL_ENDED for a finished call: nothing may be added to a transcript once the call is over. */
  async requireActive(callId: string): Promise<Call> {
    const call = await this.get(callId);
    if (call.endedAt) throw new AppError('CALL_ENDED', `Call ${callId} ended at ${call.endedAt}; start a new call.`);
    return call;
  }

  async appendSegment(segment: NewSegment): Promise<TranscriptSegment> {
    const now = this.clock.now();
    const stored = await this.database.transaction(async (executor) => {
      const call = await this.requireCall(executor, segment.callId);
      // Recognised speech may arrive just after the call ends: it is what was said during the call.
      if (call.ended_at && segment.source !== 'asr') throw new AppError('CALL_ENDED', `Call ${segment.callId} has ended; start a new call.`);
      const elapsedMs = Math.max(0, now.getTime() - Date.parse(call.started_at));
      const endMs = Math.round(segment.endMs ?? elapsedMs);
      const startMs = Math.round(segment.startMs ?? Math.max(0, endMs - segment.text.length * typedMillisecondsPerCharacter));
      const next = await executor.get<{ sequence: number }>(
        'SELECT coalesce(max(sequence), 0) + 1 AS sequence FROM transcript_segments WHERE call_id = ?',
        [segment.callId],
      );
      const row: SegmentRow = {
        id: randomUUID(),
        call_id: segment.callId,
        speaker: segment.speaker,
        start_ms: startMs,
        end_ms: Math.max(endMs, startMs),
        text: segment.text,
        source: segment.source,
        confidence: segment.confidence ?? null,
        created_at: now.toISOString(),
      };
      await executor.run(
        `INSERT INTO transcript_segments (id, call_id, sequence, speaker, start_ms, end_ms, text, source, confidence, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.id, row.call_id, next?.sequence ?? 1, row.speaker, row.start_ms, row.end_ms, row.text, row.source, row.confidence, row.created_at],
      );
      return toSegment(row);
    });
    this.events.emit('onTranscriptSegmentAdded', stored);
    return stored;
  }

  private async requireCall(executor: SqlExecutor, callId: string): Promise<CallRow> {
    const row = await executor.get<CallRow>(`SELECT ${callColumns} FROM calls WHERE calls.id = ?`, [callId]);
    if (!row) throw new AppError('NOT_FOUND', `No call with id ${callId}.`);
    return row;
  }
}
