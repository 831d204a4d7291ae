import type { CaptureProblem } from './capture-problems';
import type { LineCaptureState } from './line-capture';

export type LineStatusKind =
  | 'starting'
  /** Audio flows and is recognised. */
  | 'listening'
  /** Audio flows and is recorded, but no model is ready to recognise it: the operator types. */
  | 'recording-only'
  | 'failed'
  | 'stopped';

export interface LineStatus {
  kind: LineStatusKind;
  problem: CaptureProblem | null;
  /** Recognition is behind the audio: its text will come late. */
  fallingBehind: boolean;
  /** Utterances recognition had to leave out (their audio is recorded). */
  skippedUtterances: number;
  /** The browser mode's socket is being reopened. */
  reconnecting: boolean;
  /** Audio given up while the socket was away, in ms. */
  droppedMs: number;
}

/** What one line's indicator shows, from the capture's state and whether a speech model is ready. */
export function lineStatus(state: LineCaptureState, speechReady: boolean): LineStatus {
  const line = state.line;
  const base = {
    fallingBehind: line?.fallingBehind ?? false,
    skippedUtterances: line?.skippedUtterances ?? 0,
    reconnecting: state.delivery?.state === 'reconnecting',
    droppedMs: state.delivery?.droppedMs ?? 0,
  };
  if (state.phase === 'failed') return { ...base, kind: 'failed', problem: state.problem };
  if (state.phase === 'listening' && line?.state === 'failed') {
    // The console's side failed the line (recognition stopped, or the recording could not be
    // written); the audio still goes to it, so that whatever can be recorded is.
    return { ...base, kind: 'failed', problem: { kind: 'line-failed', detail: line.message ?? '' } };
  }
  if (state.phase === 'listening') {
    // A line opened while no model was ready is recorded without being recognised, even if a model
    // becomes ready later in the call.
    const recognised = speechReady && (line?.recognised ?? false);
    return { ...base, kind: recognised ? 'listening' : 'recording-only', problem: null };
  }
  return { ...base, kind: state.phase, problem: null };
}
