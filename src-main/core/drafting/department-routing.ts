import type { Department } from '../../contract';
import type { Proposal } from './caller-cues';
import { isNegated } from './cue-words';
import type { Evidence, TranscriptLine } from './phone-extraction';

/**
 * The handling department (承办单位) proposed for a work order. Three things point to one: the cue
 * words said in the call (resources/department-cues.json: 燃气 → 市燃气集团), how similar past cases
 * were routed, and the proposed category, which favours the departments that handle it without
 * deciding among them. The value is the department's name, as the form's department list holds it.
 */

/** A past case like this call (from case search), and where it went. */
export interface RoutedPastCase {
  /** The department's name as recorded on the case. */
  department: string;
  /** 0..1: how much the past case resembles this call. */
  similarity: number;
  district?: string;
}

/** The cue words of one department (shaped as `ReferenceData.departmentCues`). */
export interface DepartmentCueWords {
  departmentId: string;
  words: readonly string[];
}

export interface DepartmentRoutingInput {
  lines: readonly TranscriptLine[];
  /** The proposed category path (level 1 first) and how sure that proposal is. */
  category: { value: string[]; confidence: number } | null;
  /** The district of the matter's address, when known: past cases of the same district count more. */
  district: string | null;
  pastCases: readonly RoutedPastCase[];
  departments: readonly Department[];
  cues: readonly DepartmentCueWords[];
}

export type DepartmentProposal = Proposal<string> & { alternatives: { value: string; confidence: number }[] };

// The caller knows the matter; the operator mostly restates it (and adds the routine phrases of the
// job), so the operator's words count half.
const speakerWeight: Record<TranscriptLine['speaker'], number> = { caller: 1, operator: 0.5 };
// A similar past case weighs about as much as a cue word; one from the same district more, because
// routing differs between districts (one district's street office takes what another's city bureau does).
const pastCaseWeight = 1;
const sameDistrictFactor = 1.5;
// How far a (sure) category moves a department's score up when it handles the category, or down when not.
const categoryFitStrength = 0.5;
// Votes at which the evidence is considered substantial: confidence saturates as the best department's
// score grows past it.
const substantialVotes = 2;
const maxConfidence = 0.9;
// From the category alone the department is a guess among those that handle it: at most this sure.
const categoryOnlyConfidence = 0.4;
const alternativeCount = 2;

interface CueHit {
  departmentId: string;
  evidence: Evidence;
  weight: number;
}

/**
 * Every cue word said in the lines, longest first so that a word inside a longer cue ("施工" in
 * "夜间施工") is not counted a second time, for its own department or another's.
 */
