import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDraft, TranscriptSegment } from '../../../src-main/contract';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { importPastCases } from '../../../src-main/core/search/importers';
import { sharedDataDir } from '../../support/shared-data';
import { call, completeCaseFields, makeTempDir, ManualClock, nextEvent, openTestConsole, removeTempDir } from '../../support/temp-console';

let dataDir: string;
let app: ConsoleApp;
const clock = new ManualClock(new Date('2026-11-22T10:00:00+08:00'));

beforeAll(async () => {
  dataDir = await makeTempDir();
  app = await openTestConsole(join(dataDir, 'data'), { clock });
});
afterAll(async () => {
  await app.close();
  await removeTempDir(dataDir);
});

/** Says each line in turn and resolves with the draft that takes all of them into account. */
async function say(callId: string, lines: [speaker: 'caller' | 'operator', text: string][]): Promise<{ draft: CaseDraft; segments: TranscriptSegment[] }> {
  const segments: TranscriptSegment[] = [];
  for (const [speaker, text] of lines) segments.push(await call(app, 'transcript.addTyped', { callId, speaker, text }));
  const total = (await call(app, 'calls.get', { callId })).segments.length;
  const draft = await nextEvent(app, 'onDraftUpdated', (payload) => payload.callId === callId && payload.segmentCount === total);
  return { draft, segments };
}

const wordsOf = (segments: TranscriptSegment[], evidence: { segmentId: string; start: number; end: number }[]) =>
  evidence.map(({ segmentId, start, end }) => segments.find((segment) => segment.id === segmentId)?.text.slice(start, end));

describe('the drafted work order during a call', () => {
  it('proposes each field from what is said, with the words behind it', async () => {
    const started = await call(app, 'calls.start', { callerLine: '13661007788' });
    const { draft, segments } = await say(started.id, [
      ['operator', '您好，12345市民服务热线，请问有什么可以帮您？'],
      ['caller', '喂，我们楼道里煤气味特别大，是不是燃气泄漏了？'],
      ['caller', '东城区和平里街道，和平里七区，十五号楼，三单元。'],
      ['caller', '我姓王，你们打我电话幺三八一二三四五六七八。'],
    ]);
    const { fields } = draft;
    expect(fields.urgency).toMatchObject({ value: '极急', source: 'rule:urgency' });
    expect(wordsOf(segments, fields.urgency?.evidence ?? [])).toContain('煤气味');
    expect(fields.address?.value).toMatchObject({ district: '东城区', street: '和平里街道', estate: '和平里七区', outsideRegion: false });
    expect(fields.address?.value.detail).toMatch(/^15号楼3单元/);
    expect(fields.callerPhone).toMatchObject({ value: '13661007788', source: 'line' });
    expect(fields.contactPhone?.value).toBe('13812345678');
    expect(wordsOf(segments, fields.contactPhone?.evidence ?? []).join('')).toContain('幺三八');
    expect(fields.callerName?.value).toMatch(/^王/);
    expect(fields.department?.value).toBe('市燃气集团');
    // No category model has been trained yet: no category, and no deadline without one guessed.
    expect(fields.category).toBeNull();
    expect(draft.categoryModelVersion).toBeNull();
    expect(await call(app, 'drafts.forCall', { callId: started.id })).toMatchObject({ callId: started.id, segmentCount: 4 });
  });

  it('proposes nothing from an empty or one-word call, and nothing confident from English', async () => {
    const silent = await call(app, 'calls.start', { callerLine: null });
    const empty = await call(app, 'drafts.forCall', { callId: silent.id });
    expect(Object.values(empty.fields).every((proposal) => proposal === null)).toBe(true);
    const { draft } = await say(silent.id, [['caller', '喂']]);
    expect(Object.values(draft.fields).filter((proposal) => proposal !== null)).toEqual([]);
    const english = await call(app, 'calls.start', { callerLine: null });
    const { draft: englishDraft } = await say(english.id, [['caller', 'Hello, my name is John and I live in London, the heating is broken']]);
    for (const proposal of Object.values(englishDraft.fields)) expect(proposal?.confidence ?? 0).toBeLessThan(0.6);
  });
});

