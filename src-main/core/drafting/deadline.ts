import type { UrgencyLevel } from '../../contract';

/**
 * The deadline (办理时限) a drafted work order would get: the service-level table's hours for its
 * urgency and first-level category, counted from a given moment.
 */

export interface DeadlineProposal {
  /** ISO 8601, UTC. */
  value: string;
  hours: number;
  confidence: number;
}

/** A value as the operator chose it (certain), or as a proposal with its confidence. */
export type MaybeProposed<T> = T | { value: T; confidence: number };

// Without a category the table's '*' rule applies; the category, once known, may shorten or lengthen
// that, so the deadline is at most this sure.
const unknownCategoryConfidence = 0.6;
const millisecondsPerHour = 3_600_000;

function unwrap<T extends string | null>(input: MaybeProposed<T>): { value: T; confidence: number } {
  if (input !== null && typeof input === 'object') {
    const { value, confidence } = input;
    return { value, confidence: Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0 };
  }
  return { value: input, confidence: 1 };
}

/**
 * The deadline for an urgency and a first-level category, `hoursFor` being the service-level table
 * (`ReferenceData.deadlineHours`). Each input is a bare value (chosen by the operator, so certain) or
 * a proposal with its confidence. Null without an urgency (the table has no rule for none), or when
 * the table or `from` give nothing usable. The confidence is that of the less sure input: a wrong
 * guess of either can give the wrong hours.
 */
export function proposeDeadline(
  urgency: MaybeProposed<UrgencyLevel> | null,
  categoryLevel1: MaybeProposed<string | null> | null,
  hoursFor: (urgency: UrgencyLevel, categoryLevel1: string | null) => number,
  from: Date,
): DeadlineProposal | null {
  if (urgency === null || Number.isNaN(from.getTime())) return null;
  const level = unwrap(urgency);
  const category = unwrap(categoryLevel1);
  const hours = hoursFor(level.value, category.value);
  if (!Number.isFinite(hours) || hours <= 0) return null;

  const categoryConfidence = category.value === null ? Math.min(category.confidence, unknownCategoryConfidence) : category.confidence;
  const deadline = new Date(from.getTime() + hours * millisecondsPerHour);
  if (Number.isNaN(deadline.getTime())) return null;
  return { value: deadline.toISOString(), hours, confidence: Math.min(level.confidence, categoryConfidence) };
}
