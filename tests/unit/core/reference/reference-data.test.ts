import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { urgencyLevels } from '../../../../src-main/contract';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

let reference: ReferenceData;
let loadMs: number;

beforeAll(async () => {
  const started = performance.now();
  reference = await loadReferenceData(resourcesDir, { preferredRegionCode: '11' });
  loadMs = performance.now() - started;
});

describe('category tree', () => {
  it('has the 15 first-level categories of the public taxonomy, each three levels deep', () => {
    const { categories } = reference.snapshot;
    expect(categories).toHaveLength(15);
    expect(categories.map((node) => node.name)).toEqual(
      expect.arrayContaining(['城乡建设', '环境保护', '交通运输', '教育文体', '劳动和社会保障', '商贸旅游', '卫生计生']),
    );
    for (const level1 of categories) {
      expect(level1.children.length, level1.name).toBeGreaterThan(0);
      for (const level2 of level1.children) {
        expect(level2.children.length, `${level1.name} / ${level2.name}`).toBeGreaterThan(0);
        for (const level3 of level2.children) expect(level3.children).toEqual([]);
      }
    }
  });

  it('accepts paths that exist in the tree and rejects ones that skip or invent a level', () => {
    expect(reference.isKnownCategoryPath(['城乡建设'])).toBe(true);
    expect(reference.isKnownCategoryPath(['城乡建设', '城市建设和市政管理'])).toBe(true);
    expect(reference.isKnownCategoryPath(['城乡建设', '城市建设和市政管理', '燃气供应'])).toBe(true);
    expect(reference.isKnownCategoryPath(['城乡建设', '燃气供应'])).toBe(false);
    expect(reference.isKnownCategoryPath(['环境保护', '城市建设和市政管理'])).toBe(false);
    expect(reference.isKnownCategoryPath(['不存在的分类'])).toBe(false);
    expect(reference.isKnownCategoryPath([])).toBe(false);
  });
});

describe('departments', () => {
  it('can route every first-level category to at least one department', () => {
    const { categories, departments } = reference.snapshot;
    expect(departments.length).toBeGreaterThanOrEqual(20);
    const routed = new Set(departments.flatMap((department) => department.categories));
    expect(categories.map((node) => node.name).filter((name) => !routed.has(name))).toEqual([]);
    expect(departments.map((department) => department.name)).toEqual(
      expect.arrayContaining(['市住房和城乡建设委员会', '市人力资源和社会保障局', '市燃气集团', '市住房公积金管理中心']),
    );
  });
});

describe('service levels', () => {
  it('describes all four urgency levels in the contract order', () => {
    expect(reference.snapshot.urgencyLevels.map((info) => info.level)).toEqual([...urgencyLevels]);
    for (const info of reference.snapshot.urgencyLevels) expect(info.description.length).toBeGreaterThan(10);
  });

  it('gives 极急 a shorter deadline than 急办, and 急办 shorter than 常规, in every category', () => {
    const level1Names = [null, ...reference.snapshot.categories.map((node) => node.name)];
    for (const category of level1Names) {
      const immediate = reference.deadlineHours('极急', category);
      const sameDay = reference.deadlineHours('急办', category);
      const routine = reference.deadlineHours('常规', category);
      expect(immediate, String(category)).toBeLessThan(sameDay);
      expect(sameDay, String(category)).toBeLessThan(routine);
    }
    expect(reference.deadlineHours('极急', null)).toBe(2);
    expect(reference.deadlineHours('急办', null)).toBe(24);
    expect(reference.deadlineHours('争议', null)).toBe(360);
  });

  it('uses a category rule where one exists and the default elsewhere', () => {
    expect(reference.deadlineHours('常规', '环境保护')).toBe(72);
    expect(reference.deadlineHours('常规', '纪检监察')).toBe(360);
    expect(reference.deadlineHours('常规', '教育文体')).toBe(reference.deadlineHours('常规', null));
    expect(reference.deadlineHours('常规', '没有这个分类')).toBe(reference.deadlineHours('常规', null));
  });
});

describe('urgency cues', () => {
  it('flags gas, fire, injury and a trapped lift as 极急 and utility cuts as 急办', () => {
    const wordsOf = (level: string) => reference.urgencyCues.find((cues) => cues.level === level)?.words ?? [];
    expect(wordsOf('极急')).toEqual(expect.arrayContaining(['煤气味', '燃气泄漏', '着火', '有人受伤', '困在电梯里']));
    expect(wordsOf('急办')).toEqual(expect.arrayContaining(['停水', '停电', '道路堵塞']));
  });
});

describe('address suggestions', () => {
  it('resolves 望京 to 朝阳区望京街道 in 北京市 first', () => {
    const [first] = reference.suggestAddress('望京', 5);
    expect(first).toMatchObject({
      code: '110105026',
      name: '望京街道',
      level: 'street',
      fullName: '北京市朝阳区望京街道',
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
      street: '望京街道',
    });
  });

  it('puts Beijing places first and exact names before partial ones', () => {
    const names = reference.suggestAddress('朝阳', 10).map((suggestion) => suggestion.fullName);
    expect(names[0]).toBe('北京市朝阳区');
    expect(names[1]).toBe('北京市东城区朝阳门街道');
    expect(names).toContain('辽宁省朝阳市');
    // Streets of 朝阳区 contain 朝阳 only through their district, so they must not crowd the list.
    expect(names.filter((name) => name.startsWith('北京市朝阳区') && name !== '北京市朝阳区')).toEqual([]);
  });

  it('matches text typed across levels, such as district and street together', () => {
    const suggestions = reference.suggestAddress('朝阳区望京', 5);
    expect(suggestions.map((suggestion) => suggestion.fullName)).toEqual(['北京市朝阳区望京街道']);
  });

  it('fills the city of a county-level place outside the municipalities', () => {
    const suggestion = reference.suggestAddress('望京镇', 1)[0];
    expect(suggestion).toMatchObject({ province: '四川省', city: '巴中市', district: '平昌县', street: '望京镇' });
  });

  it('returns at most the requested number and nothing for blank text', () => {
    expect(reference.suggestAddress('街道', 7)).toHaveLength(7);
    expect(reference.suggestAddress('   ', 10)).toEqual([]);
    expect(reference.suggestAddress('望京', 0)).toEqual([]);
    expect(reference.suggestAddress('没有这样的地名', 10)).toEqual([]);
  });

  it('never suggests the statistical groupings 市辖区 or 县', () => {
    expect(reference.suggestAddress('市辖区', 10)).toEqual([]);
    expect(reference.suggestAddress('县', 50).some((suggestion) => suggestion.name === '县')).toBe(false);
  });

  it('loads all reference data, the national division list included, in well under a second', () => {
    // The target is 300 ms on a developer machine; the bound here leaves room for slow CI hosts
    // while still catching work that grows with the square of the list.
    expect(loadMs).toBeLessThan(1500);
  });
});