describe('confirming a drafted case', () => {
  it('refuses while a proposed field is unreviewed, then logs what became of each proposal', async () => {
    const started = await call(app, 'calls.start', { callerLine: '13901010101' });
    const { draft } = await say(started.id, [['caller', '我家停水了，朝阳区望京街道望京西园三区，我姓李，是李女士']]);
    expect(draft.fields.urgency?.value).toBe('急办');
    const fields = { ...completeCaseFields, callerPhone: '13901010101', urgency: '急办' as const, callerName: '李女士' };
    const refused = await app.invoke('cases.confirm', { callId: started.id, fields, review: { urgency: 'proposed', callerName: 'confirmed' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNREVIEWED_PROPOSALS', fieldIssues: [{ field: 'urgency', issue: 'unreviewed' }] } });
    expect((await call(app, 'cases.search', { query: '', state: 'confirmed', limit: 50, offset: 0 })).total).toBe(0);

    await call(app, 'cases.confirm', { callId: started.id, fields: { ...fields, address: { ...fields.address, district: '海淀区' } }, review: { urgency: 'confirmed', callerName: 'confirmed', address: 'edited' } });
    const report = await call(app, 'drafts.report', {});
    const row = (field: string) => report.find((entry) => entry.field === field);
    expect(row('urgency')).toMatchObject({ proposed: 1, accepted: 1, edited: 0, acceptanceRate: 1 });
    expect(row('callerName')).toMatchObject({ proposed: 1, accepted: 1 });
    expect(row('address')).toMatchObject({ proposed: 1, accepted: 0, edited: 1, editRate: 1 });
  });
});

describe('repeat cases and hotspots', () => {
  it('proposes the earlier case of the same caller number within the window, and not after it', async () => {
    const first = await call(app, 'calls.start', { callerLine: '13522331122' });
    await say(first.id, [['caller', '八角街道小区门口的路灯坏了，晚上特别黑']]);
    const earlier = await call(app, 'cases.confirm', {
      callId: first.id,
      fields: { ...completeCaseFields, callerPhone: '13522331122', summary: '小区门口路灯不亮', answer: '已转石景山区城管委维修' },
    });
    clock.advance(6 * 86_400_000);
    const again = await call(app, 'calls.start', { callerLine: '13522331122' });
    const { draft } = await say(again.id, [['caller', '上周反映的路灯还是没修好']]);
    expect(draft.repeats[0]).toMatchObject({ code: earlier.code, caseId: earlier.id, answer: '已转石景山区城管委维修' });
    expect(draft.repeats[0]?.reasons).toContain('same-phone');

    clock.advance(31 * 86_400_000);
    const later = await call(app, 'calls.start', { callerLine: '13522331122' });
    const { draft: lateDraft } = await say(later.id, [['caller', '路灯的事情我再问问']]);
    expect(lateDraft.repeats.map((repeat) => repeat.code)).not.toContain(earlier.code);
  });

  it('raises a hotspot when three cases on one estate and category arrive within days', async () => {
    const hotspot = nextEvent(app, 'onHotspotDetected', (payload) => payload.kind === 'cluster' && payload.placeLabel.includes('芍药居北里'));
    const codes: string[] = [];
    for (const phone of ['13700000001', '13700000002', '13700000003']) {
      const started = await call(app, 'calls.start', { callerLine: phone });
      const confirmed = await call(app, 'cases.confirm', {
        callId: started.id,
        fields: {
          ...completeCaseFields,
          callerPhone: phone,
          address: { district: '朝阳区', street: '小关街道', community: '', estate: '芍药居北里', detail: '', divisionCode: null },
          category: ['城乡建设'],
          summary: '小区地下车库积水',
        },
      });
      codes.push(confirmed.code);
      clock.advance(86_400_000);
    }
    expect(await hotspot).toMatchObject({ count: 3, category: '城乡建设' });
    const listed = await call(app, 'hotspots.list', {});
    expect(listed.find((entry) => entry.placeLabel.includes('芍药居北里'))?.caseCodes.sort()).toEqual(codes.sort());
  });
});

/** Imports the first `count` labelled messages as past cases of `target`. */
async function importLabelled(target: ConsoleApp, count: number): Promise<void> {
  const rows = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, count);
  const file = join(dataDir, `labelled-${count}.jsonl`);
  await writeFile(file, rows.map((row, index) => JSON.stringify({ ...JSON.parse(row), id: `m${index}` })).join('\n'));
  const services = target.services();
  await importPastCases(services.database, services.index, file);
}

describe('the category model registry', () => {
  it('trains versions from imported cases, drafts with the active one, and restores an earlier one', async () => {
    await importLabelled(app, 700);
    const services = app.services();

    const announced = nextEvent(app, 'onCategoryModelChanged', (payload) => payload.version === 1);
    const first = await services.drafting.retrain('command');
    expect(await announced).toMatchObject({ version: 1, active: true, reason: 'command' });
    expect(first?.training.importedCount).toBeGreaterThanOrEqual(690);
    expect(first?.evaluation?.heldOutCount).toBeGreaterThan(50);
    expect(first?.evaluation?.top1).toBeGreaterThan(0.6);

    const started = await call(app, 'calls.start', { callerLine: null });
    const { draft } = await say(started.id, [['caller', '公司拖欠我们三个月工资了，老板一直不给，社保也没给我们交']]);
    expect(draft.categoryModelVersion).toBe(1);
    expect(draft.fields.category).toMatchObject({ value: expect.arrayContaining(['劳动和社会保障']), source: 'model:category@1' });
    expect(draft.fields.category?.alternatives.length).toBeGreaterThanOrEqual(2);

    const redrafted = nextEvent(app, 'onDraftUpdated', (payload) => payload.callId === started.id && payload.categoryModelVersion === 2);
    await services.drafting.retrain('command');
    // The call under way is drafted again with the new version, without waiting for its next utterance.
    expect((await redrafted).fields.category?.source).toBe('model:category@2');
    expect((await call(app, 'categoryModels.list', {})).map((version) => [version.version, version.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(await call(app, 'categoryModels.activate', { version: 1 })).toMatchObject({ version: 1, active: true });
    expect((await call(app, 'categoryModels.list', {})).find((version) => version.active)?.version).toBe(1);
    expect(await app.invoke('categoryModels.activate', { version: 9 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('retrains by itself once enough new cases are confirmed', async () => {
    const retraining = await openTestConsole(join(dataDir, 'retraining'), { clock, drafting: { retrainAfterConfirmed: 3 } });
    try {
      await importLabelled(retraining, 300);
      await retraining.services().drafting.retrain('command');
      const retrained = nextEvent(retraining, 'onCategoryModelChanged', (payload) => payload.reason === 'new-cases');
      for (let index = 0; index < 3; index += 1) {
        clock.advance(60_000);
        const started = await call(retraining, 'calls.start', { callerLine: null });
        await call(retraining, 'cases.confirm', { callId: started.id, fields: { ...completeCaseFields, summary: `小区电梯停运第${index + 1}次反映` } });
      }
      const version = await retrained;
      expect(version).toMatchObject({ version: 2, active: true });
      expect(version.training.confirmedCount).toBe(3);
    } finally {
      await retraining.close();
    }
  });

  it('trains again by itself when an update leaves the active version unreadable, and keeps the old one from being restored', async () => {
    const folder = join(dataDir, 'updated');
    const before = await openTestConsole(folder, { clock });
    try {
      await importLabelled(before, 300);
      await before.services().drafting.retrain('command');
      // What a console from before the model's last change stored: the same record in storage version 2.
      await before.services().database.transaction((sql) => sql.run("UPDATE category_models SET model = json_set(model, '$.version', 2)"));
    } finally {
      await before.close();
    }

    const after = await openTestConsole(folder, { clock });
    try {
      const services = after.services();
      // The training started when the console opened; this waits for it (or finds it done).
      await services.drafting.retrainIfOutdated();
      const versions = await call(after, 'categoryModels.list', {});
      expect(versions.map(({ version, active, readable, reason }) => ({ version, active, readable, reason }))).toEqual([
        { version: 2, active: true, readable: true, reason: 'format-upgrade' },
        { version: 1, active: false, readable: false, reason: 'command' },
      ]);
      expect(await after.invoke('categoryModels.activate', { version: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/earlier console/) } });

      const started = await call(after, 'calls.start', { callerLine: null });
      await call(after, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '公司拖欠我们三个月工资了，老板一直不给，社保也没给我们交' });
      const draft = await call(after, 'drafts.forCall', { callId: started.id });
      expect(draft.fields.category).toMatchObject({ value: expect.arrayContaining(['劳动和社会保障']), source: 'model:category@2' });
      expect(await services.drafting.retrainIfOutdated()).toBeNull();
    } finally {
      await after.close();
    }
  });
});
