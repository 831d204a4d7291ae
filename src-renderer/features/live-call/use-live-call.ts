import { useCallback, useRef, useState } from 'react';
import type { Call, ScriptPlayback, Speaker, TranscriptSegment } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';

export interface LiveCall {
  call: Call | null;
  segments: TranscriptSegment[];
  playback: ScriptPlayback | null;
  isActive: boolean;
  start(callerLine: string | null): Promise<Call>;
  end(): Promise<void>;
  addTyped(speaker: Speaker, text: string): Promise<void>;
  play(scriptId: string, speed: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The current call as the main side reports it. Transcript lines come in only through
 * `onTranscriptSegmentAdded` (typed ones too), de-duplicated by id, in the order they arrive.
 */
export function useLiveCall(): LiveCall {
  const api = useApi();
  const [call, setCall] = useState<Call | null>(null);
  const [segments, setSegments] = useState<TranscriptSegment[]>([]);
  const [playback, setPlayback] = useState<ScriptPlayback | null>(null);
  const callIdRef = useRef<string | null>(null);

  useEvent('onTranscriptSegmentAdded', (segment) => {
    if (segment.callId !== callIdRef.current) return;
    setSegments((previous) => (previous.some((known) => known.id === segment.id) ? previous : [...previous, segment]));
  });
  useEvent('onCallChanged', (changed) => {
    if (changed.id === callIdRef.current) setCall(changed);
  });
  useEvent('onScriptPlaybackChanged', (changed) => {
    if (changed.callId === callIdRef.current) setPlayback((previous) => newerPlayback(previous, changed));
  });

  // Events sent while the socket was down are gone; fetch the call again to fill the gap.
  useReconnected(() => {
    const callId = callIdRef.current;
    if (!callId) return;
    api.call('calls.get', { callId }).then(
      (answer) => {
        if (callIdRef.current !== callId) return;
        setCall(answer.call);
        setSegments((previous) => {
          const known = new Set(answer.segments.map((segment) => segment.id));
          return [...answer.segments, ...previous.filter((segment) => !known.has(segment.id))];
        });
      },
      () => undefined,
    );
  });

  const start = useCallback(
    async (callerLine: string | null) => {
      const started = await api.call('calls.start', { callerLine });
      callIdRef.current = started.id;
      setCall(started);
      setSegments([]);
      setPlayback(null);
      return started;
    },
    [api],
  );

  const end = useCallback(async () => {
    const callId = callIdRef.current;
    if (!callId) return;
    const ended = await api.call('calls.end', { callId });
    if (callIdRef.current === callId) setCall(ended);
  }, [api]);

  const addTyped = useCallback(
    async (speaker: Speaker, text: string) => {
      const callId = callIdRef.current;
      if (!callId) return;
      await api.call('transcript.addTyped', { callId, speaker, text });
    },
    [api],
  );

  const play = useCallback(
    async (scriptId: string, speed: number) => {
      const callId = callIdRef.current;
      if (!callId) return;
      setPlayback(null);
      const started = await api.call('scripts.play', { callId, scriptId, speed });
      if (callIdRef.current === callId) setPlayback((previous) => newerPlayback(previous, started));
    },
    [api],
  );

  const stop = useCallback(async () => {
    const callId = callIdRef.current;
    if (!callId) return;
    const stopped = await api.call('scripts.stop', { callId });
    if (stopped && callIdRef.current === callId) setPlayback((previous) => newerPlayback(previous, stopped));
  }, [api]);

  return {
    call,
    segments,
    playback,
    isActive: call !== null && call.endedAt === null,
    start,
    end,
    addTyped,
    play,
    stop,
  };
}

/**
 * At high speed, progress events can overtake the answer to `scripts.play`; never let an older
 * snapshot (less played, or still "playing" after the run ended) replace a newer one.
 */
export function newerPlayback(previous: ScriptPlayback | null, next: ScriptPlayback): ScriptPlayback {
  if (!previous || previous.scriptId !== next.scriptId || previous.callId !== next.callId) return next;
  if (next.played < previous.played) return previous;
  if (next.played === previous.played && previous.state !== 'playing' && next.state === 'playing') return previous;
  return next;
}
