import { z } from 'zod';
import type { SpeechStatus } from './speech';

export const speakers = ['caller', 'operator'] as const;
export type Speaker = (typeof speakers)[number];

export const segmentSources = ['typed', 'script', 'asr'] as const;
export type SegmentSource = (typeof segmentSources)[number];

export const appealTypes = ['咨询', '求助', '投诉', '举报', '建议', '表扬'] as const;
export type AppealType = (typeof appealTypes)[number];

export const urgencyLevels = ['极急', '急办', '常规', '争议'] as const;
export type UrgencyLevel = (typeof urgencyLevels)[number];

export const caseStates = ['draft', 'confirmed'] as const;
export type CaseState = (typeof caseStates)[number];

export const genders = ['unknown', 'male', 'female'] as const;
export type Gender = (typeof genders)[number];

export const followUpMethods = ['none', 'phone', 'sms'] as const;
export type FollowUpMethod = (typeof followUpMethods)[number];

/** Longest text one transcript segment may carry; a longer utterance is split before it gets here. */
export const maxSegmentTextLength = 2000;
export const maxSummaryLength = 1000;
export const maxAnswerLength = 4000;

export interface TranscriptSegment {
  id: string;
  callId: string;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
  source: SegmentSource;
  /** 0..1 for recognised speech; null for typed or scripted text, which is certain by definition. */
  confidence: number | null;
  createdAt: string;
}

export interface Call {
  id: string;
  stationCode: string;
  operatorName: string;
  /** The caller's number as delivered by the telephony line, when known. */
  callerLine: string | null;
  startedAt: string;
  endedAt: string | null;
  caseId: string | null;
}

const shortText = (maxLength: number) => z.string().trim().max(maxLength);

export const addressSchema = z.object({
  district: shortText(60).default(''),
  street: shortText(60).default(''),
  community: shortText(60).default(''),
  estate: shortText(60).default(''),
  /** Building, unit and room: free text such as "3号楼2单元501". */
  detail: shortText(120).default(''),
  /** Administrative-division code of the most precise standardised level, when the operator picked one. */
  divisionCode: z.string().regex(/^\d{6,12}$/).nullable().default(null),
});
export type CaseAddress = z.infer<typeof addressSchema>;

export const categoryPathSchema = z.array(shortText(40).min(1)).min(1).max(3);

export const followUpSchema = z.object({
  wanted: z.boolean().default(false),
  method: z.enum(followUpMethods).default('none'),
  note: shortText(200).default(''),
});
export type FollowUp = z.infer<typeof followUpSchema>;

/**
 * The work-order fields the operator fills. Drafts accept incomplete and even not-yet-valid
 * values (a phone number half typed), so that saving never loses what was typed; confirming
 * checks them strictly.
 */
export const caseFieldsSchema = z.object({
  callerPhone: shortText(40).default(''),
  contactPhone: shortText(40).default(''),
  callerName: shortText(40).default(''),
  callerGender: z.enum(genders).default('unknown'),
  anonymous: z.boolean().default(false),
  address: addressSchema.default({
    district: '',
    street: '',
    community: '',
    estate: '',
    detail: '',
    divisionCode: null,
  }),
  appealType: z.enum(appealTypes).nullable().default(null),
  category: categoryPathSchema.nullable().default(null),
  urgency: z.enum(urgencyLevels).nullable().default(null),
  department: shortText(80).nullable().default(null),
  summary: z.string().max(maxSummaryLength).default(''),
  duplicateOfCode: shortText(40).nullable().default(null),
  followUp: followUpSchema.default({ wanted: false, method: 'none', note: '' }),
  resolvedOnCall: z.boolean().default(false),
  /** What the operator told the caller (答复内容), often from a knowledge-base article. */
  answer: z.string().max(maxAnswerLength).default(''),
  /** Knowledge-base articles the answer cites, with the version that was read out. */
  citedArticles: z
    .array(z.object({ id: shortText(200).min(1), title: shortText(200), version: z.number().int().min(1) }))
    .max(20)
    .default([]),
});
export type CaseFields = z.infer<typeof caseFieldsSchema>;
export type CaseFieldsInput = z.input<typeof caseFieldsSchema>;

export interface Case extends CaseFields {
  id: string;
  code: string;
  callId: string | null;
  state: CaseState;
  stationCode: string;
  operatorName: string;
  /** Derived from urgency and category by the service-level table when the case is confirmed. */
  deadline: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
}

export interface CaseSummary {
  id: string;
  code: string;
  state: CaseState;
  callerPhone: string;
  callerName: string;
  anonymous: boolean;
  appealType: AppealType | null;
  category: string[] | null;
  urgency: UrgencyLevel | null;
  summary: string;
  addressText: string;
  deadline: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CategoryNode {
  name: string;
  children: CategoryNode[];
}

export interface Department {
  id: string;
  name: string;
  /** First-level categories this department usually handles. */
  categories: string[];
}

export interface UrgencyLevelInfo {
  level: UrgencyLevel;
  description: string;
}

export interface ServiceLevelRule {
  urgency: UrgencyLevel;
  /** First-level category, or '*' for every category not named elsewhere. */
  category: string;
  /** Hours from confirmation to the deadline. */
  hours: number;
}

export interface ReferenceSnapshot {
  categories: CategoryNode[];
  departments: Department[];
  urgencyLevels: UrgencyLevelInfo[];
  serviceLevels: ServiceLevelRule[];
}

export interface AddressSuggestion {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'street';
  fullName: string;
  province: string;
  city: string;
  district: string;
  street: string;
}

export interface SampleCallSummary {
  id: string;
  title: string;
  description: string;
  callerLine: string | null;
  durationMs: number;
  utteranceCount: number;
}

export type ScriptPlaybackState = 'playing' | 'finished' | 'stopped';

export interface ScriptPlayback {
  callId: string;
  scriptId: string;
  state: ScriptPlaybackState;
  played: number;
  total: number;
}

export type StorageState =
  | { state: 'ready'; databasePath: string; schemaVersion: number }
  | { state: 'error'; databasePath: string; code: string; message: string };

export interface AppStatus {
  version: string;
  stationCode: string;
  operatorName: string;
  dataDir: string;
  storage: StorageState;
  speech: SpeechStatus;
  startedAt: string;
}

export interface KnowledgeArticle {
  id: string;
  title: string;
  body: string;
  keywords: string[];
  category: string;
  department: string;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  /** Where the answer comes from (a regulation, an office's published answer). */
  source: string;
  version: number;
  /** Shipped as sample content, not an official answer. */
  sample: boolean;
}

interface SearchHitBase {
  id: string;
  title: string;
  /** A short passage of the text around the first matched word. */
  snippet: string;
  /** The query words found in this document, for highlighting. */
  matchedTerms: string[];
  /** Higher is better; comparable only within one result list. */
  score: number;
  category: string;
}

export interface ArticleHit extends SearchHitBase {
  department: string;
  source: string;
  version: number;
  effectiveUntil: string | null;
  sample: boolean;
}

export interface CaseHit extends SearchHitBase {
  /** Set when the past case was confirmed on this console. */
  caseId: string | null;
  address: string;
  occurredAt: string | null;
  /** A passage of the official reply, when there is one. */
  reply: string;
}

export interface SearchResults {
  /** The words searched for, most telling first. */
  terms: string[];
  articles: ArticleHit[];
  cases: CaseHit[];
  /** Words left out of the case search because too many cases contain them. */
  prunedTerms: string[];
}

export interface CallSuggestions extends SearchResults {
  callId: string;
  /** Sequence number of the last transcript segment taken into account. */
  segmentCount: number;
  generatedAt: string;
}
