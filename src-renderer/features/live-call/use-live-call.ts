import { useCallback, useRef, useState } from 'react';
import type { Call, PartialTranscript, ScriptPlayback, Speaker, TranscriptSegment } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { settledBy, withoutEndedLine, withPartial } from './partial-transcripts';

export interface LiveCall {
  call: Call | null;
  segments: TranscriptSegment[];
  /** Utterances still being spoken (one per audio line at most), shown under the last segment. */
  partials: PartialTranscript[];
  playback: ScriptPlayback | null;
  isActive: boolean;
  start(callerLine: string | null): Promise<Call>;
  /** Makes a call begun elsewhere (an imported recording) the current one. */
  adopt(call: Call): void;
  end(): Promise<void>;
  addTyped(speaker: Speaker, text: string): Promise<void>;
  play(scriptId: string, speed: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The current call as the main side reports it. Transcript lines come in only through
 * `onTranscriptSegmentAdded` (typed and recognised ones too), de-duplicated by id, in the order they
 * arrive; partial text of recognised speech through `onPartialTranscript`, until its segment comes.
 */
export function useLiveCall(): LiveCall {
  const api = useApi();
  const [call, setCall] = useState<Call | null>(null);
  const [segments, setSegments] = useState<TranscriptSegment[]>([]);
  const [partials, setPartials] = useState<PartialTranscript[]>([]);
  const [playback, setPlayback] = useState<ScriptPlayback | null>(null);
  const callIdRef = useRef<string | null>(null);
  /** Per speaker, where the last recognised segment ended: a partial from before it is already settled. */
  const recognisedUntil = useRef<Record<Speaker, number>>({ caller: -1, operator: -1 });

  useEvent('onTranscriptSegmentAdded', (segment) => {
    if (segment.callId !== callIdRef.current) return;
    setSegments((previous) => (previous.some((known) => known.id === segment.id) ? previous : [...previous, segment]));
    if (segment.source === 'asr') {
      recognisedUntil.current[segment.speaker] = Math.max(recognisedUntil.current[segment.speaker], segment.endMs);
      setPartials((previous) => settledBy(previous, segment));
    }
  });
  useEvent('onPartialTranscript', (partial) => {
    if (partial.callId !== callIdRef.current || partial.startMs < recognisedUntil.current[partial.speaker]) return;
    setPartials((previous) => withPartial(previous, partial));
  });
  useEvent('onAudioLineChanged', (line) => {
    if (line.callId === callIdRef.current) setPartials((previous) => withoutEndedLine(previous, line));
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
        // A partial whose segment came while the socket was down would linger; newer ones follow within a second.
        setPartials([]);
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
      recognisedUntil.current = { caller: -1, operator: -1 };
      setCall(started);
      setSegments([]);
      setPartials([]);
      setPlayback(null);
      return started;
    },
    [api],
  );

  const adopt = useCallback(
    (adopted: Call) => {
      callIdRef.current = adopted.id;
      recognisedUntil.current = { caller: -1, operator: -1 };
      setCall(adopted);
      setSegments([]);
      setPartials([]);
      setPlayback(null);
      // Lines may have arrived before this screen knew the call: fetch what is there.
      api.call('calls.get', { callId: adopted.id }).then(
        (answer) => {
          if (callIdRef.current !== adopted.id) return;
          setCall(answer.call);
          setSegments((previous) => {
            const known = new Set(answer.segments.map((segment) => segment.id));
            return [...answer.segments, ...previous.filter((segment) => !known.has(segment.id))];
          });
        },
        () => undefined,
      );
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
    partials,
    playback,
    isActive: call !== null && call.endedAt === null,
    start,
    adopt,
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
