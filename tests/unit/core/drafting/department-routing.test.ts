import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { proposeDepartment, type DepartmentRoutingInput, type RoutedPastCase } from '../../../../src-main/core/drafting/department-routing';
import type { TranscriptLine } from '../../../../src-main/core/drafting/phone-extraction';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';
import { caller, operator, sampleCallLines } from '../../../support/transcript-lines';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

let reference: ReferenceData;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir);
});


function route(lines: readonly TranscriptLine[], extra: Partial<DepartmentRoutingInput> = {}) {
  return proposeDepartment({
    lines,
    category: null,
    district: null,
    pastCases: [],
    departments: reference.snapshot.departments,
    cues: reference.departmentCues,
    ...extra,
  });
}

const sampleLines = (id: string) => sampleCallLines(reference, id);

const said = (lines: readonly TranscriptLine[], evidence: { segmentId: string; start: number; end: number }) =>
  lines.find((line) => line.id === evidence.segmentId)!.text.slice(evidence.start, evidence.end);

describe('routing the sample calls', () => {
  const expected: Record<string, string> = {
    'gas-leak': '市燃气集团',
    'unpaid-wages': '市人力资源和社会保障局',
    'night-construction-noise': '市城市管理综合行政执法局',
    'water-cut': '市自来水集团',
    'elevator-out-of-service': '市市场监督管理局',
    'repeat-caller': '市城市管理委员会',
    'social-insurance-question': '市人力资源和社会保障局',
    'anonymous-report': '属地街道办事处（乡镇人民政府）',
  };

  it('sends each call where its words point, with those words as evidence', () => {
    for (const [id, department] of Object.entries(expected)) {
      const lines = sampleLines(id);
      const proposal = route(lines);
      expect(proposal?.value, id).toBe(department);
      expect(proposal!.confidence, id).toBeGreaterThan(0.5);
      const departmentId = reference.snapshot.departments.find((entry) => entry.name === department)!.id;
      const cueWords = reference.departmentCues.find((cues) => cues.departmentId === departmentId)!.words;
      expect(proposal!.evidence.length, id).toBeGreaterThan(0);
      for (const evidence of proposal!.evidence) expect(cueWords, id).toContain(said(lines, evidence));
      expect(proposal!.alternatives.map((alternative) => alternative.value), id).not.toContain(department);
    }
  });

  it('names the gas cue words of the gas-leak call', () => {
    const lines = sampleLines('gas-leak');
    const words = route(lines)!.evidence.map((evidence) => said(lines, evidence));
    expect(words).toEqual(expect.arrayContaining(['煤气', '燃气']));
  });
});

describe('cue words', () => {
  it('ignores a cue said in the negative, but not one asked about', () => {
    expect(route([caller('不是燃气的问题，我们家停水了')])?.value).toBe('市自来水集团');
    expect(route([caller('是不是燃气泄漏了')])?.value).toBe('市燃气集团');
  });

  it("counts the operator's words for less than the caller's", () => {
    const callerSaid = route([caller('楼下的路灯不亮'), operator('您是说停电了吗')]);
    expect(callerSaid?.value).toBe('市城市管理委员会');
    expect(callerSaid?.alternatives[0]?.value).toBe('市供电公司');
  });

  it('counts a word inside a longer cue once, for the longer cue', () => {
    const line = caller('晚上夜间施工太吵了');
    const proposal = route([line]);
    expect(proposal?.evidence.map((evidence) => said([line], evidence))).toEqual(['夜间施工']);
  });

  it('is surer with more cues', () => {
    const one = route([caller('我们这儿停水了')])!;
    const more = route([caller('我们这儿停水了，自来水一点都没有，水压也不行')])!;
    expect(more.confidence).toBeGreaterThan(one.confidence);
    expect(more.confidence).toBeLessThanOrEqual(0.9);
  });
});

describe('the category', () => {
  it('alone gives a low-confidence guess among the departments that handle it, narrowest remit first', () => {
    const proposal = route([caller('你好')], { category: { value: ['劳动和社会保障', '劳动保障', '劳动合同'], confidence: 0.9 } });
    expect(proposal?.value).toBe('市人力资源和社会保障局');
    expect(proposal!.confidence).toBeLessThan(0.4);
    expect(proposal!.evidence).toEqual([]);
    const handlers = reference.snapshot.departments.filter((department) => department.categories.includes('劳动和社会保障')).map((department) => department.name);
    for (const alternative of proposal!.alternatives) expect(handlers).toContain(alternative.value);
  });

  it('makes a department that handles it likelier, and one that does not less likely', () => {
    const lines = [caller('我们楼停水了')];
    const plain = route(lines)!;
    const fitting = route(lines, { category: { value: ['城乡建设'], confidence: 0.9 } })!;
    expect(fitting.value).toBe('市自来水集团');
    expect(fitting.confidence).toBeGreaterThanOrEqual(plain.confidence);
    // 教育文体 is not the water company's: a school's water cut weighs school against water.
    const mixed = [caller('学校停水了')];
    expect(route(mixed, { category: { value: ['教育文体'], confidence: 0.9 } })?.value).toBe('市教育委员会');
    expect(route(mixed, { category: { value: ['城乡建设'], confidence: 0.9 } })?.value).toBe('市自来水集团');
  });

  it('fills the alternatives from the category when the words point to one department only', () => {
    const proposal = route([caller('楼道里煤气味很大')], { category: { value: ['城乡建设'], confidence: 0.8 } })!;
    expect(proposal.value).toBe('市燃气集团');
    expect(proposal.alternatives).toHaveLength(2);
    for (const alternative of proposal.alternatives) expect(alternative.confidence).toBeLessThan(proposal.confidence);
  });
});

