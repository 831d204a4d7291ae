import { createHash } from 'node:crypto';
import { z } from 'zod';
import { caseStatuses, followUpVerdicts, type CaseStatus, type FollowUpVerdict } from '../model';
import { badRequest, type FieldIssue } from './platform-error';

const isoTimestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-22T09:30:00+08:00' });
const shortCode = z.string().min(1).max(60);

/**
 * The parts of a submission the platform reads. Everything else (the rest of the work order, and
 * whatever a newer console adds) is accepted and stored as sent: the platform keeps the body, it does
 * not own the work order's schema.
 */
const caseSubmissionSchema = z.looseObject({
  code: shortCode,
  stationCode: shortCode,
  confirmedAt: isoTimestamp,
  submittedAt: isoTimestamp,
  fields: z.looseObject({
    summary: z.string(),
    category: z.array(z.string()).nullable(),
    urgency: z.string().nullable(),
  }),
  schemaVersion: z.number().int().min(1),
});

export type CaseSubmission = z.infer<typeof caseSubmissionSchema>;

const knownSubmissionKeys = new Set(Object.keys(caseSubmissionSchema.shape));

/** The newest submission schema this platform was written for; a higher one is stored and flagged. */
export const supportedSchemaVersion = 1;

const statusUpdateSchema = z.strictObject({
  status: z.enum(caseStatuses),
  department: z.string().max(200).nullable().optional(),
  reply: z.string().max(20_000).nullable().optional(),
  followUpVerdict: z.enum(followUpVerdicts).nullable().optional(),
});

/** Fields left out keep their current value; null clears them. */
export interface StatusUpdate {
  status: CaseStatus;
  department?: string | null;
  reply?: string | null;
  followUpVerdict?: FollowUpVerdict | null;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : path.map(String).join('.');
}

function fieldIssuesOf(error: z.ZodError, input: unknown): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const field = fieldName(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), issue: 'not_allowed', message: `${fieldName([...issue.path, key])} is not a field of this request.` }));
      case 'invalid_type':
        return valueAt(input, issue.path) === undefined
          ? [{ field, issue: 'missing', message: `${field} is required.` }]
          : [{ field, issue: 'wrong_type', message: `${field} must be of type ${issue.expected}.` }];
      case 'too_small':
        return issue.origin === 'string'
          ? [{ field, issue: 'empty', message: `${field} must not be empty.` }]
          : [{ field, issue: 'out_of_range', message: `${field}: ${issue.message}` }];
      case 'too_big':
        return issue.origin === 'string'
          ? [{ field, issue: 'too_long', message: `${field} must be at most ${issue.maximum} characters.` }]
          : [{ field, issue: 'out_of_range', message: `${field}: ${issue.message}` }];
      case 'invalid_format':
        return [{ field, issue: 'invalid_format', message: `${field} ${issue.message}` }];
      case 'invalid_value':
        return [{ field, issue: 'invalid_format', message: `${field} must be one of: ${issue.values.map(String).join(', ')}.` }];
      default:
        return [{ field, issue: 'invalid_format', message: `${field}: ${issue.message}` }];
    }
  });
}

const caseIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case's UUID from the path, lower-cased as PostgreSQL prints it. */
export function parseCaseId(raw: string): string {
  if (!caseIdPattern.test(raw)) {
    throw badRequest('The case id in the path must be a UUID.', [
      { field: 'caseId', issue: 'invalid_format', message: 'caseId must be a UUID such as 0b7e3c1a-5f1d-4c55-9d7e-2f8a4c1b9e10.' },
    ]);
  }
  return raw.toLowerCase();
}

export interface ValidatedSubmission {
  submission: CaseSubmission;
  /** Top-level keys this platform does not know: stored, and reported back to the console. */
  ignoredFields: string[];
  /** Identifies the content: equal for a retry, different for a changed case. */
  bodySha256: string;
}

export function validateCaseSubmission(body: unknown): ValidatedSubmission {
  const parsed = caseSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('The case submission does not match the schema; see fieldIssues.', fieldIssuesOf(parsed.error, body));
  }
  const { submittedAt: _sendingTime, ...content } = body as Record<string, unknown>;
  return {
    submission: parsed.data,
    ignoredFields: Object.keys(content).filter((key) => !knownSubmissionKeys.has(key)),
    // submittedAt is left out: it is when the console sent, which differs on every retry of the same case.
    bodySha256: createHash('sha256').update(canonicalJson(content)).digest('hex'),
  };
}

export function validateStatusUpdate(body: unknown): StatusUpdate {
  const parsed = statusUpdateSchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('The status update does not match the schema; see fieldIssues.', fieldIssuesOf(parsed.error, body));
  }
  return parsed.data;
}

export const maxChangesPageSize = 500;
export const defaultChangesPageSize = 100;

/** `since` and `limit` of GET /v1/changes; an absent `since` (or '0') reads from the start. */
export function parseChangesQuery(query: Record<string, unknown>): { since: string; limit: number } {
  const issues: FieldIssue[] = [];
  const sinceText = query.since ?? '0';
  // A cursor is a bigserial as a decimal string; 18 digits always fit in int8. BigInt drops leading zeros.
  const since = typeof sinceText === 'string' && /^\d{1,18}$/.test(sinceText) ? String(BigInt(sinceText)) : null;
  if (since === null) {
    issues.push({ field: 'since', issue: 'invalid_format', message: 'since must be a cursor returned by this API (a decimal number), or 0.' });
  }
  const limitText = query.limit ?? String(defaultChangesPageSize);
  const limit = typeof limitText === 'string' && /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= maxChangesPageSize)) {
    issues.push({ field: 'limit', issue: 'out_of_range', message: `limit must be a whole number from 1 to ${maxChangesPageSize}.` });
  }
  if (since === null || issues.length > 0) throw badRequest('The changes query is not valid; see fieldIssues.', issues);
  return { since, limit };
}

/** JSON with object keys sorted at every depth, so that equal content always hashes alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
