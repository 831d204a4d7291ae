import { useEffect, useSyncExternalStore } from 'react';
import { classifyMediaError, type CaptureProblem } from './capture-problems';

export interface AudioInput {
  deviceId: string;
  /** Empty until the page has been allowed to use a microphone. */
  label: string;
}

export interface AudioInputsSnapshot {
  /** False where the page has no access to media devices at all. */
  supported: boolean;
  /** Has the list been read at least once. */
  loaded: boolean;
  inputs: AudioInput[];
  /** Names are shown only once microphone permission has been granted. */
  labelled: boolean;
}

// The input devices, read once for the page and again whenever one is plugged in or out.
let snapshot: AudioInputsSnapshot = { supported: true, loaded: false, inputs: [], labelled: false };
const listeners = new Set<() => void>();
let watching = false;

function mediaDevices(): MediaDevices | null {
  // Absent outside a secure context (a page not served from localhost or file:).
  const devices = typeof navigator === 'undefined' ? undefined : (navigator.mediaDevices as MediaDevices | undefined);
  return typeof devices?.enumerateDevices === 'function' ? devices : null;
}

function publish(next: AudioInputsSnapshot): void {
  snapshot = next;
  for (const listener of [...listeners]) listener();
}

/** Reads the device list again; resolves with it. Never rejects: no access means an empty list. */
export async function refreshAudioInputs(): Promise<AudioInputsSnapshot> {
  const devices = mediaDevices();
  if (!devices) {
    publish({ supported: false, loaded: true, inputs: [], labelled: false });
    return snapshot;
  }
  let found: MediaDeviceInfo[] = [];
  try {
    found = await devices.enumerateDevices();
  } catch {
    found = [];
  }
  // 'default' stands for whichever device the system prefers, which the settings offer as their own
  // first choice; without permission, devices come with empty ids and cannot be told apart.
  const inputs = found
    .filter((device) => device.kind === 'audioinput' && device.deviceId && device.deviceId !== 'default')
    .map((device) => ({ deviceId: device.deviceId, label: device.label }));
  publish({ supported: true, loaded: true, inputs, labelled: inputs.some((input) => input.label !== '') });
  return snapshot;
}

function watch(): void {
  if (watching) return;
  watching = true;
  mediaDevices()?.addEventListener('devicechange', () => void refreshAudioInputs());
  void refreshAudioInputs();
}

export function getAudioInputs(): AudioInputsSnapshot {
  return snapshot;
}

/** Called after every change of the device list; returns the disposer. */
export function onAudioInputsChanged(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * Asks for the microphone once, so that the browser shows the devices' names; the stream is
 * released at once. Resolves with the problem, or null when permission was granted.
 */
export async function requestMicrophonePermission(): Promise<CaptureProblem | null> {
  const devices = mediaDevices();
  if (!devices?.getUserMedia) return { kind: 'unsupported', detail: 'navigator.mediaDevices.getUserMedia is missing' };
  try {
    const stream = await devices.getUserMedia({ audio: true, video: false });
    for (const track of stream.getTracks()) track.stop();
    await refreshAudioInputs();
    return null;
  } catch (error) {
    await refreshAudioInputs();
    return classifyMediaError(error, '');
  }
}

export function useAudioInputs(): AudioInputsSnapshot {
  const current = useSyncExternalStore(onAudioInputsChanged, getAudioInputs);
  // Settings opened later than start-up read the list afresh (labels may have appeared since).
  useEffect(() => {
    void refreshAudioInputs();
  }, []);
  return current;
}
