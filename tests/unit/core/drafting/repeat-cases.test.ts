import { describe, expect, it } from 'vitest';
import { findRepeatCandidates, textSimilarity, type CurrentCase, type EarlierCase } from '../../../../src-main/core/drafting/repeat-cases';

const now = new Date('2024-06-20T10:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

let counter = 0;
function earlierCase(fields: Partial<EarlierCase>): EarlierCase {
  counter += 1;
  return { id: `case-${counter}`, code: `TS01-${counter}`, occurredAt: daysAgo(3), phones: [], placeKey: null, category: null, text: '', answer: '', ...fields };
}

const streetlight: CurrentCase = {
  phones: ['13522331122'],
  placeKey: '石景山区|八角街道|杨庄小区',
  category: '城乡建设',
  text: '上礼拜反映过小区门口的路灯坏了，到现在还没人修',
  at: now,
};

describe('text similarity', () => {
  it('is 1 for the same text, 0 for texts with no two characters in common, and symmetric', () => {
    expect(textSimilarity('小区门口路灯坏了', '小区门口路灯坏了')).toBeCloseTo(1, 10);
    expect(textSimilarity('小区门口路灯坏了', '公司拖欠工资')).toBe(0);
    const a = '小区门口的路灯坏了没人修';
    const b = '杨庄小区北门路灯不亮';
    expect(textSimilarity(a, b)).toBeCloseTo(textSimilarity(b, a), 10);
  });

  it('ranks the same matter in other words above another matter at the same place', () => {
    const current = '小区门口的路灯坏了，一个多星期没人修';
    const sameMatter = '杨庄小区北门外三盏路灯不亮，路灯坏了';
    const otherMatter = '杨庄小区门口有人占道经营，摆摊卖菜';
    expect(textSimilarity(current, sameMatter)).toBeGreaterThan(textSimilarity(current, otherMatter));
  });

  it('ignores punctuation, width and case, and handles empty and one-character texts', () => {
    expect(textSimilarity('路灯坏了！', '路灯，坏了')).toBeGreaterThan(0.6);
    expect(textSimilarity('ＡＢＣ路灯', 'abc路灯')).toBeCloseTo(1, 10);
    expect(textSimilarity('', '')).toBe(0);
    expect(textSimilarity('', '路灯坏了')).toBe(0);
    expect(textSimilarity('灯', '灯')).toBe(1);
    expect(textSimilarity('灯', '路')).toBe(0);
  });
});

describe('repeat candidates', () => {
  it('finds an earlier case of the same caller number, surer when the matter is alike too', () => {
    const sameMatter = earlierCase({ phones: ['135-2233-1122'], text: '杨庄小区北门外的三盏路灯不亮，路灯坏了没人修', category: '城乡建设' });
    const otherMatter = earlierCase({ phones: ['13522331122'], text: '咨询社保断缴以后怎么续交' });
    const [first, second, ...rest] = findRepeatCandidates(streetlight, [otherMatter, sameMatter]);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ earlier: sameMatter, reasons: ['same-phone'] });
    expect(second).toMatchObject({ earlier: otherMatter, reasons: ['same-phone'] });
    expect(first!.confidence).toBeGreaterThan(second!.confidence);
    expect(first!.similarity).toBeGreaterThan(second!.similarity);
  });

  it('finds an earlier case at the same place only when the matter is alike', () => {
    const placeKey = streetlight.placeKey;
    const sameMatter = earlierCase({ placeKey, phones: ['13900000000'], text: '小区门口路灯坏了好几天了', category: '城乡建设' });
    const otherMatter = earlierCase({ placeKey, phones: ['13900000001'], text: '楼上装修噪音太大', category: '环境保护' });
    const elsewhere = earlierCase({ placeKey: '海淀区|学院路街道|学苑嘉园', text: '小区门口路灯坏了好几天了', category: '城乡建设' });
    const candidates = findRepeatCandidates(streetlight, [otherMatter, sameMatter, elsewhere]);
    expect(candidates.map((candidate) => candidate.earlier)).toEqual([sameMatter]);
    expect(candidates[0]!.reasons).toEqual(['same-place']);
  });

  it('lets the same category lower the similarity a same-place match needs', () => {
    const text = '小区的路灯一直没人管';
    const inCategory = earlierCase({ placeKey: streetlight.placeKey, text, category: '城乡建设' });
    const otherCategory = earlierCase({ placeKey: streetlight.placeKey, text, category: '交通运输' });
    const similarity = textSimilarity(streetlight.text, text);
    expect(similarity).toBeGreaterThanOrEqual(0.2);
    expect(similarity).toBeLessThan(0.35);
    expect(findRepeatCandidates(streetlight, [inCategory, otherCategory]).map((candidate) => candidate.earlier)).toEqual([inCategory]);
  });

  it('is surest when both the number and the place match', () => {
    const text = '小区门口路灯坏了没人修';
    const both = earlierCase({ phones: ['13522331122'], placeKey: streetlight.placeKey, text, category: '城乡建设' });
    const phoneOnly = earlierCase({ phones: ['13522331122'], text, category: '城乡建设' });
    const [first, second] = findRepeatCandidates(streetlight, [phoneOnly, both]);
    expect(first).toMatchObject({ earlier: both, reasons: ['same-phone', 'same-place'] });
    expect(first!.confidence).toBeGreaterThan(second!.confidence);
    expect(first!.confidence).toBeLessThanOrEqual(0.95);
  });

  it('looks only within the window before the call, more recent cases first among equals', () => {
    const base = { phones: ['13522331122'], text: '小区门口路灯坏了' };
    const recent = earlierCase({ ...base, occurredAt: daysAgo(1) });
    const older = earlierCase({ ...base, occurredAt: daysAgo(20) });
    const tooOld = earlierCase({ ...base, occurredAt: daysAgo(31) });
    const future = earlierCase({ ...base, occurredAt: daysAgo(-1) });
    const unreadable = earlierCase({ ...base, occurredAt: 'last Tuesday' });
    const candidates = findRepeatCandidates(streetlight, [tooOld, older, future, unreadable, recent]);
    expect(candidates.map((candidate) => candidate.earlier)).toEqual([recent, older]);
    expect(findRepeatCandidates(streetlight, [older], { windowDays: 7 })).toEqual([]);
    expect(findRepeatCandidates(streetlight, [tooOld], { windowDays: 60 })).toHaveLength(1);
  });

  it('returns at most `limit` candidates, three unless told', () => {
    const many = Array.from({ length: 6 }, (_, index) => earlierCase({ phones: ['13522331122'], text: `路灯坏了第${index}次`, occurredAt: daysAgo(index + 1) }));
    expect(findRepeatCandidates(streetlight, many)).toHaveLength(3);
    expect(findRepeatCandidates(streetlight, many, { limit: 5 })).toHaveLength(5);
    expect(findRepeatCandidates(streetlight, many, { limit: 0 })).toEqual([]);
  });

  it('finds nothing without a number, a place or earlier cases, and does not fail on odd input', () => {
    const anonymous: CurrentCase = { phones: [''], placeKey: null, category: null, text: '', at: now };
    const earlier = [earlierCase({ phones: [''], placeKey: null, text: '' }), earlierCase({ phones: ['13522331122'], text: 'hello' })];
    expect(findRepeatCandidates(anonymous, earlier)).toEqual([]);
    expect(findRepeatCandidates({ ...anonymous, placeKey: '' }, [earlierCase({ placeKey: '', text: '' })])).toEqual([]);
    expect(findRepeatCandidates(streetlight, [])).toEqual([]);
    expect(findRepeatCandidates({ ...streetlight, at: new Date('nonsense') }, earlier)).toEqual([]);
    // An English text still matches by number, with no similarity to speak of.
    const [english] = findRepeatCandidates({ ...streetlight, text: 'the streetlight is broken' }, [earlierCase({ phones: ['13522331122'], text: '路灯坏了' })]);
    expect(english).toMatchObject({ reasons: ['same-phone'], similarity: 0 });
  });
});
