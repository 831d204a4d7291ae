import { useCallback, useSyncExternalStore } from 'react';
import type { Speaker } from '../../../src-main/contract';

/** An input device chosen for a line. `deviceId` '' means the system's default input. */
export interface DeviceChoice {
  deviceId: string;
  /** The device's name when it was chosen, to find it again if its id changes (another port, a new profile). */
  label: string;
}

export interface AudioSettings {
  /** Per line (speaker): the device to capture, or null for none. */
  devices: Record<Speaker, DeviceChoice | null>;
  /** Open the lines by themselves when a call starts. */
  autoTranscribe: boolean;
}

export const defaultAudioSettings: AudioSettings = {
  devices: { operator: null, caller: null },
  autoTranscribe: true,
};

const storageKey = 'hotline-console.audio-settings';

function parseChoice(value: unknown): DeviceChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const { deviceId, label } = value as { deviceId?: unknown; label?: unknown };
  if (typeof deviceId !== 'string' || deviceId.length > 500) return null;
  return { deviceId, label: typeof label === 'string' ? label.slice(0, 500) : '' };
}

/** Reads stored settings; anything missing or malformed falls back to the defaults, field by field. */
export function parseAudioSettings(raw: string | null): AudioSettings {
  if (!raw) return defaultAudioSettings;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return defaultAudioSettings;
  }
  if (typeof stored !== 'object' || stored === null) return defaultAudioSettings;
  const { devices, autoTranscribe } = stored as { devices?: { operator?: unknown; caller?: unknown }; autoTranscribe?: unknown };
  return {
    devices: {
      operator: parseChoice(devices?.operator),
      caller: parseChoice(devices?.caller),
    },
    autoTranscribe: typeof autoTranscribe === 'boolean' ? autoTranscribe : defaultAudioSettings.autoTranscribe,
  };
}

/**
 * The device id to open for a choice, given the inputs present now: the same id if it is there,
 * else a device of the same name (ids change with the page's origin, e.g. another port in the
 * browser mode), else the stored id (opening it then says plainly that the device is missing).
 */
export function resolveDeviceId(choice: DeviceChoice | null, inputs: readonly Pick<MediaDeviceInfo, 'deviceId' | 'label'>[]): string | null {
  if (!choice) return null;
  if (choice.deviceId === '') return '';
  if (inputs.some((input) => input.deviceId === choice.deviceId)) return choice.deviceId;
  const sameName = choice.label ? inputs.find((input) => input.label === choice.label && input.deviceId) : undefined;
  return sameName?.deviceId ?? choice.deviceId;
}

// One store for the page, kept in localStorage; other windows of the console follow through `storage` events.
let current: AudioSettings | null = null;
const listeners = new Set<() => void>();

function read(): AudioSettings {
  if (current) return current;
  try {
    current = parseAudioSettings(window.localStorage.getItem(storageKey));
  } catch {
    current = defaultAudioSettings;
  }
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== storageKey) return;
    current = parseAudioSettings(event.newValue);
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function getAudioSettings(): AudioSettings {
  return read();
}

export function updateAudioSettings(change: (previous: AudioSettings) => AudioSettings): void {
  current = change(read());
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(current));
  } catch {
    // A locked-down profile may refuse storage; the choice then lasts for this session only.
  }
  for (const listener of [...listeners]) listener();
}

export function useAudioSettings(): [AudioSettings, (change: (previous: AudioSettings) => AudioSettings) => void] {
  const settings = useSyncExternalStore(subscribe, read);
  const update = useCallback((change: (previous: AudioSettings) => AudioSettings) => updateAudioSettings(change), []);
  return [settings, update];
}
