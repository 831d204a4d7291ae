import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Call, Speaker } from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { getAudioInputs, onAudioInputsChanged } from '../audio/audio-inputs';
import { getAudioSettings, resolveDeviceId, useAudioSettings } from '../audio/audio-settings';
import { CallAudio } from '../audio/call-audio';
import { lineClientFor } from '../audio/line-capture';
import { Microphone } from '../audio/microphone';

export interface CallAudioController {
  /** The lines themselves, for the indicators to follow (their levels change ten times a second). */
  audio: CallAudio;
  /** Transcription is on for the call: some line is starting or listening. */
  active: boolean;
  /** At least one line has a device chosen in Settings. */
  hasDevices: boolean;
  /** Opens the chosen lines for the current call (when it is active). */
  start(): void;
  /** Sends the lines' last samples and closes them; the call goes on. */
  stop(): Promise<void>;
  /** Starts one failed line again with its device. */
  retry(speaker: Speaker): void;
}

/**
 * How long ending a call waits for its lines: closing one waits for the last utterance to be
 * recognised, which is worth a moment, but a recogniser that hangs must not keep the call open.
 */
const stopLimitMs = 8_000;

function chosenDevices(): Record<Speaker, string | null> {
  const { devices } = getAudioSettings();
  const { inputs } = getAudioInputs();
  return { operator: resolveDeviceId(devices.operator, inputs), caller: resolveDeviceId(devices.caller, inputs) };
}

/**
 * The audio lines of the live call: opened when a call starts (if Settings say so and a device is
 * chosen), closed when it ends, started again when an unplugged device comes back. With no device,
 * no permission or no model, nothing here stops the call: the operator types.
 */
export function useCallAudio(call: Call | null, options: { automatic: boolean } = { automatic: true }): CallAudioController {
  const api = useApi();
  const [settings] = useAudioSettings();
  const audio = useMemo(() => new CallAudio({ client: lineClientFor(api), openMicrophone: (options) => Microphone.open(options) }), [api]);
  // Only whether it is on: the levels re-render the indicators, not the whole screen.
  const listening = useSyncExternalStore(audio.subscribe, () => audio.getSnapshot().active);
  const startedFor = useRef<string | null>(null);
  const callId = call?.id ?? null;
  const active = call !== null && call.endedAt === null;
  const hasDevices = settings.devices.operator !== null || settings.devices.caller !== null;

  const start = useCallback(() => {
    if (callId !== null && active) audio.start(callId, chosenDevices());
  }, [audio, callId, active]);

  useEffect(() => {
    if (!active || callId === null || startedFor.current === callId) return;
    startedFor.current = callId;
    // An imported recording is its own audio: no microphone joins it.
    if (options.automatic && getAudioSettings().autoTranscribe) audio.start(callId, chosenDevices());
  }, [audio, callId, active, options.automatic]);

  // However the call ended (here, or in another window), its lines end with it.
  useEffect(() => {
    if (call?.endedAt) void audio.stop();
  }, [audio, call?.endedAt]);

  useEffect(() => () => void audio.stop(), [audio]);

  useEffect(() => onAudioInputsChanged(() => audio.retryWhereDeviceIsBack(getAudioInputs().inputs)), [audio]);

  // A device chosen in Settings during the call applies at once.
  const { operator, caller } = settings.devices;
  useEffect(() => {
    audio.applyDevices(chosenDevices());
  }, [audio, operator, caller]);

  const retry = useCallback(
    (speaker: Speaker) => {
      const deviceId = chosenDevices()[speaker];
      if (deviceId !== null) audio.restart(speaker, deviceId);
    },
    [audio],
  );

  const stop = useCallback(
    () =>
      new Promise<void>((resolve) => {
        const limit = setTimeout(resolve, stopLimitMs);
        void audio.stop().then(() => {
          clearTimeout(limit);
          resolve();
        });
      }),
    [audio],
  );

  return { audio, active: listening, hasDevices, start, stop, retry };
}
