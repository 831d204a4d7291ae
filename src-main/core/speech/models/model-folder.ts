import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkLayout } from './engine-layout';
import { hashFile, manifestFileName, readManifest, type ManifestFile, type ModelManifest } from './model-manifest';
import { ModelStoreError } from './model-store-error';

// Reading a folder that is about to become an installed model: which files it has, which of them
// the model consists of, and what its manifest (if any) says.

export const isHidden = (name: string) => name.startsWith('.');

/** Files under `root` as relative forward-slash paths, following links (a hub cache snapshot is links), skipping hidden names. */
export async function listFiles(root: string, relative = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, relative))) {
    if (isHidden(entry)) continue;
    const path = relative ? `${relative}/${entry}` : entry;
    const info = await stat(join(root, path)).catch(() => null);
    if (info?.isDirectory()) files.push(...(await listFiles(root, path)));
    else if (info?.isFile()) files.push(path);
  }
  return files;
}

/** Small metadata files worth keeping beside the weights (licence, model card, tokenizer extras). */
const isMetadataFile = (path: string) => !path.includes('/') && /(\.json|\.txt|\.md)$|^licen[cs]e/i.test(path);

export async function describeFiles(root: string, paths: string[]): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const path of paths) {
    const full = join(root, path);
    files.push({ path, bytes: (await stat(full)).size, sha256: await hashFile(full) });
  }
  return files;
}

/** The folder's manifest, null when it has none; a broken one is refused (`label` names the source in the message). */
export async function sourceManifest(root: string, label: string): Promise<ModelManifest | null> {
  const read = await readManifest(root);
  if (read.ok) return read.manifest;
  if (read.problem === `no ${manifestFileName}`) return null;
  throw new ModelStoreError('MODEL_SOURCE_INVALID', `${label} has a ${read.problem}. Fix or delete manifest.json and import again.`);
}

export interface FilePlan {
  /** The model's files: those its manifest lists, or what the engine loads plus small metadata. */
  keep: string[];
  /** Files of the folder that are not part of the model (other weight variants, notes). */
  skipped: string[];
}

/** Which files of `available` make up the model; refuses a folder (or manifest) without what the engine needs. */
export function planFiles(available: string[], manifest: ModelManifest | null, label: string): FilePlan {
  let keep: string[];
  if (manifest) {
    keep = manifest.files.map((file) => file.path);
    const layout = checkLayout(manifest.engine, keep);
    if (!layout.ok) throw new ModelStoreError('MODEL_SOURCE_INVALID', `The manifest of ${label} does not describe a complete model. ${layout.message}`, layout.missing);
  } else {
    // Whisper is the one engine today; a folder for another engine comes with its manifest.
    const layout = checkLayout('whisper', available);
    if (!layout.ok) throw new ModelStoreError('MODEL_SOURCE_INVALID', `${label} is not a model folder. ${layout.message}`, layout.missing);
    keep = [...new Set([...layout.neededFiles, ...available.filter(isMetadataFile)])].sort();
  }
  return { keep, skipped: available.filter((path) => !keep.includes(path) && path !== manifestFileName) };
}
