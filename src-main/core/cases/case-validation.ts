import type { CaseFields, FieldIssue, UrgencyLevel } from '../../contract';
import { isValidPhone } from './phone-number';

/** What confirmation needs to know of the reference data. */
export interface CaseRules {
  isKnownCategoryPath(path: string[]): boolean;
  deadlineHours(urgency: UrgencyLevel, categoryLevel1: string | null): number;
}

// Matters tied to a place must say where, or the case cannot be routed to the right street office.
const appealTypesNeedingAddress = new Set(['求助', '投诉', '举报']);

/** The checks a work order must pass before it may leave the console; drafts skip them. */
export function findConfirmationIssues(fields: CaseFields, rules: CaseRules): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, issue: string, message: string) => issues.push({ field, issue, message });

  if (!fields.callerPhone && !fields.anonymous) add('callerPhone', 'required', 'Caller phone is required unless the caller stays anonymous.');
  if (fields.callerPhone && !isValidPhone(fields.callerPhone)) add('callerPhone', 'invalid_phone', `"${fields.callerPhone}" is not a valid mobile or landline number.`);
  if (fields.contactPhone && !isValidPhone(fields.contactPhone)) add('contactPhone', 'invalid_phone', `"${fields.contactPhone}" is not a valid mobile or landline number.`);
  if (!fields.appealType) add('appealType', 'required', 'Choose the appeal type.');
  if (!fields.category) add('category', 'required', 'Choose the category.');
  else if (!rules.isKnownCategoryPath(fields.category)) add('category', 'unknown_category', `"${fields.category.join(' / ')}" is not in the category tree.`);
  if (!fields.urgency) add('urgency', 'required', 'Choose the urgency.');
  if (!fields.summary.trim()) add('summary', 'required', 'Write what the caller wants.');
  if (!fields.department && !fields.resolvedOnCall) add('department', 'required', 'Choose the handling department, or mark the case as resolved on the call.');
  if (fields.appealType && appealTypesNeedingAddress.has(fields.appealType) && !fields.address.district) {
    add('address.district', 'required', 'A help request, complaint or report needs the district of the matter.');
  }
  if (fields.followUp.wanted && fields.followUp.method === 'none') add('followUp.method', 'required', 'Choose how the caller wants to hear back.');
  return issues;
}
