import type { MessageKey, Translate } from '../../i18n';
import type { CaptureProblem, CaptureProblemKind } from './capture-problems';

// Typed as a Record so that a new kind of problem is a compile error here until it has words.
export const captureProblemKeys: Record<CaptureProblemKind, MessageKey> = {
  unsupported: 'audioProblem.unsupported',
  'permission-denied': 'audioProblem.permission-denied',
  'device-missing': 'audioProblem.device-missing',
  'no-input': 'audioProblem.no-input',
  'device-busy': 'audioProblem.device-busy',
  'device-lost': 'audioProblem.device-lost',
  'capture-failed': 'audioProblem.capture-failed',
  'line-refused': 'audioProblem.line-refused',
  'line-failed': 'audioProblem.line-failed',
  'line-unknown': 'audioProblem.line-unknown',
  unauthorized: 'audioProblem.unauthorized',
};

/** What happened and what to do, in the operator's language. */
export function describeCaptureProblem(problem: CaptureProblem, t: Translate): string {
  return t(captureProblemKeys[problem.kind]);
}

/** Problems a "retry" can fix without going to Settings. */
export function isRetryable(problem: CaptureProblem): boolean {
  return problem.kind !== 'unsupported' && problem.kind !== 'unauthorized';
}
