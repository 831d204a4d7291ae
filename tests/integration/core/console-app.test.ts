import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case, TranscriptSegment } from '../../../src-main/contract';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { call, completeCaseFields, makeTempDir, ManualClock, nextEvent, openTestConsole, removeTempDir, resourcesDir } from '../../support/temp-console';

let dataDir: string;
let app: ConsoleApp;
let clock: ManualClock;

beforeEach(async () => {
  dataDir = await makeTempDir();
  clock = new ManualClock(new Date('2026-11-22T09:30:00+08:00'));
  app = await openTestConsole(dataDir, { clock });
});
afterEach(async () => {
  await app.close();
  await removeTempDir(dataDir);
});

describe('calls and the transcript', () => {
  it('pushes every typed line as a segment event and keeps it with the call', async () => {
    const started = await call(app, 'calls.start', { callerLine: '13812345678' });
    expect(started.endedAt).toBeNull();
    clock.advance(4_000);
    const event = nextEvent(app, 'onTranscriptSegmentAdded');
    const typed = await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '我家小区电梯坏了' });
    expect(await event).toEqual(typed);
    expect(typed).toMatchObject({ speaker: 'caller', source: 'typed', endMs: 4_000, confidence: null });
    expect(typed.startMs).toBeLessThan(typed.endMs);
    await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'operator', text: '请问具体地址是哪里？' });
    const stored = await call(app, 'calls.get', { callId: started.id });
    expect(stored.segments.map((segment) => segment.speaker)).toEqual(['caller', 'operator']);
  });

  it('refuses lines for an unknown or ended call and empty or oversized text, with codes the UI can explain', async () => {
    const unknown = await app.invoke('transcript.addTyped', { callId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', speaker: 'caller', text: '喂' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const started = await call(app, 'calls.start', {});
    const empty = await app.invoke('transcript.addTyped', { callId: started.id, speaker: 'caller', text: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', fieldIssues: [expect.objectContaining({ field: 'text' })] } });
    const oversized = await app.invoke('transcript.addTyped', { callId: started.id, speaker: 'caller', text: '长'.repeat(2001) });
    expect(oversized).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await call(app, 'calls.end', { callId: started.id });
    const late = await app.invoke('transcript.addTyped', { callId: started.id, speaker: 'caller', text: '还有一件事' });
    expect(late).toMatchObject({ ok: false, error: { code: 'CALL_ENDED' } });
    expect((await call(app, 'calls.get', { callId: started.id })).segments).toEqual([]);
  });

  it('answers unknown methods and malformed requests with error data, never a throw', async () => {
    expect(await app.invoke('calls.delete', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await app.invoke('calls.start', { callerLine: 12 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await app.invoke('calls.start', 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await app.invoke('calls.start', { unexpected: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('scripted sample calls', () => {
  it('plays every utterance of a script, in order, at its recorded times, through the segment event', async () => {
    const script = JSON.parse(await readFile(join(resourcesDir, 'sample-calls', 'gas-leak.json'), 'utf8')) as {
      utterances: { speaker: string; startMs: number; endMs: number; text: string }[];
    };
    const started = await call(app, 'calls.start', {});
    const received: TranscriptSegment[] = [];
    app.subscribe((envelope) => {
      if (envelope.event === 'onTranscriptSegmentAdded') received.push(envelope.payload as TranscriptSegment);
    });
    const finished = nextEvent(app, 'onScriptPlaybackChanged', (playback) => playback.state === 'finished');
    const playback = await call(app, 'scripts.play', { callId: started.id, scriptId: 'gas-leak', speed: 200 });
    expect(playback).toMatchObject({ state: 'playing', played: 0, total: script.utterances.length });
    expect(await finished).toMatchObject({ played: script.utterances.length });
    expect(received.map((segment) => [segment.speaker, segment.text, segment.source])).toEqual(
      script.utterances.map((utterance) => [utterance.speaker, utterance.text, 'script']),
    );
    expect(received.map((segment) => [segment.startMs, segment.endMs])).toEqual(script.utterances.map((utterance) => [utterance.startMs, utterance.endMs]));
  });

  it('stops when the call ends, and lists the sample calls with their lengths', async () => {
    const scripts = await call(app, 'scripts.list', {});
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    expect(scripts.every((script) => script.durationMs > 0 && script.utteranceCount > 0)).toBe(true);
    const started = await call(app, 'calls.start', {});
    const stopped = nextEvent(app, 'onScriptPlaybackChanged', (playback) => playback.state === 'stopped');
    await call(app, 'scripts.play', { callId: started.id, scriptId: 'elevator-out-of-service', speed: 1 });
    await call(app, 'calls.end', { callId: started.id });
    expect(await stopped).toMatchObject({ state: 'stopped', played: 0 });
    expect(await app.invoke('scripts.play', { callId: started.id, scriptId: 'elevator-out-of-service', speed: 1 })).toMatchObject({ ok: false, error: { code: 'CALL_ENDED' } });
    expect(await app.invoke('scripts.play', { callId: (await call(app, 'calls.start', {})).id, scriptId: 'no-such-call' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('work orders', () => {
  it('saves a draft with a station-date-sequence code, then confirms it with a deadline from the service-level table', async () => {
    const started = await call(app, 'calls.start', { callerLine: '13812345678' });
    const draft = await call(app, 'cases.saveDraft', { callId: started.id, fields: { callerPhone: '138 1234 5678', summary: '电梯停运' } });
    expect(draft).toMatchObject({ state: 'draft', code: 'TS01-20261122-0001', callId: started.id, deadline: null });
    // A second save for the same call updates the same case: one call, one work order.
    const again = await call(app, 'cases.saveDraft', { callId: started.id, fields: { callerPhone: '13812345678', summary: '电梯停运两天' } });
    expect(again.id).toBe(draft.id);
    expect(again.summary).toBe('电梯停运两天');
    const confirmed = await call(app, 'cases.confirm', { caseId: draft.id, fields: completeCaseFields });
    expect(confirmed).toMatchObject({ state: 'confirmed', code: draft.code, urgency: '急办', confirmedAt: clock.now().toISOString() });
    const reference = await call(app, 'reference.get', {});
    const rule = reference.serviceLevels.find((entry) => entry.urgency === '急办' && entry.category === '城乡建设') ??
      reference.serviceLevels.find((entry) => entry.urgency === '急办' && entry.category === '*');
    expect(Date.parse(confirmed.deadline ?? '') - clock.now().getTime()).toBe((rule?.hours ?? 0) * 3_600_000);
    expect((await call(app, 'calls.get', { callId: started.id })).call.caseId).toBe(draft.id);
    expect(await app.invoke('cases.saveDraft', { caseId: draft.id, fields: { summary: 'changed' } })).toMatchObject({
      ok: false,
      error: { code: 'CASE_ALREADY_CONFIRMED' },
    });
  });

  it('refuses to confirm an incomplete or invalid form, names every field, and changes nothing', async () => {
    const draft = await call(app, 'cases.saveDraft', { fields: { callerPhone: '12345', summary: '' } });
    const refused = await app.invoke('cases.confirm', { caseId: draft.id, fields: { callerPhone: '12345', contactPhone: '010-1', appealType: '投诉' } });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('VALIDATION_FAILED');
    expect(refused.error.fieldIssues?.map((issue) => issue.field).sort()).toEqual(
      ['address.district', 'callerPhone', 'category', 'contactPhone', 'department', 'summary', 'urgency'].sort(),
    );
    const stored = await call(app, 'cases.get', { caseId: draft.id });
    expect(stored.case).toMatchObject({ state: 'draft', callerPhone: '12345' });
    const unknownCategory = await app.invoke('cases.confirm', { caseId: draft.id, fields: { ...completeCaseFields, category: ['不存在的分类'] } });
    expect(unknownCategory).toMatchObject({ ok: false, error: { fieldIssues: [expect.objectContaining({ field: 'category', issue: 'unknown_category' })] } });
  });

  it('gives distinct, gap-free codes to many cases confirmed at the same instant', async () => {
    const calls = await Promise.all(Array.from({ length: 25 }, () => call(app, 'calls.start', {})));
    const confirmed = await Promise.all(calls.map((started) => call(app, 'cases.confirm', { callId: started.id, fields: completeCaseFields })));
    const codes = confirmed.map((entry: Case) => entry.code).sort();
    expect(new Set(codes).size).toBe(25);
    expect(codes).toEqual(Array.from({ length: 25 }, (_, index) => `TS01-20261122-${String(index + 1).padStart(4, '0')}`));
    clock.advance(24 * 3_600_000);
    const nextDay = await call(app, 'cases.saveDraft', { fields: { summary: '次日' } });
    expect(nextDay.code).toBe('TS01-20261123-0001');
  });

  it('finds cases by code, by phone (with or without separators) and by words of the text', async () => {
    const first = await call(app, 'cases.confirm', { fields: completeCaseFields });
    const second = await call(app, 'cases.confirm', {
      fields: { ...completeCaseFields, callerPhone: '010-6512 3456', summary: '夜间施工噪音扰民，凌晨两点还在打桩。', address: { ...completeCaseFields.address, estate: '花家地小区' } },
    });
    await call(app, 'cases.saveDraft', { fields: { summary: '咨询社保卡补办' } });
    const codes = async (query: string, state: 'draft' | 'confirmed' | null = null) =>
      (await call(app, 'cases.search', { query, state })).items.map((item) => item.code);
    expect(await codes(first.code)).toEqual([first.code]);
    expect(await codes('13812345678')).toEqual([first.code]);
    expect(await codes('65123456')).toEqual([second.code]);
    expect(await codes('施工噪音')).toEqual([second.code]);
    expect(await codes('花家地')).toEqual([second.code]);
    expect(await codes('电梯')).toEqual([first.code]);
    expect(await codes('社保')).toHaveLength(1);
    expect(await codes('', 'confirmed')).toHaveLength(2);
    expect((await call(app, 'cases.search', { query: '' })).total).toBe(3);
    expect(await codes('"); DROP TABLE cases; --')).toEqual([]);
    expect(await codes('100%_')).toEqual([]);
  });
});
