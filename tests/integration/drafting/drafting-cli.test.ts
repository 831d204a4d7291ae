import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../../src-main/core/storage/open-storage';
import { sharedDataDir } from '../../support/shared-data';
import { makeTempDir, removeTempDir } from '../../support/temp-console';

const run = promisify(execFile);
const bin = join(__dirname, '../../../bin/hotline-console.js');
let dir: string;
let dataDir: string;

const cli = (...args: string[]) => run(process.execPath, [bin, ...args, '--data-dir', dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

beforeAll(async () => {
  dir = await makeTempDir();
  dataDir = join(dir, 'data');
});
afterAll(async () => {
  await removeTempDir(dir);
});

interface DraftLine {
  id: unknown;
  fields: Record<string, { value: unknown; confidence: number; [key: string]: unknown } | null>;
}

describe('hotline-console draft', () => {
  it('drafts each input line with the category model trained from the imported cases', async () => {
    const rows = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 500);
    const cases = join(dir, 'cases.jsonl');
    await writeFile(cases, rows.map((row, index) => JSON.stringify({ ...JSON.parse(row), id: `m${index}` })).join('\n'));
    await cli('import-cases', cases);
    const trained = await cli('train');
    expect(trained.stdout).toMatch(/version 1 \(active\)/);
    expect(trained.stdout).toMatch(/learnt from 500 cases \(500 imported, 0 confirmed here\)/);
    expect((await cli('train', '--list')).stdout).toMatch(/held-out \d+: top-1 0\.\d+/);

    const input = join(dir, 'in.jsonl');
    await writeFile(
      input,
      [
        { id: 'text', text: '我家在朝阳区望京街道望京西园三区，楼道里煤气味特别大，我姓王，电话13812345678' },
        { id: 7, title: '拖欠工资', body: '公司已经三个月没发工资了，老板一直拖着不给，希望劳动监察部门帮忙' },
        { id: 'empty', text: '' },
        { id: 'english', text: 'hello' },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n') + '\n',
    );
    const { stdout } = await cli('draft', '--input', input);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as DraftLine);
    expect(lines.map((line) => line.id)).toEqual(['text', 7, 'empty', 'english']);
    const [gas, wages, empty, english] = lines as [DraftLine, DraftLine, DraftLine, DraftLine];
    expect(Object.keys(gas.fields)).toEqual(expect.arrayContaining(['category', 'appealType', 'urgency', 'phone', 'name', 'address', 'department', 'deadline', 'summary']));
    expect(gas.fields.urgency).toMatchObject({ value: '极急' });
    expect(gas.fields.phone).toMatchObject({ value: '13812345678' });
    expect(gas.fields.address).toMatchObject({ district: '朝阳区', street: '望京街道', estate: '望京西园三区' });
    expect(gas.fields.deadline?.value).toEqual(expect.any(String));
    expect(wages.fields.category).toMatchObject({ value: '劳动和社会保障', alternatives: expect.any(Array) });
    expect((wages.fields.category?.alternatives as unknown[]).length).toBe(2);
    expect(Object.values(empty.fields).every((field) => field === null)).toBe(true);
    for (const field of Object.values(english.fields)) expect(field?.confidence ?? 0).toBeLessThan(0.5);
  });

  it('says which line is broken and goes on with the rest', async () => {
    const input = join(dir, 'broken.jsonl');
    await writeFile(input, `{"id": 1, "text": "停水了"}\nnot json\n[1, 2]\n{"id": 2, "text": "路灯坏了"}\n`);
    const failure = await cli('draft', '--input', input).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/broken\.jsonl:2: broken JSON/);
    expect(failure?.stderr).toMatch(/broken\.jsonl:3: a line must be one JSON object/);
    expect(failure?.stdout.trim().split('\n').map((line) => (JSON.parse(line) as DraftLine).id)).toEqual([1, 2]);
  });

  it('trains the model again before drafting when it was stored by an earlier console', async () => {
    // What a console from before the model's last change left: the same record in storage version 2.
    const database = new sqlite3.Database(join(dataDir, databaseFileName));
    await new Promise<void>((resolve, reject) => database.run("UPDATE category_models SET model = json_set(model, '$.version', 2)", (error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve, reject) => database.close((error) => (error ? reject(error) : resolve())));

    const input = join(dir, 'after-update.jsonl');
    await writeFile(input, `${JSON.stringify({ id: 1, title: '拖欠工资', body: '公司已经三个月没发工资了，老板一直拖着不给' })}\n`);
    const { stdout, stderr } = await cli('draft', '--input', input);
    expect(stderr).toMatch(/stored by an earlier version of the console; trained it again as version 2/);
    expect((JSON.parse(stdout.trim()) as DraftLine).fields.category).toMatchObject({ value: '劳动和社会保障' });
    const listed = (await cli('train', '--list')).stdout;
    expect(listed).toMatch(/version 2 \(active\)  trained .* after an update left the previous version unreadable/);
    expect(listed).toMatch(/version 1 \(stored by an earlier console: cannot be used\)/);
  });
});
