// The platform's own vocabulary. It mirrors what the console sends but does not import the console's
// code: the platform is a separate service, and a city may replace it with its own behind an adapter.

export const stationRoles = ['station', 'supervisor', 'dispatcher'] as const;
/**
 * station: submits and sees only its own cases. supervisor: also reads every station's changes.
 * dispatcher: the platform's own staff and tools; reads everything and moves cases along.
 */
export type StationRole = (typeof stationRoles)[number];

/** In order: a case only ever moves forward through these. */
export const caseStatuses = ['received', 'dispatched', 'handled', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const followUpVerdicts = ['satisfied', 'unsatisfied', 'unreachable'] as const;
export type FollowUpVerdict = (typeof followUpVerdicts)[number];

/** A follow-up call happens once the department has answered. */
export const statusesAllowingVerdict: readonly CaseStatus[] = ['handled', 'closed'];

export interface Station {
  code: string;
  role: StationRole;
  createdAt: string;
  revokedAt: string | null;
}

/** The full state of a case at one moment: what a console applies, idempotently, when it pulls changes. */
export interface CaseSnapshot {
  caseId: string;
  platformNumber: string;
  stationCode: string;
  status: CaseStatus;
  department: string | null;
  reply: string | null;
  followUpVerdict: FollowUpVerdict | null;
  changedAt: string;
}

/** A snapshot with its place in the change log. */
export interface CaseChange extends CaseSnapshot {
  cursor: string;
}
