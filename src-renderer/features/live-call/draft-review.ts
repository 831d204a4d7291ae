import type {
  CaseDraft,
  DraftFieldName,
  DraftFieldValues,
  DraftProposals,
  EvidenceSpan,
  FieldProposal,
  FieldReviewState,
} from '../../../src-main/contract';
import { emptyCaseFormValues, type CaseFormValues } from './case-form-model';

// How the console's proposals meet the operator's own work in the form. The machine may fill what
// is empty and keep refreshing what nobody has looked at; what the operator typed or confirmed is
// never overwritten: a newer, different proposal is offered beside it instead.

/**
 * The proposed fields in the order the form shows them (the contract's list may not be imported at
 * run time). `satisfies` plus the check below make a field added to the contract a compile error here.
 */
export const draftFieldOrder = [
  'callerPhone',
  'contactPhone',
  'anonymous',
  'callerName',
  'callerGender',
  'address',
  'appealType',
  'category',
  'urgency',
  'department',
  'summary',
  'followUp',
] as const satisfies readonly DraftFieldName[];
const everyDraftFieldListed: Exclude<DraftFieldName, (typeof draftFieldOrder)[number]> extends never ? true : never = true;
void everyDraftFieldListed;

/** `none`: never proposed (empty, or typed by the operator before any proposal came). */
export type ReviewState = 'none' | FieldReviewState;

/** Any field's proposal; the field it belongs to says what its value is. */
export type AnyFieldProposal = { [F in DraftFieldName]: FieldProposal<DraftFieldValues[F]> }[DraftFieldName];

export interface FieldReview {
  state: ReviewState;
  /** The proposal the field was filled from, confirmed against or edited away from. */
  proposal: AnyFieldProposal | null;
  /** A later proposal that differs from what the operator kept: offered, never applied by itself. */
  newer: AnyFieldProposal | null;
}

export type DraftReview = Record<DraftFieldName, FieldReview>;

/** A field's proposal with its value typed for that field. */
export function proposalOf<F extends DraftFieldName>(review: DraftReview, field: F): FieldProposal<DraftFieldValues[F]> | null {
  return review[field].proposal as FieldProposal<DraftFieldValues[F]> | null;
}

/** The part of the form the proposals can fill. */
export type DraftFormValues = Pick<CaseFormValues, DraftFieldName>;

const unreviewed: FieldReview = { state: 'none', proposal: null, newer: null };

export function emptyDraftReview(): DraftReview {
  return Object.fromEntries(draftFieldOrder.map((field) => [field, unreviewed])) as DraftReview;
}

export function isDraftField(name: string): name is DraftFieldName {
  return (draftFieldOrder as readonly string[]).includes(name);
}

type ToFormValue = { [F in DraftFieldName]: (value: DraftFieldValues[F]) => CaseFormValues[F] };

const toFormValue: ToFormValue = {
  callerPhone: (value) => value,
  contactPhone: (value) => value,
  callerName: (value) => value,
  callerGender: (value) => value,
  anonymous: (value) => value,
  // The proposal also names the province and city; the form keeps the parts a case records.
  address: ({ district, street, community, estate, detail, divisionCode }) => ({ district, street, community, estate, detail, divisionCode }),
  appealType: (value) => value,
  category: (path) => [...path],
  urgency: (value) => value,
  department: (value) => value,
  summary: (value) => value,
  followUp: ({ wanted, method, note }) => ({ wanted, method, note }),
};

/** A proposed value as the form holds it. */
export function proposalFormValue<F extends DraftFieldName>(field: F, value: DraftFieldValues[F]): CaseFormValues[F] {
  return (toFormValue[field] as (proposed: DraftFieldValues[F]) => CaseFormValues[F])(value);
}

/** What is compared: the address without its division code (derived from the names, not said by anyone). */
function comparable(field: DraftFieldName, value: unknown): unknown {
  if (field === 'address' && value && typeof value === 'object') {
    const { district, street, community, estate, detail } = value as CaseFormValues['address'];
    return { district, street, community, estate, detail };
  }
  return value;
}

/** Key order and surrounding spaces do not make two values differ; `undefined` is an empty choice. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : typeof inner === 'string'
        ? inner.trim()
        : inner,
  );
}

export function sameFormValue(field: DraftFieldName, left: unknown, right: unknown): boolean {
  return canonical(comparable(field, left)) === canonical(comparable(field, right));
}

const emptyValues = emptyCaseFormValues();

export function isEmptyFormValue(field: DraftFieldName, value: unknown): boolean {
  return sameFormValue(field, value, emptyValues[field]);
}

/** The form value a field goes back to when its unreviewed proposal is withdrawn. */
export function emptyFormValue<F extends DraftFieldName>(field: F): CaseFormValues[F] {
  return structuredClone(emptyValues[field]);
}

function formValueOf(proposal: AnyFieldProposal, field: DraftFieldName): unknown {
  return proposalFormValue(field, proposal.value);
}

export interface ReviewUpdate {
  review: DraftReview;
  /** Form values to set (only fields whose shown value changes). */
  patch: Partial<DraftFormValues>;
}

function setPatch<F extends DraftFieldName>(patch: Partial<DraftFormValues>, field: F, value: unknown) {
  patch[field] = value as DraftFormValues[F];
}

/**
 * Brings the proposals of a (partial) draft into the form. Per field:
 * - never proposed: an empty field takes the proposal (`proposed`); a value the operator typed first
 *   stays, `confirmed` if it says the same as the proposal, otherwise `edited` with the proposal offered;
 * - still `proposed`: follows the newest proposal, and empties again when the proposal is withdrawn;
 * - `confirmed` or `edited`: keeps its value; a proposal that differs both from it and from the one
 *   the operator already dealt with is offered as `newer`.
 * Fields absent from `proposals` are left alone.
 */
