import type {
  AppealType,
  CaseState,
  CategoryModelVersion,
  DraftFieldName,
  Hotspot,
  RepeatCaseCandidate,
  FollowUpMethod,
  Gender,
  SegmentSource,
  Speaker,
  UrgencyLevel,
} from '../../src-main/contract';
import type { MessageKey } from './zh-cn';

// The contract's value lists are runtime constants the renderer may not import, so the UI keeps
// its own label tables. Typing them as Record<...> makes a value added to the contract a compile
// error here until it gets a label. Object key order is the display order.

export const appealTypeLabelKeys: Record<AppealType, MessageKey> = {
  咨询: 'appealType.consultation',
  求助: 'appealType.help',
  投诉: 'appealType.complaint',
  举报: 'appealType.report',
  建议: 'appealType.suggestion',
  表扬: 'appealType.praise',
};

export const urgencyLabelKeys: Record<UrgencyLevel, MessageKey> = {
  极急: 'urgency.immediate',
  急办: 'urgency.sameDay',
  常规: 'urgency.routine',
  争议: 'urgency.disputed',
};

export const genderLabelKeys: Record<Gender, MessageKey> = {
  unknown: 'gender.unknown',
  male: 'gender.male',
  female: 'gender.female',
};

export const followUpMethodLabelKeys: Record<FollowUpMethod, MessageKey> = {
  none: 'followUp.none',
  phone: 'followUp.phone',
  sms: 'followUp.sms',
};

export const caseStateLabelKeys: Record<CaseState, MessageKey> = {
  draft: 'caseState.draft',
  confirmed: 'caseState.confirmed',
};

export const speakerLabelKeys: Record<Speaker, MessageKey> = {
  caller: 'speaker.caller',
  operator: 'speaker.operator',
};

export const segmentSourceLabelKeys: Record<SegmentSource, MessageKey> = {
  typed: 'source.typed',
  script: 'source.script',
  asr: 'source.asr',
};

/** What each proposed field is called where it is named on its own (a list of fields, the report). */
export const draftFieldLabelKeys: Record<DraftFieldName, MessageKey> = {
  callerPhone: 'form.callerPhone',
  contactPhone: 'form.contactPhone',
  callerName: 'form.callerName',
  callerGender: 'form.callerGender',
  anonymous: 'form.anonymous',
  address: 'cases.address',
  appealType: 'form.appealType',
  category: 'form.category',
  urgency: 'form.urgency',
  department: 'form.department',
  summary: 'form.summary',
  followUp: 'cases.followUp',
};

export const repeatReasonLabelKeys: Record<RepeatCaseCandidate['reasons'][number], MessageKey> = {
  'same-phone': 'repeat.reason.same-phone',
  'same-place': 'repeat.reason.same-place',
};

export const hotspotKindLabelKeys: Record<Hotspot['kind'], MessageKey> = {
  cluster: 'hotspot.kind.cluster',
  surge: 'hotspot.kind.surge',
};

export const trainingReasonLabelKeys: Record<CategoryModelVersion['reason'], MessageKey> = {
  command: 'models.reason.command',
  'new-cases': 'models.reason.new-cases',
  'format-upgrade': 'models.reason.format-upgrade',
};

export function keysOf<K extends string>(record: Record<K, unknown>): K[] {
  return Object.keys(record) as K[];
}
