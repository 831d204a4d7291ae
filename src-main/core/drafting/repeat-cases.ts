import { countCharacterGrams } from './text-features';

/**
 * Repeat cases (重复件): earlier cases that the current call may repeat, so that the operator links
 * it to them rather than filing the same matter again. Two ways in: the same caller number, or the
 * same place with a similar matter. Pure: the caller looks the earlier cases up.
 */

export interface EarlierCase {
  id: string;
  code: string | null;
  occurredAt: string;
  phones: string[];
  /** A normalised estate or street key, computed elsewhere; compared as an opaque string. */
  placeKey: string | null;
  category: string | null;
  text: string;
  answer: string;
}

export interface RepeatCandidate {
  earlier: EarlierCase;
  reasons: ('same-phone' | 'same-place')[];
  /** 0..1: how alike the two matters read (`textSimilarity`). */
  similarity: number;
  confidence: number;
}

export interface CurrentCase {
  phones: string[];
  placeKey: string | null;
  category: string | null;
  text: string;
  at: Date;
}

export interface RepeatSearchOptions {
  /** How many days back an earlier case counts (30). */
  windowDays?: number;
  /** How many candidates at most (3). */
  limit?: number;
}

const defaultWindowDays = 30;
const defaultLimit = 3;
const dayMs = 86_400_000;

// The same number is a strong sign by itself (people call back about what they called about);
// the same place only with a similar matter, since many matters arise at one estate.
const samePhoneBase = 0.55;
const samePhoneSimilarityWeight = 0.35;
const samePlaceBase = 0.35;
const samePlaceSimilarityWeight = 0.45;
const sameCategoryBonus = 0.1;
// A same-place match needs this much text similarity, or the lower one with the same category.
const samePlaceMinimumSimilarity = 0.35;
const samePlaceMinimumSimilarityInCategory = 0.2;
// Both reasons at once add this to the stronger one.
const bothReasonsBonus = 0.1;
// An earlier case at the far end of the window is this much less likely a repeat than one of today.
const ageDiscount = 0.15;
const maxConfidence = 0.95;

/** A phone number as digits only: "139-1234-5678" and "13912345678" are the same number. */
function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * How alike two texts read, 0..1: the cosine of their character-bigram counts. Characters rather
 * than words because transcripts and typed summaries segment differently; bigrams keep 停水 apart
 * from 水停 while forgiving the many ways of wording one matter. Texts too short for a bigram are
 * alike only when equal.
 */
export function textSimilarity(first: string, second: string): number {
  const bigrams = { shortestGram: 2, longestGram: 2 };
  const a = countCharacterGrams(first, bigrams);
  const b = countCharacterGrams(second, bigrams);
  if (a.size === 0 || b.size === 0) {
    const same = first.trim() !== '' && first.normalize('NFKC').trim().toLowerCase() === second.normalize('NFKC').trim().toLowerCase();
    return same ? 1 : 0;
  }
  let dot = 0;
  for (const [gram, count] of a) dot += count * (b.get(gram) ?? 0);
  const norm = (counts: Map<string, number>) => Math.sqrt([...counts.values()].reduce((sum, count) => sum + count * count, 0));
  return Math.min(1, dot / (norm(a) * norm(b)));
}

/**
 * Earlier cases within the window (default 30 days before `current.at`) that the current one may
 * repeat: the same caller number, or the same place key with a similar matter. Most likely first,
 * at most `limit` (default 3). Cases after `current.at` or with an unreadable time are left out.
 */
export function findRepeatCandidates(current: CurrentCase, earlier: readonly EarlierCase[], options: RepeatSearchOptions = {}): RepeatCandidate[] {
  const windowDays = Math.max(0, options.windowDays ?? defaultWindowDays);
  const limit = Math.max(0, Math.floor(options.limit ?? defaultLimit));
  const now = current.at.getTime();
  if (limit === 0 || Number.isNaN(now)) return [];
  const windowMs = windowDays * dayMs;
  const currentPhones = new Set(current.phones.map(phoneDigits).filter((digits) => digits !== ''));

  const candidates: (RepeatCandidate & { age: number })[] = [];
  for (const candidate of earlier) {
    const age = now - new Date(candidate.occurredAt).getTime();
    if (!(age >= 0 && age <= windowMs)) continue;

    const samePhone = candidate.phones.some((phone) => currentPhones.has(phoneDigits(phone)));
    const samePlace = current.placeKey !== null && current.placeKey !== '' && candidate.placeKey === current.placeKey;
    if (!samePhone && !samePlace) continue;

    const similarity = textSimilarity(current.text, candidate.text);
    const sameCategory = current.category !== null && current.category === candidate.category;
    const categoryBonus = sameCategory ? sameCategoryBonus : 0;
    const similarMatter = similarity >= (sameCategory ? samePlaceMinimumSimilarityInCategory : samePlaceMinimumSimilarity);

    const reasons: RepeatCandidate['reasons'] = [];
    const scores: number[] = [];
    if (samePhone) {
      reasons.push('same-phone');
      scores.push(samePhoneBase + samePhoneSimilarityWeight * similarity + categoryBonus);
    }
    if (samePlace && similarMatter) {
      reasons.push('same-place');
      scores.push(samePlaceBase + samePlaceSimilarityWeight * similarity + categoryBonus);
    }
    if (reasons.length === 0) continue;

    const strongest = Math.max(...scores) + (reasons.length > 1 ? bothReasonsBonus : 0);
    const recency = windowMs > 0 ? 1 - ageDiscount * (age / windowMs) : 1;
    candidates.push({ earlier: candidate, reasons, similarity, confidence: Math.min(maxConfidence, strongest * recency), age });
  }

  return candidates
    .sort((a, b) => b.confidence - a.confidence || a.age - b.age)
    .slice(0, limit)
    .map(({ age: _age, ...candidate }) => candidate);
}