export function mergeProposals(review: DraftReview, proposals: Partial<DraftProposals>, values: DraftFormValues): ReviewUpdate {
  const next: DraftReview = { ...review };
  const patch: Partial<DraftFormValues> = {};
  for (const field of draftFieldOrder) {
    if (!(field in proposals)) continue;
    const proposal = (proposals[field] ?? null) as AnyFieldProposal | null;
    const entry = review[field];
    const current = values[field];
    if (entry.state === 'proposed' || (entry.state === 'none' && isEmptyFormValue(field, current))) {
      if (!proposal) {
        next[field] = unreviewed;
        if (entry.state === 'proposed' && !isEmptyFormValue(field, current)) setPatch(patch, field, emptyFormValue(field));
        continue;
      }
      const proposed = formValueOf(proposal, field);
      next[field] = { state: 'proposed', proposal, newer: null };
      // Compared whole here (the address with its division code), so that the form shows exactly the proposal.
      if (canonical(current) !== canonical(proposed)) setPatch(patch, field, proposed);
      continue;
    }
    if (!proposal) {
      next[field] = { ...entry, newer: null };
      continue;
    }
    const proposed = formValueOf(proposal, field);
    const agrees = sameFormValue(field, current, proposed);
    if (entry.state === 'none') {
      next[field] = { state: agrees ? 'confirmed' : 'edited', proposal, newer: agrees ? null : proposal };
    } else if (agrees || (entry.proposal && sameFormValue(field, proposed, formValueOf(entry.proposal, field)))) {
      // What the operator kept, or the very proposal they already set aside: nothing new to offer.
      next[field] = { ...entry, proposal, newer: null };
    } else {
      next[field] = { ...entry, newer: proposal };
    }
  }
  return { review: next, patch };
}

export function mergeDraft(review: DraftReview, draft: CaseDraft, values: DraftFormValues): ReviewUpdate {
  return mergeProposals(review, draft.fields, values);
}

/** The number delivered by the telephony line, proposed like any other value: the operator checks it. */
export function lineNumberProposal(callerLine: string): FieldProposal<string> {
  return { value: callerLine, confidence: 1, evidence: [], source: 'line', alternatives: [] };
}

/** The operator accepted a proposed field as it stands (Enter, Tab, or choosing the proposed option). */
export function confirmField(review: DraftReview, field: DraftFieldName): DraftReview {
  if (review[field].state !== 'proposed') return review;
  return { ...review, [field]: { ...review[field], state: 'confirmed' } };
}

/**
 * The operator changed a field. A proposed or confirmed field becomes `edited`, unless the change
 * leaves it saying what was proposed (the same option chosen again): that is a confirmation.
 * An offered newer proposal the operator has now typed themselves is no longer offered.
 */
export function recordOperatorChange(review: DraftReview, field: DraftFieldName, value: unknown): DraftReview {
  const entry = review[field];
  if (entry.state === 'none' || !entry.proposal) return review;
  const keepsProposal = sameFormValue(field, value, formValueOf(entry.proposal, field));
  const newer = entry.newer && sameFormValue(field, value, formValueOf(entry.newer, field)) ? null : entry.newer;
  const state: ReviewState = keepsProposal ? 'confirmed' : 'edited';
  if (state === entry.state && newer === entry.newer) return review;
  return { ...review, [field]: { ...entry, state, newer } };
}

/** The operator takes the newer proposal offered beside a field they had already dealt with. */
export function takeNewerProposal(review: DraftReview, field: DraftFieldName): ReviewUpdate {
  const newer = review[field].newer;
  if (!newer) return { review, patch: {} };
  const patch: Partial<DraftFormValues> = {};
  setPatch(patch, field, formValueOf(newer, field));
  return { review: { ...review, [field]: { state: 'confirmed', proposal: newer, newer: null } }, patch };
}

/** Fields still waiting for the operator, in form order; confirmation waits until there are none. */
export function pendingFields(review: DraftReview): DraftFieldName[] {
  return draftFieldOrder.filter((field) => review[field].state === 'proposed');
}

/** The `review` of a save or confirm request: every field that was proposed, never those that were not. */
export function reviewForRequest(review: DraftReview): Partial<Record<DraftFieldName, FieldReviewState>> {
  const states: Partial<Record<DraftFieldName, FieldReviewState>> = {};
  for (const field of draftFieldOrder) {
    const state = review[field].state;
    if (state !== 'none') states[field] = state;
  }
  return states;
}

/** Shared, so that "no evidence" is the same value from one render to the next. */
export const noEvidence: readonly EvidenceSpan[] = Object.freeze([]);

/** The transcript words to show for a field: those of the offered newer proposal, else of its proposal. */
export function evidenceOf(entry: FieldReview): readonly EvidenceSpan[] {
  return (entry.newer ?? entry.proposal)?.evidence ?? noEvidence;
}

/**
 * Which proposal of two for the same call is the later one: drafts come both as events and as the
 * answer to `drafts.forCall`, and the two can cross.
 */
export function isNewerDraft(previous: CaseDraft | null, next: CaseDraft): boolean {
  if (!previous || previous.callId !== next.callId) return true;
  if (next.segmentCount !== previous.segmentCount) return next.segmentCount > previous.segmentCount;
  return next.generatedAt >= previous.generatedAt;
}

/** A proposal below this is shown visibly weaker: the operator should look twice. */
export const weakConfidence = 0.5;

export function isWeakProposal(proposal: { confidence: number } | null): boolean {
  return proposal !== null && proposal.confidence < weakConfidence;
}

export function confidencePercent(confidence: number): number {
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}
