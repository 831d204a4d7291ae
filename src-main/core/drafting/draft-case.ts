import type { DraftProposals, FieldProposal, Gender, ProposedAddress, UrgencyLevel } from '../../contract';
import type { ReferenceData } from '../reference';
import { extractAddress } from './address-extraction';
import { extractAnonymityRequest, extractAppealType, extractCallerName, extractUrgency, type Proposal } from './caller-cues';
import type { CategoryModel } from './category-model';
import { proposeCategoryPath } from './category-path';
import { proposeDeadline } from './deadline';
import { proposeDepartment, type RoutedPastCase } from './department-routing';
import { extractFollowUp } from './follow-up';
import { extractPhoneNumbers, type TranscriptLine } from './phone-extraction';
import { summariseCall } from './summary';

export interface DraftingContext {
  reference: ReferenceData;
  /** The active category model and its registry version; null while none has been trained. */
  categoryModel: { version: number; model: CategoryModel } | null;
}

export interface DraftInput {
  lines: readonly TranscriptLine[];
  /**
   * A written message's title, when drafting from one (it is among the lines too): the category
   * model also reads it on its own. None for a call.
   */
  title?: string;
  /** The caller's number as the telephony line delivered it. */
  callerLine: string | null;
  /** Similar earlier cases and where they were sent, for the department. */
  routedPastCases: readonly RoutedPastCase[];
  /** When the case would be confirmed, for the deadline. */
  now: Date;
}

export interface DraftedFields {
  fields: DraftProposals;
  deadline: { value: string; hours: number; confidence: number } | null;
}

function fieldProposal<T>(proposal: Proposal<T> | null, source: string, alternatives: { value: T; confidence: number }[] = []): FieldProposal<T> | null {
  if (!proposal) return null;
  return { value: proposal.value, confidence: Number(proposal.confidence.toFixed(3)), evidence: proposal.evidence, source, alternatives };
}

const genderOfTitle: Record<string, Gender> = { 先生: 'male', 女士: 'female', 小姐: 'female' };

/** What the caller's words are about, for the category model: the caller's lines, else everything said. */
function matterText(lines: readonly TranscriptLine[]): string {
  const callerWords = lines.filter((line) => line.speaker === 'caller').map((line) => line.text);
  return (callerWords.length > 0 ? callerWords : lines.map((line) => line.text)).join('。');
}

// A caller who has said this many Chinese characters has stated a matter: enough to ask the category
// model, and, with no cue of anything more pressing, to guess a routine urgency (weakly).
const statedMatterLength = 8;
const routineConfidence = 0.5;

function hanCharactersSaidByCaller(lines: readonly TranscriptLine[]): number {
  return lines.filter((line) => line.speaker === 'caller').reduce((sum, line) => sum + (line.text.match(/\p{Script=Han}/gu)?.length ?? 0), 0);
}

function routineUrgency(lines: readonly TranscriptLine[]): FieldProposal<UrgencyLevel> | null {
  return hanCharactersSaidByCaller(lines) >= statedMatterLength
    ? { value: '常规', confidence: routineConfidence, evidence: [], source: 'rule:urgency-default', alternatives: [] }
    : null;
}

/**
 * Every work-order field the transcript supports, each with its confidence and the words behind it.
 * Pure: the same transcript and context give the same proposals (the drafting service, the `draft`
 * command and the evaluation all come through here).
 */
export function draftFields(input: DraftInput, context: DraftingContext): DraftedFields {
  const { lines } = input;
  const { reference } = context;

  const spokenNumbers = extractPhoneNumbers(lines);
  const [latestNumber, ...correctedNumbers] = spokenNumbers;
  const contactPhone: FieldProposal<string> | null = latestNumber
    ? {
        value: latestNumber.value,
        confidence: latestNumber.confidence,
        // A correction shows both: the number that counts and the one it replaced.
        evidence: [...latestNumber.evidence, ...correctedNumbers.flatMap((number) => number.evidence)],
        source: 'rule:phone',
        alternatives: correctedNumbers.map((number) => ({ value: number.value, confidence: number.confidence })),
      }
    : null;
  const callerPhone: FieldProposal<string> | null = input.callerLine
    ? { value: input.callerLine, confidence: 0.95, evidence: [], source: 'line', alternatives: [] }
    : contactPhone && { ...contactPhone, confidence: Math.min(contactPhone.confidence, 0.8) };

  const name = extractCallerName(lines);
  const callerName = name
    ? fieldProposal(
        { ...name, value: name.value.fullName ?? `${name.value.surname}${name.value.title ?? ''}` },
        'rule:name',
      )
    : null;
  const title = name?.value.title;
  const callerGender = name && title ? fieldProposal({ ...name, value: genderOfTitle[title] ?? 'unknown' }, 'rule:name') : null;

  const address = extractAddress(lines, reference.places);
  const addressProposal = address ? fieldProposal<ProposedAddress>(address, 'rule:address') : null;

  const categoryModel = context.categoryModel;
  const matterStated = statedMatterLength <= hanCharactersSaidByCaller(lines);
  // A greeting says nothing about the category; the model would only return its prior.
  const messageTitle = input.title ?? '';
  const predictions = categoryModel && matterStated ? categoryModel.model.predict(matterText(lines), messageTitle) : [];
  const telltaleTerms = categoryModel && predictions[0] ? categoryModel.model.telltaleTerms(matterText(lines), predictions[0].category, messageTitle) : [];
  const category = proposeCategoryPath(lines, predictions, reference.snapshot.categories, telltaleTerms);
  const categoryProposal = category
    ? { ...category, source: `model:category@${categoryModel?.version ?? 0}` }
    : null;

  const urgency = fieldProposal<UrgencyLevel>(extractUrgency(lines, reference.urgencyCues), 'rule:urgency') ?? routineUrgency(lines);
  const department = proposeDepartment({
    lines,
    category: categoryProposal ? { value: categoryProposal.value, confidence: categoryProposal.confidence } : null,
    district: address?.value.district || null,
    pastCases: input.routedPastCases,
    departments: reference.snapshot.departments,
    cues: reference.departmentCues,
  });
  const deadline = proposeDeadline(
    urgency ? { value: urgency.value, confidence: urgency.confidence } : null,
    categoryProposal ? { value: categoryProposal.value[0] ?? null, confidence: categoryProposal.confidence } : null,
    (level, categoryLevel1) => reference.deadlineHours(level, categoryLevel1),
    input.now,
  );

  return {
    fields: {
      callerPhone,
      contactPhone,
      callerName,
      callerGender,
      anonymous: fieldProposal(extractAnonymityRequest(lines), 'rule:anonymity'),
      address: addressProposal,
      appealType: fieldProposal(extractAppealType(lines), 'rule:appeal-type'),
      category: categoryProposal,
      urgency,
      department: department ? { ...fieldProposal(department, 'rule:department')!, alternatives: department.alternatives } : null,
      summary: fieldProposal(summariseCall(lines), 'rule:summary'),
      followUp: fieldProposal(extractFollowUp(lines), 'rule:follow-up'),
    },
    deadline,
  };
}
