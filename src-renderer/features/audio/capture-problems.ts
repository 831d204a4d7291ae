// Why a line cannot capture, in terms the operator can act on. Each kind has words in both
// dictionaries (`audioProblem.<kind>`) that say what happened and what to do.

export const captureProblemKinds = [
  /** This browser or window offers no microphone access at all (not a secure page, or no support). */
  'unsupported',
  /** The operator (or a policy) refused the microphone. */
  'permission-denied',
  /** The chosen device is not connected. */
  'device-missing',
  /** There is no audio input at all (the system default was asked for). */
  'no-input',
  /** The device exists but cannot be opened: another program holds it, or it failed. */
  'device-busy',
  /** The device went away during the call (unplugged). */
  'device-lost',
  /** The audio processing could not start in this page. */
  'capture-failed',
  /** The console refused to open the line (for example the call has already ended). */
  'line-refused',
  /** The console says the line failed (recognition stopped, or the recording could not be written). */
  'line-failed',
  /** The console no longer knows the line (it was closed on its side). */
  'line-unknown',
  /** The console refused the page's access token for audio. */
  'unauthorized',
] as const;

export type CaptureProblemKind = (typeof captureProblemKinds)[number];

export interface CaptureProblem {
  kind: CaptureProblemKind;
  /** The technical words underneath (browser or console message), for the operator to pass on. */
  detail: string;
}

export class CaptureError extends Error {
  constructor(
    readonly problem: CaptureProblem,
  ) {
    super(`${problem.kind}: ${problem.detail}`);
    this.name = 'CaptureError';
  }
}

/**
 * Maps what getUserMedia threw to a kind the operator can act on. `deviceId` '' (the system
 * default) turns "not found" into "no input at all".
 */
export function classifyMediaError(error: unknown, deviceId?: string): CaptureProblem {
  const problem = classifyError(error);
  return problem.kind === 'device-missing' && deviceId === '' ? { ...problem, kind: 'no-input' } : problem;
}

function classifyError(error: unknown): CaptureProblem {
  if (error instanceof CaptureError) return error.problem;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  const detail = error instanceof Error ? error.message || error.name : String(error);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return { kind: 'permission-denied', detail };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return { kind: 'device-missing', detail };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return { kind: 'device-busy', detail };
    case 'TypeError':
      return { kind: 'unsupported', detail };
    default:
      return { kind: 'capture-failed', detail };
  }
}
