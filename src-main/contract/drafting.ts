import type { AppealType, CaseAddress, FollowUp, Gender, UrgencyLevel } from './domain';

/** The words a proposal rests on: characters [start, end) of one transcript segment's text. */
export interface EvidenceSpan {
  segmentId: string;
  start: number;
  end: number;
}

/** The work-order fields the console proposes from the transcript. */
export const draftFieldNames = [
  'callerPhone',
  'contactPhone',
  'callerName',
  'callerGender',
  'anonymous',
  'address',
  'appealType',
  'category',
  'urgency',
  'department',
  'summary',
  'followUp',
] as const;
export type DraftFieldName = (typeof draftFieldNames)[number];

/**
 * Where a field of the form stands: filled by a proposal the operator has not looked at yet, accepted
 * by the operator as proposed, or typed or changed by the operator. A case cannot be confirmed while
 * any field is still `proposed`.
 */
export const fieldReviewStates = ['proposed', 'confirmed', 'edited'] as const;
export type FieldReviewState = (typeof fieldReviewStates)[number];

export interface ProposedAddress extends CaseAddress {
  city: string;
  province: string;
  /** The place named lies outside the city this console serves. */
  outsideRegion: boolean;
}

export interface DraftFieldValues {
  callerPhone: string;
  contactPhone: string;
  /** As the operator would write it: 王先生, 李女士, 张伟. */
  callerName: string;
  callerGender: Gender;
  anonymous: boolean;
  address: ProposedAddress;
  appealType: AppealType;
  /** The category path, level 1 first. */
  category: string[];
  urgency: UrgencyLevel;
  department: string;
  summary: string;
  followUp: FollowUp;
}

export interface FieldProposal<T> {
  value: T;
  /** 0..1: how likely the value is right. */
  confidence: number;
  /** The transcript words behind the value; empty when it comes from elsewhere (the telephony line). */
  evidence: EvidenceSpan[];
  /** What proposed it: a rule ('rule:phone'), the category model ('model:category@3'), the line ('line'). */
  source: string;
  /** The next best values, best first (category: up to two more). */
  alternatives: { value: T; confidence: number }[];
}

export type DraftProposals = { [F in DraftFieldName]: FieldProposal<DraftFieldValues[F]> | null };

/** An earlier case that may concern the same matter: the operator can link the new one to it. */
export interface RepeatCaseCandidate {
  /** The earlier case's code on this console, or the imported record's id. */
  code: string;
  /** Set when the earlier case was made on this console. */
  caseId: string | null;
  occurredAt: string;
  reasons: ('same-phone' | 'same-place')[];
  similarity: number;
  confidence: number;
  summary: string;
  address: string;
  category: string | null;
  /** What the caller was told then (答复), when known. */
  answer: string;
}

/** The console's proposals for a call's work order, refreshed after every utterance. */
export interface CaseDraft {
  callId: string;
  /** How many transcript segments the proposals take into account. */
  segmentCount: number;
  fields: DraftProposals;
  /** The deadline the service-level table gives for the proposed urgency and category. */
  deadline: { value: string; hours: number } | null;
  repeats: RepeatCaseCandidate[];
  /** Version of the category model used, or null when none is trained yet. */
  categoryModelVersion: number | null;
  generatedAt: string;
}

/** Many cases on one place and matter within days, or a day far busier than usual. */
export interface Hotspot {
  kind: 'cluster' | 'surge';
  /** The days a cluster's cases fall within. */
  windowDays: number;
  placeLabel: string;
  category: string | null;
  count: number;
  /** For a surge: the usual count of such a day. */
  expected: number | null;
  firstAt: string;
  lastAt: string;
  /** Codes or imported ids of the cases, newest first (at most 20). */
  caseCodes: string[];
}

/** A version of the locally learnt category model: the governance record the hotline rules ask for. */
export interface CategoryModelVersion {
  version: number;
  active: boolean;
  /** False for a version stored by an earlier console in a format this one cannot read: it cannot be used or restored. */
  readable: boolean;
  trainedAt: string;
  algorithm: string;
  /** What it learnt from. */
  training: {
    exampleCount: number;
    importedCount: number;
    confirmedCount: number;
    categories: { category: string; count: number }[];
    /** Earliest and latest case time among the examples, when known. */
    from: string | null;
    until: string | null;
  };
  /** Scores on cases held out from its training. */
  evaluation: { heldOutCount: number; top1: number; macroF1: number; top3: number } | null;
  /** How long the model took to learn from all its cases. */
  trainSeconds: number;
  /** How long scoring took (a second fit without the held-out cases). */
  evaluationSeconds: number;
  /** Why it was trained: the operator's command, enough new confirmed cases, or an update that left the active version unreadable. */
  reason: 'command' | 'new-cases' | 'format-upgrade';
}

/** How often the operators took each field's proposal as it was, per category-model version. */
export interface SuggestionReportRow {
  field: DraftFieldName;
  modelVersion: number | null;
  /** Confirmed cases in which the field was proposed. */
  proposed: number;
  accepted: number;
  edited: number;
  acceptanceRate: number;
  editRate: number;
}
