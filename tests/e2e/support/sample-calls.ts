import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server';

export interface SampleCallFile {
  id: string;
  title: string;
  callerLine: string | null;
  utterances: { speaker: 'caller' | 'operator'; startMs: number; endMs: number; text: string }[];
}

const folder = join(repoRoot, 'resources/sample-calls');

/** The scripted calls as shipped, read straight from their files: the truth the UI is checked against. */
export function readSampleCalls(): SampleCallFile[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as SampleCallFile);
}

export function readSampleCall(id: string): SampleCallFile {
  const found = readSampleCalls().find((script) => script.id === id);
  if (!found) throw new Error(`No sample call with id "${id}" in ${folder}`);
  return found;
}
