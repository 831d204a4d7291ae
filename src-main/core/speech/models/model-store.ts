import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkLayout } from './engine-layout';
import { defaultHubEndpoint, downloadFile } from './hub-download';
import { modelCatalogue, type CatalogueEntry } from './model-catalogue';
import { describeFiles, isHidden, listFiles, planFiles, sourceManifest } from './model-folder';
import { manifestFileName, modelNamePattern, readManifest, writeManifest, type ModelManifest } from './model-manifest';
import { ModelStoreError, writeFailure } from './model-store-error';
import { describeProblems, verifyFiles, type VerifyProblem } from './model-verification';
import { extractTar } from './tar-archive';
import { verifyWithCache } from './verification-cache';

export { ModelStoreError, type ModelStoreErrorCode } from './model-store-error';
export type { ModelManifest } from './model-manifest';
export { describeProblems, type VerifyProblem } from './model-verification';

/** A folder under models/. `manifest` is null when it cannot be read; `problem` says what is wrong, if anything. */
export interface InstalledModel {
  name: string;
  dir: string;
  manifest: ModelManifest | null;
  problem: string | null;
}

export interface ImportedModel extends InstalledModel {
  /** Files of the source left out because the engine does not use them (other weight variants, hidden files). */
  skippedFiles: string[];
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
}

export interface ImportOptions {
  /** Folder name to install as; default: the manifest's name, else the source folder's or archive's name. */
  name?: string;
  /** For a source without a manifest: what to record (defaults say "imported" and "unknown licence"). */
  description?: string;
  licence?: string;
}

export interface FetchOptions {
  /** Bytes of `file` received so far and its size when the hub tells it. */
  onProgress?: (done: number, total: number | null, file: string) => void;
  signal?: AbortSignal;
}

export interface ModelStoreOptions {
  /** Model hub base URL; default: $HF_ENDPOINT at fetch time, else https://huggingface.co. */
  hubEndpoint?: string;
  catalogue?: CatalogueEntry[];
  /** Connections tried per file before a fetch gives up (each resumes where the last stopped). */
  downloadAttempts?: number;
  retryDelayMs?: number;
  now?: () => Date;
}

// Work folders inside models/ (same disk, so finishing is a rename); list() skips dot-folders.
const importPrefix = '.importing-';
const fetchPrefix = '.fetching-';
const fetchSourceFile = '.fetch-source.json';

/**
 * The models folder: one folder per model, each described by manifest.json (files with sizes and
 * sha256, licence, source). Installs happen in a work folder beside the others and finish with a
 * rename, so a failed import or fetch never leaves a half-installed model behind.
 */
export class ModelStore {
  readonly modelsDir: string;
  private readonly options: ModelStoreOptions;

  constructor(modelsDir: string, options: ModelStoreOptions = {}) {
    this.modelsDir = resolve(modelsDir);
    this.options = options;
  }

  get catalogue(): CatalogueEntry[] {
    return this.options.catalogue ?? modelCatalogue;
  }

