import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile, type ManifestFile } from './model-manifest';

/** One file of a model that does not match its manifest. */
export interface VerifyProblem {
  path: string;
  issue: 'missing' | 'size' | 'sha256';
}

/** Checks one listed file: present, of the listed size, with the listed sha256 (hashed only when the first two hold). */
export async function verifyFile(modelDir: string, file: ManifestFile): Promise<VerifyProblem | null> {
  const full = join(modelDir, file.path);
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) return { path: file.path, issue: 'missing' };
  if (info.size !== file.bytes) return { path: file.path, issue: 'size' };
  if ((await hashFile(full)) !== file.sha256) return { path: file.path, issue: 'sha256' };
  return null;
}

/** Checks every listed file; the result names each one that is missing or differs. */
export async function verifyFiles(modelDir: string, files: ManifestFile[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  for (const file of files) {
    const problem = await verifyFile(modelDir, file);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** "onnx/encoder_model.onnx (sha256 differs), tokenizer.json (missing)" */
export function describeProblems(problems: VerifyProblem[]): string {
  const words = { missing: 'missing', size: 'wrong size', sha256: 'sha256 differs' } as const;
  return problems.map((problem) => `${problem.path} (${words[problem.issue]})`).join(', ');
}
