import { beforeAll, describe, expect, it } from 'vitest';
import { trainCategoryModel, type CategoryModel } from '../../../../src-main/core/drafting/category-model';
import { draftFields, type DraftingContext } from '../../../../src-main/core/drafting/draft-case';
import type { TranscriptLine } from '../../../../src-main/core/drafting/phone-extraction';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';
import { resourcesDir } from '../../../support/temp-console';

let reference: ReferenceData;
let model: CategoryModel;
const now = new Date('2026-11-22T10:00:00+08:00');

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir, { preferredRegionCode: '11' });
  const examples = [
    ...['小区电梯坏了物业不修', '楼道灯坏了物业不管', '小区物业乱收停车费', '电梯停运三天物业推诿', '物业不作为电梯困人', '小区漏水物业不修'].map((text) => ({ text, category: '城乡建设' })),
    ...['公司拖欠工资三个月', '老板不发工资还不交社保', '辞职后社保怎么续交', '工资被克扣要仲裁', '单位不给交社保', '拖欠农民工工资'].map((text) => ({ text, category: '劳动和社会保障' })),
  ];
  model = trainCategoryModel(examples, { costs: [1], now });
});

let counter = 0;
const line = (speaker: TranscriptLine['speaker'], text: string): TranscriptLine => ({ id: `s${(counter += 1)}`, speaker, text });
const context = (): DraftingContext => ({ reference, categoryModel: { version: 4, model } });
const draft = (lines: TranscriptLine[], callerLine: string | null = null) => draftFields({ lines, callerLine, routedPastCases: [], now }, context());

describe('the drafted fields of a call', () => {
  it('takes the latest number after a correction, with the words of both as evidence', () => {
    const first = line('caller', '我电话是13812345678');
    const correction = line('caller', '不对不对，说错了，是13912345678');
    const { fields } = draft([first, correction], '01065123456');
    expect(fields.contactPhone).toMatchObject({ value: '13912345678', source: 'rule:phone', alternatives: [{ value: '13812345678' }] });
    expect(new Set(fields.contactPhone?.evidence.map((evidence) => evidence.segmentId))).toEqual(new Set([first.id, correction.id]));
    // The telephony line is the caller's number; what they said is where to reach them.
    expect(fields.callerPhone).toMatchObject({ value: '01065123456', source: 'line', evidence: [] });
  });

  it('writes the name as the operator would, with the gender the title tells', () => {
    const { fields } = draft([line('caller', '我姓欧阳，欧阳女士')]);
    expect(fields.callerName?.value).toBe('欧阳女士');
    expect(fields.callerGender?.value).toBe('female');
  });

  it('proposes the category with its runner-up, the model version as source, and a deeper level the caller names', () => {
    const { fields } = draft([line('caller', '我们小区物业不管事，小区管理一塌糊涂，电梯坏了也不修')]);
    expect(fields.category?.value[0]).toBe('城乡建设');
    expect(fields.category?.source).toBe('model:category@4');
    expect(fields.category?.value).toContain('小区管理');
    expect(fields.category?.alternatives.map((alternative) => alternative.value)).toContainEqual(['城乡建设']);
    expect(fields.category?.evidence.length).toBeGreaterThanOrEqual(1);
  });

  it("gives the category model a written message's title on its own as well, and a call's words with no title", () => {
    const asked: { text: string; title: string | undefined }[] = [];
    const recording = {
      predict: (text: string, title?: string) => {
        asked.push({ text, title });
        return model.predict(text, title);
      },
      telltaleTerms: (text: string, category: string, title?: string) => model.telltaleTerms(text, category, title),
    } as unknown as CategoryModel;
    const recordingContext = { reference, categoryModel: { version: 4, model: recording } };
    const title = { id: 'title', speaker: 'caller' as const, text: '拖欠工资' };
    const body = { id: 'body', speaker: 'caller' as const, text: '公司已经三个月没发工资了，老板一直拖着不给' };
    draftFields({ lines: [title, body], title: title.text, callerLine: null, routedPastCases: [], now }, recordingContext);
    draftFields({ lines: [body], callerLine: null, routedPastCases: [], now }, recordingContext);
    expect(asked).toEqual([
      { text: `${title.text}。${body.text}`, title: '拖欠工资' },
      { text: body.text, title: '' },
    ]);
  });

  it("shows the caller's words that most moved the model as the category's evidence", () => {
    const said = line('caller', '公司拖欠我们工资三个月了，老板一直不给');
    const { fields } = draft([said]);
    expect(fields.category?.value).toEqual(['劳动和社会保障']);
    const words = fields.category?.evidence.map(({ start, end }) => said.text.slice(start, end)) ?? [];
    expect(words.length).toBeGreaterThan(0);
    expect(words.some((word) => /工资|拖欠/.test(word))).toBe(true);
  });

  it('gives a deadline from the service-level table only once there is an urgency', () => {
    const gas = draft([line('caller', '楼道里煤气味特别大，物业也联系不上')]);
    expect(gas.fields.urgency?.value).toBe('极急');
    expect(gas.deadline?.hours).toBe(1);
    expect(new Date(gas.deadline?.value ?? 0).getTime() - now.getTime()).toBe(3_600_000);
    expect(draft([line('caller', '喂')]).deadline).toBeNull();
  });

  it('proposes a routine urgency as a weak guess when a matter is stated without any cue', () => {
    const { fields } = draft([line('caller', '我想反映一下我们单位的食堂问题，饭菜质量不好')]);
    expect(fields.urgency).toMatchObject({ value: '常规', confidence: 0.5, evidence: [] });
  });

  it('says nothing for silence, a greeting or the operator alone, and nothing sure for English', () => {
    expect(Object.values(draft([]).fields).every((proposal) => proposal === null)).toBe(true);
    expect(Object.values(draft([line('caller', '喂')]).fields).every((proposal) => proposal === null)).toBe(true);
    const english = draft([line('caller', 'Hello, is this the hotline? My heating is broken and nobody helps')]);
    for (const proposal of Object.values(english.fields)) expect(proposal?.confidence ?? 0).toBeLessThan(0.6);
  });
});