  /** Installed models, by name; a broken one is listed with its problem, never thrown. Checks presence and sizes, not sha256 (see verify). */
  async list(): Promise<InstalledModel[]> {
    let entries: string[];
    try {
      entries = await readdir(this.modelsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const models: InstalledModel[] = [];
    for (const name of entries.sort()) {
      if (isHidden(name)) continue;
      const dir = join(this.modelsDir, name);
      if (!(await stat(dir).catch(() => null))?.isDirectory()) continue;
      models.push(await this.describe(name, dir));
    }
    return models;
  }

  private async describe(name: string, dir: string): Promise<InstalledModel> {
    const read = await readManifest(dir);
    if (!read.ok) return { name, dir, manifest: null, problem: read.problem };
    const { manifest } = read;
    const layout = checkLayout(manifest.engine, manifest.files.map((file) => file.path));
    if (!layout.ok) return { name, dir, manifest, problem: `the manifest does not describe a complete model: ${layout.message}` };
    const absent: string[] = [];
    for (const file of manifest.files) {
      const info = await stat(join(dir, file.path)).catch(() => null);
      if (!info?.isFile()) absent.push(`${file.path} (missing)`);
      else if (info.size !== file.bytes) absent.push(`${file.path} (wrong size)`);
    }
    if (absent.length > 0) return { name, dir, manifest, problem: `files do not match the manifest: ${absent.join(', ')}` };
    return { name, dir, manifest, problem: null };
  }

  private async installed(name: string): Promise<InstalledModel> {
    if (!modelNamePattern.test(name)) throw new ModelStoreError('MODEL_NAME_INVALID', `"${name}" is not a model name (letters, digits, ".", "_" or "-").`);
    const dir = join(this.modelsDir, name);
    if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      const names = (await this.list()).map((model) => model.name);
      throw new ModelStoreError('MODEL_NOT_FOUND', `No model "${name}" in ${this.modelsDir}. Installed: ${names.join(', ') || 'none'}.`);
    }
    return this.describe(name, dir);
  }

  /**
   * Checks every file of an installed model against its manifest's size and sha256. With
   * `trustUnchanged`, a file that passed before and has not been touched since (same size, times
   * and inode) is not hashed again: what a screen that lists models should use.
   */
  async verify(name: string, options: { trustUnchanged?: boolean } = {}): Promise<VerifyResult> {
    const model = await this.installed(name);
    if (!model.manifest) throw new ModelStoreError('MODEL_MANIFEST_INVALID', `${name} cannot be checked: ${model.problem}. Re-import or re-fetch it.`);
    const problems = await verifyWithCache(model.dir, model.manifest.files, { trustCached: options.trustUnchanged ?? false });
    return { ok: problems.length === 0, problems };
  }

  /** Removes an installed model folder. */
  async remove(name: string): Promise<void> {
    const model = await this.installed(name);
    await rm(model.dir, { recursive: true, force: true });
  }

  /**
   * Installs a model from a folder or a .tar/.tar.gz/.tgz archive (of the folder, or of a folder
   * holding it). With a manifest, every file must match it; without one, the folder must hold what
   * the engine loads, and a manifest is written with the computed sha256.
   */
  async import(source: string, options: ImportOptions = {}): Promise<ImportedModel> {
    const sourcePath = resolve(source);
    const sourceInfo = await stat(sourcePath).catch(() => null);
    if (!sourceInfo) throw new ModelStoreError('MODEL_SOURCE_MISSING', `Nothing at ${sourcePath}. Give the path of a model folder or of a .tar.gz made from one.`);
    const inPlace = sourceInfo.isDirectory() && dirname(sourcePath) === this.modelsDir && (options.name === undefined || options.name === basename(sourcePath));
    if (inPlace) return this.adopt(sourcePath, options);
    const staging = await this.makeWorkFolder(importPrefix);
    try {
      let root = sourcePath;
      let fallbackName = basename(sourcePath);
      let moveFromRoot = false;
      if (sourceInfo.isFile()) {
        const extracted = join(staging, 'extracted');
        await mkdir(extracted);
        await extractTar(sourcePath, extracted);
        root = await this.findModelRoot(extracted);
        fallbackName = root === extracted ? basename(sourcePath).replace(/(\.tar\.gz|\.tgz|\.tar)$/i, '') : basename(root);
        moveFromRoot = true;
      }
      const manifestOfSource = await sourceManifest(root, sourcePath);
      const { keep, skipped: skippedFiles } = planFiles(await listFiles(root), manifestOfSource, sourcePath);

      const name = options.name ?? manifestOfSource?.name ?? fallbackName;
      if (!modelNamePattern.test(name)) throw new ModelStoreError('MODEL_NAME_INVALID', `"${name}" cannot be a model name (letters, digits, ".", "_" or "-"); choose one with --name.`);
      const target = join(this.modelsDir, name);
      if (await stat(target).catch(() => null)) throw this.exists(name);

      const model = join(staging, 'model');
      for (const path of keep) {
        const from = join(root, path);
        if (!(await stat(from).catch(() => null))?.isFile()) {
          throw new ModelStoreError('MODEL_SOURCE_INVALID', `${sourcePath} lacks ${path}, which its manifest lists. Copy the complete folder and import again.`, [path]);
        }
        await mkdir(dirname(join(model, path)), { recursive: true }).catch((error: unknown) => {
          throw writeFailure(error, `write into ${this.modelsDir}`);
        });
        // Files of an extracted archive are already on this disk: move them instead of copying.
        await (moveFromRoot ? rename(from, join(model, path)) : copyFile(from, join(model, path))).catch((error: unknown) => {
          throw writeFailure(error, `copy ${path} into ${this.modelsDir}`);
        });
      }

      let manifest: ModelManifest;
      if (manifestOfSource) {
        // Check the copies, so what is installed is exactly what the manifest promises.
        const problems = await verifyFiles(model, manifestOfSource.files);
        if (problems.length > 0) {
          throw new ModelStoreError('MODEL_SOURCE_INVALID', `${sourcePath} does not match its manifest: ${describeProblems(problems)}. Copy the model again from a good source.`, problems.map((problem) => problem.path));
        }
        manifest = { ...manifestOfSource, name };
      } else {
        manifest = {
          name,
          engine: 'whisper',
          description: options.description ?? `Whisper model imported from ${basename(sourcePath)}`,
          licence: options.licence ?? 'unknown: imported without a manifest; check the licence where the model came from',
          source: `imported from ${sourcePath}`,
          files: await describeFiles(model, keep),
          createdAt: this.now().toISOString(),
        };
      }
      await writeManifest(model, manifest).catch((error: unknown) => {
        throw writeFailure(error, `write the manifest into ${this.modelsDir}`);
      });
      await this.finish(model, target, name);
      return { ...(await this.describe(name, target)), skippedFiles };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /**
   * A folder copied straight into models/ (the simplest way on a closed network): it gets its
   * manifest where it is, after the same layout check; one that has a manifest is only checked.
   */
  private async adopt(dir: string, options: ImportOptions): Promise<ImportedModel> {
    const name = basename(dir);
    if (!modelNamePattern.test(name)) throw new ModelStoreError('MODEL_NAME_INVALID', `"${name}" cannot be a model name (letters, digits, ".", "_" or "-"); rename the folder.`);
    const existing = await sourceManifest(dir, dir);
    if (existing) {
      const problems = await verifyFiles(dir, existing.files);
      if (problems.length > 0) throw new ModelStoreError('MODEL_SOURCE_INVALID', `${name} is in the models folder already but does not match its manifest: ${describeProblems(problems)}. Copy it again from a good source.`, problems.map((problem) => problem.path));
      return { ...(await this.describe(name, dir)), skippedFiles: [] };
    }
    // Nothing is deleted from a folder someone put there by hand; unused files are only left out of the manifest.
    const { keep, skipped } = planFiles(await listFiles(dir), null, dir);
    await writeManifest(dir, {
      name,
      engine: 'whisper',
      description: options.description ?? `Whisper model placed in ${this.modelsDir}`,
      licence: options.licence ?? 'unknown: installed without a manifest; check the licence where the model came from',
      source: `copied into ${dir}`,
      files: await describeFiles(dir, keep),
      createdAt: this.now().toISOString(),
    }).catch((error: unknown) => {
      throw writeFailure(error, `write the manifest of ${name}`);
    });
    return { ...(await this.describe(name, dir)), skippedFiles: skipped };
  }

  /** Downloads a catalogue model from the model hub ($HF_ENDPOINT for a mirror), resuming an earlier partial download. */
  async fetch(name: string, options: FetchOptions = {}): Promise<InstalledModel> {
    const entry = this.catalogue.find((candidate) => candidate.name === name);
    if (!entry) {
      throw new ModelStoreError('MODEL_UNKNOWN', `"${name}" is not a model fetch knows. Known: ${this.catalogue.map((candidate) => candidate.name).join(', ')}. Any other model can be installed with \`models import\`.`);
    }
    const target = join(this.modelsDir, name);
    if (await stat(target).catch(() => null)) throw this.exists(name);

    const endpoint = (this.options.hubEndpoint ?? process.env.HF_ENDPOINT ?? defaultHubEndpoint).replace(/\/+$/, '');
    const repositoryUrl = `${endpoint}/${entry.repository}`;
    const source = `${repositoryUrl} (revision ${entry.revision})`;
    const staging = join(this.modelsDir, `${fetchPrefix}${name}`);
    await this.prepareFetchFolder(staging, source);

    const token = process.env.HF_TOKEN;
    for (const file of entry.files) {
      const destination = join(staging, file);
      const done = await stat(destination).catch(() => null);
      if (done?.isFile()) {
        // Finished by an earlier run (files are renamed into place only when complete).
        options.onProgress?.(done.size, done.size, file);
        continue;
      }
      await mkdir(dirname(destination), { recursive: true }).catch((error: unknown) => {
        throw writeFailure(error, `write into ${this.modelsDir}`);
      });
      await downloadFile({
        url: `${repositoryUrl}/resolve/${encodeURIComponent(entry.revision)}/${file.split('/').map(encodeURIComponent).join('/')}`,
        target: destination,
        label: file,
        signal: options.signal,
        onProgress: options.onProgress,
        attempts: this.options.downloadAttempts ?? 4,
        retryDelayMs: this.options.retryDelayMs ?? 2_000,
        headers: token ? { Authorization: `Bearer ${token}` } : undefined,
      });
    }

    const layout = checkLayout(entry.engine, entry.files);
    if (!layout.ok) throw new ModelStoreError('MODEL_FETCH_FAILED', `The catalogue entry for ${name} is incomplete. ${layout.message}`, layout.missing);
    await rm(join(staging, fetchSourceFile), { force: true });
    await writeManifest(staging, {
      name,
      engine: entry.engine,
      description: entry.description,
      licence: entry.licence,
      source,
      files: await describeFiles(staging, entry.files),
      createdAt: this.now().toISOString(),
    }).catch((error: unknown) => {
      throw writeFailure(error, `write the manifest into ${this.modelsDir}`);
    });
    await this.finish(staging, target, name);
    return this.describe(name, target);
  }

  /** Keeps an earlier partial download only if it came from the same repository and revision. */
  private async prepareFetchFolder(staging: string, source: string): Promise<void> {
    const recorded = await readFile(join(staging, fetchSourceFile), 'utf8').catch(() => null);
    if (recorded !== null && recorded !== source) await rm(staging, { recursive: true, force: true });
    try {
      await mkdir(staging, { recursive: true });
      await writeFile(join(staging, fetchSourceFile), source);
    } catch (error) {
      throw writeFailure(error, `create a download folder in ${this.modelsDir}`);
    }
  }

  private async findModelRoot(extracted: string): Promise<string> {
    const top = (await readdir(extracted)).filter((entry) => !isHidden(entry));
    const looksLikeModel = top.includes(manifestFileName) || top.includes('config.json');
    if (looksLikeModel) return extracted;
    if (top.length === 1 && (await stat(join(extracted, top[0]!))).isDirectory()) return join(extracted, top[0]!);
    throw new ModelStoreError('MODEL_SOURCE_INVALID', `The archive holds neither a model folder nor a single folder with one inside (found: ${top.join(', ') || 'nothing'}).`);
  }

  private async makeWorkFolder(prefix: string): Promise<string> {
    try {
      await mkdir(this.modelsDir, { recursive: true });
      return await mkdtemp(join(this.modelsDir, prefix));
    } catch (error) {
      throw writeFailure(error, `create a work folder in ${this.modelsDir}`);
    }
  }

  private async finish(from: string, target: string, name: string): Promise<void> {
    try {
      await rename(from, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw this.exists(name);
      throw writeFailure(error, `install ${name} into ${this.modelsDir}`);
    }
  }

  private exists(name: string): ModelStoreError {
    return new ModelStoreError(
      'MODEL_EXISTS',
      `A model named ${name} is installed already in ${this.modelsDir}; nothing was changed. Check it with \`models verify ${name}\`, or install under another name (--name), or delete its folder first.`,
    );
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
