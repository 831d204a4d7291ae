import type { Case } from '../../contract';

/** Version of the body's layout, sent as `schemaVersion`. */
export const casePayloadSchemaVersion = 1;

/**
 * The body of `PUT /v1/cases/{caseId}`, less `submittedAt`: built once, when the case is confirmed,
 * and stored in the outbox, so that every resend carries the same content byte for byte (the
 * platform recognises a resend by its content and answers it with the same platform number).
 * Fields are listed one by one, so that a field added to the form is a choice to send, not an accident.
 */
export function buildCasePayload(entry: Case): string {
  if (entry.state !== 'confirmed' || !entry.confirmedAt) {
    throw new Error(`Case ${entry.code} is not confirmed: nothing unconfirmed leaves the console.`);
  }
  return JSON.stringify({
    code: entry.code,
    stationCode: entry.stationCode,
    confirmedAt: entry.confirmedAt,
    fields: {
      callerPhone: entry.callerPhone,
      contactPhone: entry.contactPhone,
      callerName: entry.callerName,
      callerGender: entry.callerGender,
      anonymous: entry.anonymous,
      address: {
        district: entry.address.district,
        street: entry.address.street,
        community: entry.address.community,
        estate: entry.address.estate,
        detail: entry.address.detail,
        divisionCode: entry.address.divisionCode,
      },
      appealType: entry.appealType,
      category: entry.category,
      urgency: entry.urgency,
      department: entry.department,
      summary: entry.summary,
      duplicateOfCode: entry.duplicateOfCode,
      followUp: { wanted: entry.followUp.wanted, method: entry.followUp.method, note: entry.followUp.note },
      resolvedOnCall: entry.resolvedOnCall,
      answer: entry.answer,
      citedArticles: entry.citedArticles.map((cited) => ({ id: cited.id, title: cited.title, version: cited.version })),
      deadline: entry.deadline,
    },
    schemaVersion: casePayloadSchemaVersion,
  });
}

/** The stored body with the console's clock at this send appended: the rest stays byte for byte as stored. */
export function withSubmittedAt(payload: string, submittedAt: Date): string {
  const trimmed = payload.trimEnd();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new Error('An outbox payload must be a JSON object.');
  const inner = trimmed.slice(1, -1).trim();
  return `{${inner}${inner ? ',' : ''}"submittedAt":${JSON.stringify(submittedAt.toISOString())}}`;
}