describe('past cases', () => {
  it('vote by similarity, those of the same district counting more', () => {
    const pastCases: RoutedPastCase[] = [
      { department: '市住房和城乡建设委员会', similarity: 0.5, district: '海淀区' },
      { department: '市城市管理委员会', similarity: 0.45, district: '朝阳区' },
    ];
    const lines = [caller('小区里的事想反映一下')];
    expect(route(lines, { pastCases })?.value).toBe('市住房和城乡建设委员会');
    expect(route(lines, { pastCases, district: '朝阳区' })?.value).toBe('市城市管理委员会');
    expect(route(lines, { pastCases })!.evidence).toEqual([]);
  });

  it('may name a department outside the list, and ignore past cases without a department or similarity', () => {
    const proposal = route([caller('想反映一下')], {
      pastCases: [
        { department: '朝阳区望京街道办事处', similarity: 0.9 },
        { department: '  ', similarity: 1 },
        { department: '市燃气集团', similarity: Number.NaN },
        { department: '市公安局', similarity: -2 },
      ],
    });
    expect(proposal?.value).toBe('朝阳区望京街道办事处');
    expect(proposal?.alternatives).toEqual([]);
  });

  it('add to the cue words rather than override them', () => {
    const lines = sampleLines('gas-leak');
    const proposal = route(lines, { pastCases: [{ department: '市应急管理局', similarity: 0.6 }] });
    expect(proposal?.value).toBe('市燃气集团');
    expect(proposal?.alternatives[0]?.value).toBe('市应急管理局');
  });
});

describe('nothing to go on', () => {
  it('proposes nothing, and does not fail, for empty, greeting-only, English or dialect talk', () => {
    for (const lines of [[], [caller('')], [caller('喂')], [caller('你好，谢谢')], [caller('hello, my gas smells strange')], [caller('俺家那嘎达咋整啊，老闹心了')]]) {
      expect(route(lines)).toBeNull();
    }
    expect(route([caller('燃气')], { departments: [], cues: [] })).toBeNull();
    expect(route([caller('你好')], { category: { value: ['不存在的分类'], confidence: 1 } })).toBeNull();
  });
});

describe('the department cue file', () => {
  it('names only known departments, each word once', () => {
    const known = new Set(reference.snapshot.departments.map((department) => department.id));
    const words = reference.departmentCues.flatMap((cues) => cues.words);
    expect(reference.departmentCues.length).toBeGreaterThanOrEqual(20);
    for (const cues of reference.departmentCues) expect(known.has(cues.departmentId), cues.departmentId).toBe(true);
    expect(new Set(words).size).toBe(words.length);
  });

  it('is refused at load with the file and the fault named when it names an unknown department or a word twice', async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'department-cues-'));
    try {
      const copyDir = path.join(workDir, 'resources');
      await cp(resourcesDir, copyDir, { recursive: true });
      // A slice of the division list keeps the load fast; its order still has parents first.
      const divisions = await readFile(path.join(resourcesDir, 'divisions.jsonl'), 'utf8');
      await writeFile(path.join(copyDir, 'divisions.jsonl'), divisions.split('\n').slice(0, 400).join('\n') + '\n');
      const cueFile = path.join(copyDir, 'department-cues.json');
      const original = JSON.parse(await readFile(cueFile, 'utf8')) as { departments: { id: string; words: string[] }[] };

      await writeFile(cueFile, JSON.stringify({ departments: [...original.departments, { id: 'no-such-department', words: ['某事'] }] }));
      await expect(loadReferenceData(copyDir)).rejects.toThrow(/department-cues\.json: departments\[\d+\]\.id "no-such-department" is not a department/);

      const withSharedWord = original.departments.map((cues) => (cues.id === 'justice' ? { ...cues, words: [...cues.words, '燃气'] } : cues));
      await writeFile(cueFile, JSON.stringify({ departments: withSharedWord }));
      await expect(loadReferenceData(copyDir)).rejects.toThrow(/department-cues\.json: departments\[\d+\]\.words\[\d+\] "燃气" is already a cue for gas/);

      await writeFile(cueFile, JSON.stringify({ departments: [...original.departments, { id: 'justice', words: ['公证处'] }] }));
      await expect(loadReferenceData(copyDir)).rejects.toThrow(/department-cues\.json: departments\[\d+\] lists justice twice/);

      await writeFile(cueFile, JSON.stringify({ departments: [{ id: 'gas', words: [] }] }));
      await expect(loadReferenceData(copyDir)).rejects.toThrow(/department-cues\.json: departments\[0\]\.words must list at least one word/);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
