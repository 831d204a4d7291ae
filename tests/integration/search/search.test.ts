import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApp } from '../../../src-main/core/console-app';
import { importKnowledgeBase, importPastCases } from '../../../src-main/core/search/importers';
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

const firstArticle = async (query: string) => (await call(app, 'search.query', { query, scope: 'kb', limit: 5 })).articles[0]?.id;

describe('the starter knowledge base', () => {
  it('puts the obviously right article first for what callers actually say', async () => {
    const expectations: [string, string][] = [
      ['楼道里一股煤气味，是不是漏气了，我该怎么办', 'gas-leak-emergency'],
      ['我们楼的电梯坏了好几天了，物业也不来修', 'elevator-out-of-service'],
      ['我被困在电梯里了，电梯卡在两层中间', 'elevator-trapped-emergency'],
      ['公司已经三个月不发工资了，老板一直拖着', 'wage-arrears-complaint'],
      ['我租房子住，想把公积金取出来交房租', 'housing-fund-rent-withdrawal'],
      ['旁边工地半夜十二点还在施工，吵得根本睡不着', 'noise-night-construction'],
      ['孩子明年上小学，怎么报名', 'school-primary-enrollment'],
      ['家里突然停水了，什么时候来水', 'water-outage'],
      ['身份证丢了，下周要坐火车，怎么补办', 'id-card-replacement'],
      ['楼下广场舞的音响每天晚上都特别吵', 'noise-square-dance'],
    ];
    for (const [utterance, expected] of expectations) expect(await firstArticle(utterance), utterance).toBe(expected);
  });

  it('never suggests an expired or not-yet-effective article as current', async () => {
    for (const title of ['困难行业阶段性缓缴社保费政策', '招用高校毕业生一次性扩岗补助', '加装电梯运行维护补贴']) {
      const results = await call(app, 'search.query', { query: title, scope: 'kb', limit: 20 });
      expect(results.articles.map((article) => article.id), title).not.toEqual(
        expect.arrayContaining(['social-insurance-deferral-2022']),
      );
      expect(results.articles.map((article) => article.id)).not.toContain('employment-expansion-subsidy-2023');
      expect(results.articles.map((article) => article.id)).not.toContain('elevator-retrofit-operation-subsidy-2027');
    }
    // The article itself is still there to read, with its dates.
    expect(await call(app, 'kb.get', { id: 'social-insurance-deferral-2022' })).toMatchObject({ effectiveUntil: '2022-12-31', sample: true });
  });

  it('shows which words matched, in the title or snippet', async () => {
    const [hit] = (await call(app, 'search.query', { query: '燃气泄漏', scope: 'kb', limit: 1 })).articles;
    expect(hit?.matchedTerms).toContain('燃气泄漏');
    expect(`${hit?.title}${hit?.snippet}`).toContain('燃气');
  });

  it('answers empty, punctuation-only, FTS-syntax and 10,000-character queries without an error', async () => {
    for (const query of ['', '   ', '，。！？……', '"NEAR(', 'a* OR -b', 'NEAR(电梯 停运, 3)', '电梯" OR "1"="1', '^*:()']) {
      const result = await app.invoke('search.query', { query, scope: 'all', limit: 5 });
      expect(result.ok, query).toBe(true);
    }
    const long = await call(app, 'search.query', { query: '电梯停运物业不管'.repeat(1250), scope: 'all', limit: 5 });
    expect(long.articles[0]?.id).toBe('elevator-out-of-service');
  });
});