function findCueHits(lines: readonly TranscriptLine[], cues: readonly DepartmentCueWords[]): CueHit[] {
  const words = cues
    .flatMap(({ departmentId, words: cueWords }) => cueWords.map((word) => ({ departmentId, word })))
    .filter(({ word }) => word.length > 0)
    .sort((a, b) => b.word.length - a.word.length);
  const hits: CueHit[] = [];
  for (const line of lines) {
    const lineHits: CueHit[] = [];
    const covered = new Uint8Array(line.text.length);
    for (const { departmentId, word } of words) {
      for (let at = line.text.indexOf(word); at >= 0; at = line.text.indexOf(word, at + word.length)) {
        const end = at + word.length;
        if (covered.subarray(at, end).some((taken) => taken === 1)) continue;
        if (isNegated(line.text, at)) continue;
        covered.fill(1, at, end);
        lineHits.push({ departmentId, evidence: { segmentId: line.id, start: at, end }, weight: speakerWeight[line.speaker] });
      }
    }
    // In the order said, so that the evidence reads as the transcript does.
    hits.push(...lineHits.sort((a, b) => a.evidence.start - b.evidence.start));
  }
  return hits;
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * Departments that handle the category, narrowest remit first (a department that handles only this
 * category is the likelier one), each with the share of a category-only guess.
 */
function categoryHandlers(departments: readonly Department[], level1: string, categoryConfidence: number): { name: string; confidence: number }[] {
  const handlers = departments
    .filter((department) => department.categories.includes(level1))
    .map((department) => ({ name: department.name, weight: 1 / department.categories.length }));
  const total = handlers.reduce((sum, handler) => sum + handler.weight, 0);
  return handlers
    .sort((a, b) => b.weight - a.weight)
    .map((handler) => ({ name: handler.name, confidence: categoryOnlyConfidence * categoryConfidence * (handler.weight / total) }));
}

/**
 * The department to propose, with up to two alternatives. Null when nothing points anywhere (no cue
 * word, no similar past case, no category): a guess would look surer than it is.
 */
export function proposeDepartment(input: DepartmentRoutingInput): DepartmentProposal | null {
  const { lines, category, district, pastCases, departments, cues } = input;
  const nameById = new Map(departments.map((department) => [department.id, department.name]));
  const departmentByName = new Map(departments.map((department) => [department.name, department]));
  const level1 = category?.value[0] ?? null;
  const categoryConfidence = clampUnit(category?.confidence ?? 0);

  const votes = new Map<string, { score: number; evidence: Evidence[] }>();
  const vote = (name: string, score: number, evidence?: Evidence) => {
    const entry = votes.get(name) ?? { score: 0, evidence: [] };
    entry.score += score;
    if (evidence) entry.evidence.push(evidence);
    votes.set(name, entry);
  };

  for (const hit of findCueHits(lines, cues)) {
    const name = nameById.get(hit.departmentId);
    if (name !== undefined) vote(name, hit.weight, hit.evidence);
  }
  for (const pastCase of pastCases) {
    const name = pastCase.department.trim();
    const similarity = clampUnit(pastCase.similarity);
    if (name === '' || similarity === 0) continue;
    const sameDistrict = district !== null && district !== '' && pastCase.district === district;
    vote(name, pastCaseWeight * similarity * (sameDistrict ? sameDistrictFactor : 1));
  }

  const scored = [...votes.entries()].map(([name, { score, evidence }]) => {
    // A past case may name a department outside the list; the category says nothing about it.
    const handles = level1 === null ? null : (departmentByName.get(name)?.categories.includes(level1) ?? null);
    const fit = handles === null ? 1 : 1 + (handles ? 1 : -1) * categoryFitStrength * categoryConfidence;
    return { name, score: score * fit, evidence };
  });
  // Ties go to the department listed first in the reference data, so that the result is stable.
  const listOrder = (name: string) => {
    const index = departments.findIndex((department) => department.name === name);
    return index < 0 ? departments.length : index;
  };
  scored.sort((a, b) => b.score - a.score || listOrder(a.name) - listOrder(b.name));

  const handlers = level1 === null ? [] : categoryHandlers(departments, level1, categoryConfidence);
  const best = scored[0];
  if (!best) {
    const [first, ...others] = handlers;
    if (!first) return null;
    return {
      value: first.name,
      confidence: first.confidence,
      evidence: [],
      alternatives: others.slice(0, alternativeCount).map(({ name, confidence }) => ({ value: name, confidence })),
    };
  }

  const total = scored.reduce((sum, entry) => sum + entry.score, 0);
  // The best department's share of all the votes, discounted while the votes are few: one cue word
  // said once is a hint, not a routing.
  const confidenceOf = (score: number) => Math.min(maxConfidence, (score / total) * (1 - Math.exp(-score / substantialVotes)));
  const alternatives = scored.slice(1, 1 + alternativeCount).map((entry) => ({ value: entry.name, confidence: confidenceOf(entry.score) }));
  // Fewer voted departments than alternatives wanted: the category's other departments fill in.
  for (const handler of handlers) {
    if (alternatives.length >= alternativeCount) break;
    if (handler.name === best.name || alternatives.some((alternative) => alternative.value === handler.name)) continue;
    alternatives.push({ value: handler.name, confidence: Math.min(handler.confidence, alternatives.at(-1)?.confidence ?? confidenceOf(best.score)) });
  }
  return { value: best.name, confidence: confidenceOf(best.score), evidence: best.evidence, alternatives };
}
