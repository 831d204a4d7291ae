import type { CategoryNode, EvidenceSpan, FieldProposal } from '../../contract';
import type { CategoryPrediction } from './category-model';
import type { TranscriptLine } from './phone-extraction';

// A deeper level named by the caller is a guess on top of the model's guess: it keeps this share
// of the first level's confidence.
const deeperLevelShare = 0.8;
// Catch-all names of the tree say nothing about a call.
const uninformativeNames = new Set(['其他', '其它']);

interface NamedPath {
  path: string[];
  evidence: EvidenceSpan[];
}

/** The longest category name under `root` that the caller says outright, with its path. */
function namedSubcategory(root: CategoryNode, lines: readonly TranscriptLine[]): NamedPath | null {
  let best: (NamedPath & { length: number }) | null = null;
  const visit = (node: CategoryNode, path: string[]) => {
    for (const child of node.children) {
      const childPath = [...path, child.name];
      if (child.name.length >= 2 && !uninformativeNames.has(child.name)) {
        for (const line of lines) {
          if (line.speaker !== 'caller') continue;
          const at = line.text.indexOf(child.name);
          // Deeper and longer names are more specific; the first line that says it is evidence enough.
          if (at >= 0 && (!best || childPath.length > best.path.length || (childPath.length === best.path.length && child.name.length > best.length))) {
            best = { path: childPath, evidence: [{ segmentId: line.id, start: at, end: at + child.name.length }], length: child.name.length };
            break;
          }
        }
      }
      visit(child, childPath);
    }
  };
  visit(root, [root.name]);
  const found = best as (NamedPath & { length: number }) | null;
  return found ? { path: found.path, evidence: found.evidence } : null;
}

/** Where the caller said each of the model's telltale terms (the first time). */
function telltaleEvidence(lines: readonly TranscriptLine[], terms: readonly string[]): EvidenceSpan[] {
  return terms.flatMap((term) => {
    for (const line of lines) {
      if (line.speaker !== 'caller') continue;
      const at = line.text.indexOf(term);
      if (at >= 0) return [{ segmentId: line.id, start: at, end: at + term.length }];
    }
    return [];
  });
}

/**
 * The category proposal: the model's first-level category (its two runners-up as alternatives),
 * extended to a deeper level of the tree when the caller names one outright. Null when the model
 * has nothing to offer.
 */
export function proposeCategoryPath(
  lines: readonly TranscriptLine[],
  predictions: readonly CategoryPrediction[],
  tree: readonly CategoryNode[],
  telltaleTerms: readonly string[] = [],
): Omit<FieldProposal<string[]>, 'source'> | null {
  const [best, ...others] = predictions;
  if (!best) return null;
  const modelEvidence = telltaleEvidence(lines, telltaleTerms);
  const confidence = Number(best.confidence.toFixed(3));
  const alternatives = others.map((prediction) => ({ value: [prediction.category], confidence: Number(prediction.confidence.toFixed(3)) }));
  const root = tree.find((node) => node.name === best.category);
  const named = root ? namedSubcategory(root, lines) : null;
  if (!named) return { value: [best.category], confidence, evidence: modelEvidence, alternatives };
  return {
    value: named.path,
    confidence: Number((confidence * deeperLevelShare).toFixed(3)),
    evidence: [...named.evidence, ...modelEvidence],
    alternatives: [{ value: [best.category], confidence }, ...alternatives],
  };
}
