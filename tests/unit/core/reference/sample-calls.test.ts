import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

const requiredTopics = [
  'elevator-out-of-service',
  'night-construction-noise',
  'unpaid-wages',
  'social-insurance-question',
  'water-cut',
  'gas-leak',
  'repeat-caller',
  'anonymous-report',
];

let reference: ReferenceData;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir);
});

const spokenCharacters = (text: string) => text.replace(/[\s，。？！、：；…（）“”,.?!:;()]/g, '').length;

describe('sample calls', () => {
  it('offers a script for each of the eight required topics', () => {
    const ids = reference.sampleCallSummaries().map((summary) => summary.id);
    expect(ids).toEqual(expect.arrayContaining(requiredTopics));
    for (const id of requiredTopics) expect(reference.findSampleCall(id)?.title, id).toBeTruthy();
    expect(reference.findSampleCall('no-such-call')).toBeUndefined();
  });

  it('keeps every call between 10 and 25 utterances and one to three minutes, with both speakers', () => {
    for (const summary of reference.sampleCallSummaries()) {
      expect(summary.utteranceCount, summary.id).toBeGreaterThanOrEqual(10);
      expect(summary.utteranceCount, summary.id).toBeLessThanOrEqual(25);
      expect(summary.durationMs, summary.id).toBeGreaterThanOrEqual(60_000);
      expect(summary.durationMs, summary.id).toBeLessThanOrEqual(180_000);
      const call = reference.findSampleCall(summary.id)!;
      expect(new Set(call.utterances.map((utterance) => utterance.speaker)), summary.id).toEqual(new Set(['operator', 'caller']));
    }
  });

  it('opens every call with the operator greeting of the 12345 hotline', () => {
    for (const call of reference.sampleCalls) {
      const first = call.utterances[0]!;
      expect(first.speaker, call.id).toBe('operator');
      expect(first.startMs, call.id).toBe(0);
      expect(first.text, call.id).toContain('12345');
    }
  });

  it('times every utterance at a speaking pace a listener would accept', () => {
    for (const call of reference.sampleCalls) {
      let characters = 0;
      let speakingMs = 0;
      call.utterances.forEach((utterance, index) => {
        const where = `${call.id} utterance ${index}`;
        const count = spokenCharacters(utterance.text);
        const durationMs = utterance.endMs - utterance.startMs;
        characters += count;
        speakingMs += durationMs;
        // A one-word "对。" still takes most of a second, so pace is judged on real sentences.
        if (count >= 5) {
          expect(count / (durationMs / 1000), where).toBeGreaterThan(2.5);
          expect(count / (durationMs / 1000), where).toBeLessThan(6.5);
        } else {
          expect(durationMs, where).toBeLessThanOrEqual(2000);
        }
        const previous = call.utterances[index - 1];
        if (previous) expect(utterance.startMs, where).toBeGreaterThan(previous.startMs);
      });
      const pace = characters / (speakingMs / 1000);
      expect(pace, call.id).toBeGreaterThanOrEqual(3.5);
      expect(pace, call.id).toBeLessThanOrEqual(5.5);
    }
  });

  it('makes the gas-leak call an emergency the cue list recognises', () => {
    const call = reference.findSampleCall('gas-leak')!;
    const emergencyWords = reference.urgencyCues.find((cues) => cues.level === '极急')!.words;
    const callerText = call.utterances.filter((utterance) => utterance.speaker === 'caller').map((utterance) => utterance.text).join('');
    expect(emergencyWords.some((word) => callerText.includes(word))).toBe(true);
  });

  it('has an anonymous caller with a withheld line who asks for confidentiality', () => {
    const call = reference.findSampleCall('anonymous-report')!;
    expect(call.callerLine).toBeNull();
    expect(call.utterances.some((utterance) => utterance.speaker === 'caller' && utterance.text.includes('保密'))).toBe(true);
  });

  it('has a repeat caller who refers to an earlier complaint', () => {
    const call = reference.findSampleCall('repeat-caller')!;
    expect(call.utterances.some((utterance) => utterance.speaker === 'caller' && /第二次|上次|之前|反映过/.test(utterance.text))).toBe(true);
  });

  it('sets the calls in Beijing districts and streets the address look-up knows', () => {
    for (const call of reference.sampleCalls) {
      const text = call.utterances.map((utterance) => utterance.text).join('');
      const street = text.match(/[\u4e00-\u9fa5]{2,4}区([\u4e00-\u9fa5]{2,6}?街道)/)?.[1];
      expect(street, call.id).toBeDefined();
      const suggestion = reference.suggestAddress(street!, 5).find((candidate) => candidate.province === '北京市');
      expect(suggestion, `${call.id}: ${street}`).toBeDefined();
    }
  });
});
