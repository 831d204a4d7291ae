import { seededRandom } from './linear-svm';

/**
 * The part of the training cases held out to fit the model's settings. Citizens repost a message with
 * a word or two changed; a repost on each side of the split would be found by the neighbours and make
 * them look better than they are on new cases, so reposts are held out, or kept, together.
 */

/** Texts sharing more than this share of their five-character pieces are one message posted twice. */
const nearDuplicateJaccard = 0.5;
const shingleLength = 5;
/**
 * Only the pieces whose hash is a multiple of this are compared (Broder's sampling): the share two
 * texts have in common is estimated as well from a quarter of their pieces, four times as fast.
 */
const shingleSampling = 4;
/** A piece in more texts than this is boilerplate (尊敬的领导您好), not a sign of a repost. */
const commonShingleTexts = 50;
/** Below this many examples of a category, none is held out: a validation part would teach nothing. */
const smallestValidatedCategory = 5;

function sampledShingles(text: string): Set<number> {
  const letters = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const shingles = new Set<number>();
  for (let start = 0; start + shingleLength <= letters.length; start += 1) {
    let hash = 2_166_136_261;
    for (let offset = 0; offset < shingleLength; offset += 1) hash = Math.imul(hash ^ letters.charCodeAt(start + offset), 16_777_619);
    hash >>>= 0;
    if (hash % shingleSampling === 0) shingles.add(hash);
  }
  return shingles;
}

/** For each text, a representative of its group of near-duplicates (itself when it has none). */
export function nearDuplicateGroups(texts: readonly string[]): number[] {
  const shingles = texts.map(sampledShingles);
  const textsWithShingle = new Map<number, number[]>();
  shingles.forEach((set, text) => {
    for (const shingle of set) {
      const holders = textsWithShingle.get(shingle);
      if (holders) holders.push(text);
      else textsWithShingle.set(shingle, [text]);
    }
  });
  const parent = texts.map((_, text) => text);
  const root = (text: number): number => {
    let current = text;
    while (parent[current] !== current) {
      parent[current] = parent[parent[current] as number] as number;
      current = parent[current] as number;
    }
    return current;
  };
  shingles.forEach((set, text) => {
    const shared = new Map<number, number>();
    for (const shingle of set) {
      const holders = textsWithShingle.get(shingle) as number[];
      if (holders.length > commonShingleTexts) continue;
      for (const other of holders) if (other > text) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    for (const [other, count] of shared) {
      const union = set.size + (shingles[other] as Set<number>).size - count;
      if (count / union > nearDuplicateJaccard) parent[root(text)] = root(other);
    }
  });
  return texts.map((_, text) => root(text));
}

/**
 * Holds out about `share` of each category, whole groups of near-duplicates at a time, in a seeded
 * order: reproducible, and no group on both sides.
 */
export function groupedValidationSplit<Example extends { text: string; category: string }>(examples: readonly Example[], share: number, seed: number) {
  const groups = nearDuplicateGroups(examples.map((example) => example.text));
  const members = new Map<number, number[]>();
  groups.forEach((group, index) => members.set(group, [...(members.get(group) ?? []), index]));
  const order = [...members.keys()];
  const random = seededRandom(seed);
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const categoryCounts = new Map<string, number>();
  for (const example of examples) categoryCounts.set(example.category, (categoryCounts.get(example.category) ?? 0) + 1);
  const wanted = new Map(
    [...categoryCounts].map(([category, count]) => [category, count >= smallestValidatedCategory ? Math.max(1, Math.round(count * share)) : 0]),
  );
  const heldOut = new Set<number>();
  for (const group of order) {
    const indices = members.get(group) as number[];
    // A group goes to the category of its first text (reposts nearly always share one).
    const category = (examples[indices[0] as number] as Example).category;
    const remaining = wanted.get(category) ?? 0;
    if (remaining < indices.length) continue;
    wanted.set(category, remaining - indices.length);
    for (const index of indices) heldOut.add(index);
  }
  return {
    fitting: examples.filter((_, index) => !heldOut.has(index)),
    validation: examples.filter((_, index) => heldOut.has(index)),
  };
}
