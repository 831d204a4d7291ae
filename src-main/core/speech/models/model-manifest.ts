import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { speechEngines } from '../../../contract';

/** Every model folder describes itself in this file; weights are never trusted without it. */
export const manifestFileName = 'manifest.json';

/** Folder names under models/: plain, portable, and never a path. */
export const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A file path inside a model folder: relative, forward slashes, no "." or ".." segments. */
const relativeFilePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.includes('\\') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), {
    message: 'must be a relative path inside the model folder',
  });

export const manifestSchema = z
  .object({
    name: z.string().regex(modelNamePattern, 'letters, digits, ".", "_" or "-", starting with a letter or digit'),
    engine: z.enum(speechEngines),
    description: z.string(),
    licence: z.string().min(1),
    source: z.string().min(1),
    files: z
      .array(
        z.object({
          path: relativeFilePath,
          bytes: z.number().int().nonnegative(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
        }),
      )
      .min(1),
    createdAt: z.string().min(1),
  })
  .refine((manifest) => new Set(manifest.files.map((file) => file.path)).size === manifest.files.length, { message: 'lists a file twice', path: ['files'] });

export type ModelManifest = z.infer<typeof manifestSchema>;
export type ManifestFile = ModelManifest['files'][number];

export type ManifestReadResult = { ok: true; manifest: ModelManifest } | { ok: false; problem: string };

/** Reads and validates a folder's manifest; never throws, so one broken folder cannot hide the others. */
export async function readManifest(modelDir: string): Promise<ManifestReadResult> {
  let text: string;
  try {
    text = await readFile(join(modelDir, manifestFileName), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? `no ${manifestFileName}` : `${manifestFileName} cannot be read (${code ?? String(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${manifestFileName} is not valid JSON (${(error as Error).message})` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`);
    return { ok: false, problem: `${manifestFileName} is not a valid manifest (${issues.join('; ')})` };
  }
  return { ok: true, manifest: parsed.data };
}

export async function writeManifest(modelDir: string, manifest: ModelManifest): Promise<void> {
  await writeFile(join(modelDir, manifestFileName), `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
}

/** sha256 of a file, streamed: model files run to hundreds of megabytes. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