describe('past cases', () => {
  it('imports JSONL, keeps good rows and reports each bad one: no title or body, broken JSON, GB18030', async () => {
    const file = join(dataDir, 'cases.jsonl');
    const gb18030Line = Buffer.from([0xb5, 0xe7, 0xcc, 0xdd, 0xcd, 0xa3, 0xd4, 0xcb]); // "电梯停运" in GB18030
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ id: 'p1', title: '花家地小区电梯停运', body: '望京街道花家地小区3号楼电梯停运一周', label: '城乡建设', reply: '已督促物业维修', votes: 3 })}\n`),
        Buffer.from(`${JSON.stringify({ id: 'p2', body: '' })}\n`),
        Buffer.from('{"id": "p3", "title": \n'),
        Buffer.from('{"id": "p4", "title": "'), gb18030Line, Buffer.from('"}\n'),
        Buffer.from(`${JSON.stringify({ title: '夜间施工噪音扰民', body: '工地凌晨两点还在打桩', category: '环境保护' })}\n`),
      ]),
    );
    const { database, index } = app.services();
    const report = await importPastCases(database, index, file);
    expect(report).toMatchObject({ added: 2, updated: 0 });
    expect(report.rejected).toEqual([
      { where: 'cases.jsonl:4', reason: expect.stringMatching(/UTF-8.*GB18030/) },
      { where: 'cases.jsonl:2', reason: 'neither title nor body' },
      { where: 'cases.jsonl:3', reason: 'broken JSON' },
    ]);
    const found = await call(app, 'search.query', { query: '花家地的电梯停了', scope: 'cases', limit: 5 });
    expect(found.cases[0]).toMatchObject({ id: 'p1', category: '城乡建设', reply: expect.stringContaining('物业') });
    // Importing the same file again updates, never duplicates.
    expect(await importPastCases(database, index, file)).toMatchObject({ added: 0, updated: 2 });
  });

  it('indexes every case of a bulk import under its own row, across batches, repeats and replacements', async () => {
    const { database, index } = app.services();
    const districts = ['朝阳', '海淀', '丰台', '通州', '昌平', '顺义', '大兴'];
    const record = (number: number, matter: string) => ({
      id: `bulk-check-${number}`, origin: 'import' as const, caseId: null, title: `${districts[number % 7]}第${number}号来电 ${matter}`,
      body: `案卷bulk${number}x ${matter}`, transcript: '', category: '城乡建设', address: '', reply: '', occurredAt: null, extra: null,
    });
    // 1,201 records: more than two multi-row statements, one id twice (the later wins).
    const first = [...Array.from({ length: 1200 }, (_, number) => record(number, '路灯不亮')), record(7, '井盖缺失')];
    expect(await database.transaction((executor) => index.upsertPastCases(executor, first))).toEqual({ added: 1200, updated: 1 });
    // A second import replaces one case and adds another.
    const second = [record(1100, '树木倒伏'), record(1200, '积水严重')];
    expect(await database.transaction((executor) => index.upsertPastCases(executor, second))).toEqual({ added: 1, updated: 1 });
    await index.recountCaseTermFrequencies(database);
    for (const [number, matter] of [[7, '井盖缺失'], [1100, '树木倒伏'], [1200, '积水严重'], [600, '路灯不亮']] as const) {
      const found = await call(app, 'search.query', { query: `bulk${number}x ${matter}`, scope: 'cases', limit: 1 });
      expect(found.cases[0]).toMatchObject({ id: `bulk-check-${number}`, title: expect.stringContaining(matter) });
    }
    // The replaced case has one index entry, under its own row, and the index has one per case.
    const entries = await database.all<{ rowid: number }>("SELECT rowid FROM past_cases_search WHERE past_cases_search MATCH 'bulk1100x'");
    const row = await database.get<{ rowid: number }>("SELECT rowid FROM past_cases WHERE id = 'bulk-check-1100'");
    expect(entries).toEqual([{ rowid: row?.rowid }]);
    const counts = await database.get<{ cases: number; entries: number }>(
      'SELECT (SELECT count(*) FROM past_cases) AS cases, (SELECT count(*) FROM past_cases_search) AS entries',
    );
    expect(counts?.entries).toBe(counts?.cases);
  });

  it('indexes a confirmed case in the transaction that confirms it, with its transcript', async () => {
    const started = await call(app, 'calls.start', {});
    await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '和平里七区的垃圾站臭气熏天好几天没清运' });
    const confirmed = await call(app, 'cases.confirm', { callId: started.id, fields: { ...completeCaseFields, summary: '垃圾站异味' } });
    const found = await call(app, 'search.query', { query: '垃圾站 臭气熏天', scope: 'cases', limit: 5 });
    expect(found.cases[0]).toMatchObject({ id: confirmed.code, caseId: confirmed.id });
  });

  it('pushes suggestions after every utterance of a live call', async () => {
    const started = await call(app, 'calls.start', {});
    const updated = nextEvent(app, 'onSuggestionsUpdated', (payload) => payload.callId === started.id && payload.segmentCount === 2);
    await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'operator', text: '您好，请问有什么可以帮您？' });
    await call(app, 'transcript.addTyped', { callId: started.id, speaker: 'caller', text: '我家楼道里煤气味特别大，是不是燃气泄漏了' });
    const suggestions = await updated;
    expect(suggestions.articles[0]?.id).toBe('gas-leak-emergency');
    expect(suggestions.terms).toEqual(expect.arrayContaining(['燃气泄漏']));
    const fetched = await call(app, 'search.forCall', { callId: started.id });
    expect(fetched.segmentCount).toBe(2);
    expect(fetched.articles[0]?.id).toBe('gas-leak-emergency');
  });
});

describe('re-indexing', () => {
  it('keeps answering every search while the index is rebuilt', async () => {
    const { database, index } = app.services();
    const records = Array.from({ length: 3000 }, (_, number) => ({
      id: `bulk-${number}`, origin: 'import' as const, caseId: null, title: `第${number}号 噪音投诉`, body: `小区${number % 7}号楼夜间施工噪音扰民`,
      transcript: '', category: '环境保护', address: '', reply: '', occurredAt: null, extra: null,
    }));
    await database.transaction((executor) => index.upsertPastCases(executor, records));
    const rebuilding = index.rebuild(database, 250);
    const answers: number[] = [];
    let finished = false;
    void rebuilding.then(() => {
      finished = true;
    });
    while (!finished) {
      const results = await call(app, 'search.query', { query: '花家地的电梯停了', scope: 'cases', limit: 5 });
      answers.push(results.cases.filter((hit) => hit.id === 'p1').length);
    }
    expect(await rebuilding).toMatchObject({ cases: expect.any(Number), articles: expect.any(Number) });
    expect(answers.length).toBeGreaterThan(1);
    expect(answers.every((found) => found === 1)).toBe(true);
  });
});

describe('knowledge-base import', () => {
  it('reads Markdown, JSONL and CSV, reporting what was added, updated, unchanged and rejected', async () => {
    const folder = join(dataDir, 'kb');
    await mkdir(folder);
    await writeFile(join(folder, 'noise-test.md'), '---\nid: noise-test\ntitle: 测试：噪声投诉\nkeywords: 噪声, 扰民\ncategory: 环境保护\nversion: 2\n---\n拨打12345反映噪声扰民。\n');
    await writeFile(join(folder, 'broken.md'), 'no front matter here');
    await writeFile(join(folder, 'dated.md'), '---\ntitle: 日期错误\neffectiveFrom: 2025-13-45\n---\n正文\n');
    await writeFile(
      join(folder, 'articles.csv'),
      'id,title,body,keywords\ncsv-1,"标题, 带逗号","第一行\n第二行，有""引号""",关键词一;关键词二\ncsv-2,,没有标题,\n',
    );
    await writeFile(join(folder, 'articles.jsonl'), `${JSON.stringify({ id: 'json-1', title: 'JSON 文章', body: '内容' })}\nnot json\n`);
    const { database, index } = app.services();
    const report = await importKnowledgeBase(database, index, folder);
    expect(report).toMatchObject({ added: 3, updated: 0, unchanged: 0 });
    expect(report.rejected.map((rejection) => rejection.where).sort()).toEqual(['articles.csv:3', 'articles.jsonl:2', 'broken.md', 'dated.md']);
    expect(report.rejected.find((rejection) => rejection.where === 'dated.md')?.reason).toMatch(/effectiveFrom/);
    expect(await call(app, 'kb.get', { id: 'csv-1' })).toMatchObject({ title: '标题, 带逗号', body: '第一行\n第二行，有"引号"', keywords: ['关键词一', '关键词二'] });
    expect(await importKnowledgeBase(database, index, folder)).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    await writeFile(join(folder, 'articles.jsonl'), `${JSON.stringify({ id: 'json-1', title: 'JSON 文章', body: '新内容' })}\n`);
    expect(await importKnowledgeBase(database, index, folder)).toMatchObject({ added: 0, updated: 1, unchanged: 2 });
  });
});

describe('hotline-console search', () => {
  it('answers a batch of queries with one JSON line each', async () => {
    const cliData = join(dataDir, 'cli');
    const bin = join(__dirname, '../../../bin/hotline-console.js');
    const cases = join(dataDir, 'cli-cases.jsonl');
    await writeFile(cases, [
      JSON.stringify({ id: 'c1', title: '电梯停运', body: '小区电梯停运三天', label: '城乡建设' }),
      JSON.stringify({ id: 'c2', title: '拖欠工资', body: '公司拖欠工资两个月', label: '劳动和社会保障' }),
    ].join('\n'));
    execFileSync(process.execPath, [bin, 'import-cases', cases, '--data-dir', cliData]);
    const queries = join(dataDir, 'queries.jsonl');
    await writeFile(queries, `${JSON.stringify({ id: 'q1', query: '电梯不能用了' })}\n${JSON.stringify({ id: 'q2', query: '老板不发工资' })}\n`);
    const output = execFileSync(process.execPath, [bin, 'search', '--input', queries, '--cases', '--limit', '5', '--data-dir', cliData], { encoding: 'utf8' });
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as { id: string; hits: { id: string; category: string }[] });
    expect(lines).toEqual([
      { id: 'q1', hits: [expect.objectContaining({ id: 'c1', category: '城乡建设', score: expect.any(Number) })] },
      { id: 'q2', hits: [expect.objectContaining({ id: 'c2', category: '劳动和社会保障' })] },
    ]);
  });
});
