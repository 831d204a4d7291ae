import { useEffect, useState } from 'react';
import { refreshAudioInputs } from './audio-inputs';
import { classifyMediaError, type CaptureProblem } from './capture-problems';
import { Microphone, type AudioProcessing } from './microphone';
import { silenceDb } from './pcm-frames';

export interface LevelProbe {
  state: 'off' | 'starting' | 'live' | 'failed';
  levelDb: number;
  problem: CaptureProblem | null;
}

const off: LevelProbe = { state: 'off', levelDb: silenceDb, problem: null };

/**
 * Opens a device only to show its level (settings), through the same worklet as a call's line,
 * so that what the meter shows is what a call would send. Null device: nothing is opened.
 */
export function useLevelProbe(deviceId: string | null, processing: AudioProcessing, attempt = 0): LevelProbe {
  const [probe, setProbe] = useState<LevelProbe>(off);
  useEffect(() => {
    if (deviceId === null) {
      setProbe(off);
      return;
    }
    let cancelled = false;
    let microphone: Microphone | null = null;
    setProbe({ state: 'starting', levelDb: silenceDb, problem: null });
    Microphone.open({
      deviceId,
      processing,
      onFrame: (_pcm, levelDb) => {
        if (!cancelled) setProbe({ state: 'live', levelDb, problem: null });
      },
      onEnded: () => {
        if (!cancelled) setProbe({ state: 'failed', levelDb: silenceDb, problem: { kind: 'device-lost', detail: '' } });
      },
    }).then(
      (opened) => {
        if (cancelled) {
          void opened.stop();
          return;
        }
        microphone = opened;
        // Permission has just been granted, if it had not been: the devices now have names.
        void refreshAudioInputs();
      },
      (error: unknown) => {
        if (!cancelled) setProbe({ state: 'failed', levelDb: silenceDb, problem: classifyMediaError(error) });
      },
    );
    return () => {
      cancelled = true;
      void microphone?.stop();
    };
  }, [deviceId, processing, attempt]);
  return probe;
}
