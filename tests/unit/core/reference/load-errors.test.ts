import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../../../src-main/core/reference';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

let workDir: string;
let copyDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'reference-data-'));
  copyDir = path.join(workDir, 'resources');
  await cp(resourcesDir, copyDir, { recursive: true });
  // A slice of the division list keeps each load fast; its order still has parents first.
  const divisions = await readFile(path.join(resourcesDir, 'divisions.jsonl'), 'utf8');
  await writeFile(path.join(copyDir, 'divisions.jsonl'), divisions.split('\n').slice(0, 400).join('\n') + '\n');
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function editJson(relativePath: string, edit: (value: any) => void): Promise<void> {
  const file = path.join(copyDir, relativePath);
  const value = JSON.parse(await readFile(file, 'utf8'));
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 2));
}

describe('loading a broken resources folder', () => {
  it('loads the untouched copy, so the failures below come from the edits', async () => {
    const reference = await loadReferenceData(copyDir);
    expect(reference.sampleCalls.length).toBeGreaterThanOrEqual(8);
  });

  it('names the sample-call file and the utterance whose end is not after its start', async () => {
    await cp(path.join(copyDir, 'sample-calls', 'water-cut.json'), path.join(copyDir, 'sample-calls', 'broken-call.json'));
    await editJson('sample-calls/broken-call.json', (call) => {
      call.id = 'broken-call';
      call.utterances[3].endMs = call.utterances[3].startMs - 100;
    });
    await expect(loadReferenceData(copyDir)).rejects.toThrow(
      `${path.join(copyDir, 'sample-calls', 'broken-call.json')}: utterances[3].endMs must be greater than startMs`,
    );
  });

  it('names a sample call where one speaker talks over their own previous utterance', async () => {
    await editJson('sample-calls/gas-leak.json', (call) => {
      // The operator's turn at [2] now runs on past the start of their next turn at [4].
      call.utterances[2].endMs = call.utterances[4].startMs + 500;
    });
    await expect(loadReferenceData(copyDir)).rejects.toThrow(
      /gas-leak\.json: utterances\[4\]\.startMs overlaps the operator's previous utterance/,
    );
  });

  it('names a sample call that is not valid JSON', async () => {
    await writeFile(path.join(copyDir, 'sample-calls', 'half-written.json'), '{ "id": "half-written", ');
    await expect(loadReferenceData(copyDir)).rejects.toThrow(/half-written\.json: not valid JSON/);
  });

  it('names a reference file that is missing', async () => {
    await rm(path.join(copyDir, 'departments.json'));
    await expect(loadReferenceData(copyDir)).rejects.toThrow(`${path.join(copyDir, 'departments.json')}: file is missing`);
  });

  it('names a department routed to a category the tree does not have', async () => {
    await editJson('departments.json', (file) => {
      file.departments[2].categories.push('城市管理');
    });
    await expect(loadReferenceData(copyDir)).rejects.toThrow(
      /departments\.json: departments\[2\]\.categories names "城市管理", which is not a first-level category/,
    );
  });

  it('names an urgency left without a default deadline', async () => {
    await editJson('service-levels.json', (file) => {
      file.rules = file.rules.filter((rule: { urgency: string; category: string }) => !(rule.urgency === '急办' && rule.category === '*'));
    });
    await expect(loadReferenceData(copyDir)).rejects.toThrow(/service-levels\.json: rules must hold a '\*' rule for 急办/);
  });

  it('names the line of the division list that is malformed or orphaned', async () => {
    const file = path.join(copyDir, 'divisions.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[9] = '["1101xx","坏代码","city","11"]';
    await writeFile(file, lines.join('\n'));
    await expect(loadReferenceData(copyDir)).rejects.toThrow(/divisions\.jsonl: line 10 must be \["code"/);

    lines[9] = '["990101","无主之地","district","9901"]';
    await writeFile(file, lines.join('\n'));
    await expect(loadReferenceData(copyDir)).rejects.toThrow(/divisions\.jsonl: line 10: parent code 9901 does not appear on an earlier line/);
  });
});
