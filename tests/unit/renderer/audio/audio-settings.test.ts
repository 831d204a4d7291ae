import { describe, expect, it } from 'vitest';
import { defaultAudioSettings, parseAudioSettings, resolveDeviceId } from '../../../../src-renderer/features/audio/audio-settings';
import { classifyMediaError } from '../../../../src-renderer/features/audio/capture-problems';
import { meterFraction } from '../../../../src-renderer/features/audio/level-meter';

describe('stored audio settings', () => {
  it('start with no device and automatic transcription on', () => {
    expect(parseAudioSettings(null)).toEqual({ devices: { operator: null, caller: null }, autoTranscribe: true });
  });

  it('read back what was stored', () => {
    const stored = { devices: { operator: { deviceId: '', label: '' }, caller: { deviceId: 'abc', label: 'USB Line In' } }, autoTranscribe: false };
    expect(parseAudioSettings(JSON.stringify(stored))).toEqual(stored);
  });

  it('fall back field by field when the stored text is damaged', () => {
    expect(parseAudioSettings('{not json')).toEqual(defaultAudioSettings);
    expect(parseAudioSettings(JSON.stringify({ devices: { operator: { deviceId: 7 } }, autoTranscribe: 'yes' }))).toEqual(defaultAudioSettings);
    expect(parseAudioSettings(JSON.stringify({ devices: { caller: { deviceId: 'x' } } }))).toEqual({
      devices: { operator: null, caller: { deviceId: 'x', label: '' } },
      autoTranscribe: true,
    });
  });
});

describe('finding the chosen device', () => {
  const inputs = [
    { deviceId: 'id-headset', label: 'Jabra Headset' },
    { deviceId: 'id-line', label: 'USB Line In' },
  ];

  it('uses the same id when it is there, and the system default as is', () => {
    expect(resolveDeviceId({ deviceId: 'id-line', label: 'USB Line In' }, inputs)).toBe('id-line');
    expect(resolveDeviceId({ deviceId: '', label: '' }, inputs)).toBe('');
    expect(resolveDeviceId(null, inputs)).toBeNull();
  });

  it('finds a device again by its name when its id changed (another port of the browser mode)', () => {
    expect(resolveDeviceId({ deviceId: 'old-id', label: 'Jabra Headset' }, inputs)).toBe('id-headset');
  });

  it('keeps the stored id when the device is not there, so that opening it says it is missing', () => {
    expect(resolveDeviceId({ deviceId: 'gone', label: 'Old Headset' }, inputs)).toBe('gone');
  });
});

describe('media errors', () => {
  it('are told apart by what the operator can do about them', () => {
    expect(classifyMediaError(new DOMException('Permission denied', 'NotAllowedError')).kind).toBe('permission-denied');
    expect(classifyMediaError(new DOMException('Requested device not found', 'NotFoundError')).kind).toBe('device-missing');
    expect(classifyMediaError(Object.assign(new Error('deviceId'), { name: 'OverconstrainedError' })).kind).toBe('device-missing');
    expect(classifyMediaError(new DOMException('Could not start audio source', 'NotReadableError'))).toEqual({
      kind: 'device-busy',
      detail: 'Could not start audio source',
    });
    expect(classifyMediaError(new TypeError('getUserMedia is not a function')).kind).toBe('unsupported');
    expect(classifyMediaError(new Error('odd')).kind).toBe('capture-failed');
  });

  it('say "no input at all" when even the system default is not found', () => {
    const notFound = new DOMException('Requested device not found', 'NotFoundError');
    expect(classifyMediaError(notFound, '').kind).toBe('no-input');
    expect(classifyMediaError(notFound, 'usb-headset').kind).toBe('device-missing');
  });
});

describe('level meter', () => {
  it('fills from -60 dBFS (empty) to 0 dBFS (full)', () => {
    expect(meterFraction(-100)).toBe(0);
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(-30)).toBeCloseTo(0.5);
    expect(meterFraction(3)).toBe(1);
    expect(meterFraction(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});
