import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../../../../src-main/core/speech/models/model-manifest';
import { ModelStore } from '../../../../../src-main/core/speech/models/model-store';
import { tarArchive, tarEntry } from './tar-builder';
import { expectStoreError } from '../../../../support/model-store-errors';

// The store never loads weights, so these folders hold the right file names with made-up bytes;
// the engine's own tests load a real (tiny) model.
const modelFiles: Record<string, string> = {
  'config.json': '{"model_type":"whisper"}',
  'generation_config.json': '{"max_length":448}',
  'preprocessor_config.json': '{"feature_size":80}',
  'tokenizer.json': '{"model":{}}',
  'tokenizer_config.json': '{"tokenizer_class":"WhisperTokenizer"}',
  'onnx/encoder_model.onnx': 'encoder weights '.repeat(200),
  'onnx/decoder_model_merged.onnx': 'decoder weights '.repeat(300),
};

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

let root: string;
let modelsDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-store-'));
  modelsDir = join(root, 'models');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeFolder(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** A model folder as a hub download leaves it: what the engine needs, other weight variants, a model card, git's hidden files. */
async function sourceFolder(name = 'my-whisper', extra: Record<string, string> = {}): Promise<string> {
  return writeFolder(join(root, 'source', name), {
    ...modelFiles,
    'onnx/encoder_model_fp16.onnx': 'half precision',
    'README.md': '# whisper',
    '.gitattributes': '*.onnx filter=lfs',
    ...extra,
  });
}

/** What is in the models folder, work folders included: a failed install must leave it as it was. */
async function modelsFolderContents(): Promise<string[]> {
  return existsSync(modelsDir) ? (await readdir(modelsDir)).sort() : [];
}

describe('ModelStore.import from a folder', () => {
  it('installs a folder without a manifest, writing one with each file sha256 and leaving out what the engine does not load', async () => {
    const store = new ModelStore(modelsDir, { now: () => new Date('2025-03-01T08:00:00Z') });
    const imported = await store.import(await sourceFolder());

    expect(imported.name).toBe('my-whisper');
    expect(imported.problem).toBeNull();
    expect(imported.skippedFiles).toEqual(['onnx/encoder_model_fp16.onnx']);
    const manifest = imported.manifest!;
    expect(manifest.engine).toBe('whisper');
    expect(manifest.createdAt).toBe('2025-03-01T08:00:00.000Z');
    expect(manifest.source).toContain('imported from');
    expect(manifest.licence).toMatch(/unknown/);
    expect(manifest.files.map((file) => file.path).sort()).toEqual([...Object.keys(modelFiles), 'README.md'].sort());
    const encoder = manifest.files.find((file) => file.path === 'onnx/encoder_model.onnx')!;
    expect(encoder.sha256).toBe(sha256(modelFiles['onnx/encoder_model.onnx']!));
    expect(encoder.bytes).toBe(Buffer.byteLength(modelFiles['onnx/encoder_model.onnx']!));
    expect(existsSync(join(modelsDir, 'my-whisper', 'onnx', 'encoder_model_fp16.onnx'))).toBe(false);
    expect(existsSync(join(modelsDir, 'my-whisper', '.gitattributes'))).toBe(false);
    expect((await readManifest(join(modelsDir, 'my-whisper'))).ok).toBe(true);
    expect(await store.verify('my-whisper')).toEqual({ ok: true, problems: [] });
    expect(await modelsFolderContents()).toEqual(['my-whisper']);
  });

  it('installs under the name asked for, with the licence given', async () => {
    const store = new ModelStore(modelsDir);
    const imported = await store.import(await sourceFolder(), { name: 'whisper-base', licence: 'MIT' });
    expect(imported.name).toBe('whisper-base');
    expect(imported.manifest?.name).toBe('whisper-base');
    expect(imported.manifest?.licence).toBe('MIT');
    expect((await store.list()).map((model) => model.name)).toEqual(['whisper-base']);
  });

  it('accepts a folder holding only the quantised weights', async () => {
    const files = { ...modelFiles };
    delete files['onnx/encoder_model.onnx'];
    delete files['onnx/decoder_model_merged.onnx'];
    await writeFolder(join(root, 'quantised'), { ...files, 'onnx/encoder_model_quantized.onnx': 'q8 encoder', 'onnx/decoder_model_merged_quantized.onnx': 'q8 decoder' });
    const imported = await new ModelStore(modelsDir).import(join(root, 'quantised'));
    expect(imported.manifest?.files.map((file) => file.path)).toContain('onnx/decoder_model_merged_quantized.onnx');
  });

  it('refuses a folder that lacks a file the engine needs, naming it, and installs nothing', async () => {
    const source = await sourceFolder();
    await rm(join(source, 'tokenizer.json'));
    const error = await expectStoreError(new ModelStore(modelsDir).import(source), 'MODEL_SOURCE_INVALID');
    expect(error.files).toEqual(['tokenizer.json']);
    expect(error.message).toContain('tokenizer.json');
    expect(await modelsFolderContents()).toEqual([]);
  });

  it('checks a folder with a manifest against it and refuses a damaged copy', async () => {
    const store = new ModelStore(join(root, 'first-machine'));
    const installed = await store.import(await sourceFolder());
    // The installed folder, carried to another machine, where one file got damaged on the way.
    const damaged = join(installed.dir, 'onnx', 'decoder_model_merged.onnx');
    const bytes = await readFile(damaged);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(damaged, bytes);

    const error = await expectStoreError(new ModelStore(modelsDir).import(installed.dir), 'MODEL_SOURCE_INVALID');
    expect(error.files).toEqual(['onnx/decoder_model_merged.onnx']);
    expect(error.message).toContain('sha256 differs');
    expect(await modelsFolderContents()).toEqual([]);
  });

  it('copies exactly the files a manifest lists, keeping its licence and source', async () => {
    const first = new ModelStore(join(root, 'first-machine'));
    const installed = await first.import(await sourceFolder(), { licence: 'MIT' });
    await writeFile(join(installed.dir, 'notes.txt'), 'not in the manifest');

    const copied = await new ModelStore(modelsDir).import(installed.dir, { name: 'copied' });
    expect(copied.manifest?.licence).toBe('MIT');
    expect(copied.manifest?.source).toBe(installed.manifest?.source);
    expect(copied.manifest?.files).toEqual(installed.manifest?.files);
    expect(existsSync(join(copied.dir, 'notes.txt'))).toBe(false);
  });

  it('refuses a second model of the same name and leaves the first alone', async () => {
    const store = new ModelStore(modelsDir);
    await store.import(await sourceFolder());
    const error = await expectStoreError(store.import(await sourceFolder('my-whisper', { 'README.md': 'changed' })), 'MODEL_EXISTS');
    expect(error.message).toContain('--name');
    expect(await readFile(join(modelsDir, 'my-whisper', 'README.md'), 'utf8')).toBe('# whisper');
    expect(await modelsFolderContents()).toEqual(['my-whisper']);
  });

  it('gives a folder copied straight into the models folder its manifest where it is', async () => {
    const placed = await writeFolder(join(modelsDir, 'whisper-base'), { ...modelFiles, 'onnx/encoder_model_int8.onnx': 'other variant' });
    const store = new ModelStore(modelsDir);
    expect((await store.list())[0]!.problem).toBe('no manifest.json');

    const adopted = await store.import(placed);
    expect(adopted.dir).toBe(placed);
    expect(adopted.problem).toBeNull();
    expect(adopted.skippedFiles).toEqual(['onnx/encoder_model_int8.onnx']);
    expect(await store.verify('whisper-base')).toEqual({ ok: true, problems: [] });
    expect(await modelsFolderContents()).toEqual(['whisper-base']);
    // Importing it again only checks it.
    expect((await store.import(placed)).manifest).toEqual(adopted.manifest);
  });

  it('reports a source that does not exist', async () => {
    const error = await expectStoreError(new ModelStore(modelsDir).import(join(root, 'nowhere')), 'MODEL_SOURCE_MISSING');
    expect(error.message).toContain(join(root, 'nowhere'));
  });

  it('refuses a name that could be a path', async () => {
    await expectStoreError(new ModelStore(modelsDir).import(await sourceFolder(), { name: '../outside' }), 'MODEL_NAME_INVALID');
    expect(existsSync(join(root, 'outside'))).toBe(false);
  });
});

describe('ModelStore.import from an archive', () => {
  it('installs a .tar.gz made with tar from the model folder', async () => {
    const source = await sourceFolder('whisper-base');
    const archive = join(root, 'whisper-base.tgz');
    execFileSync('tar', ['-czf', archive, '-C', dirname(source), 'whisper-base']);
    const imported = await new ModelStore(modelsDir).import(archive);
    expect(imported.name).toBe('whisper-base');
    expect(imported.problem).toBeNull();
    expect(await readFile(join(imported.dir, 'onnx', 'encoder_model.onnx'), 'utf8')).toBe(modelFiles['onnx/encoder_model.onnx']);
    expect(await modelsFolderContents()).toEqual(['whisper-base']);
  });

  it('installs a plain .tar of the folder contents, named after the archive', async () => {
    const source = await sourceFolder();
    const archive = join(root, 'clinic-model.tar');
    execFileSync('tar', ['-cf', archive, '-C', source, '.']);
    const imported = await new ModelStore(modelsDir).import(archive);
    expect(imported.name).toBe('clinic-model');
    expect(await new ModelStore(modelsDir).verify('clinic-model')).toEqual({ ok: true, problems: [] });
  });

  it('keeps long file names (GNU and pax headers)', async () => {
    const longName = `${'long-model-card-name-'.repeat(6)}.md`;
    const source = await sourceFolder('long-names', { [longName]: 'card' });
    for (const format of ['gnu', 'pax']) {
      const archive = join(root, `long-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', archive, '-C', dirname(source), 'long-names']);
      const imported = await new ModelStore(modelsDir).import(archive, { name: `long-${format}` });
      expect(await readFile(join(imported.dir, longName), 'utf8')).toBe('card');
    }
  });

  it('refuses an archive with a path leading out of its folder, writing nothing anywhere', async () => {
    const entries = Object.entries(modelFiles).map(([path, content]) => tarEntry(`model/${path}`, content));
    const archive = join(root, 'hostile.tar.gz');
    await writeFile(archive, gzipSync(tarArchive([...entries, tarEntry('model/../../escaped.txt', 'gotcha')])));
    const error = await expectStoreError(new ModelStore(modelsDir).import(archive), 'MODEL_ARCHIVE_UNSAFE');
    expect(error.files).toEqual(['model/../../escaped.txt']);
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(modelsDir, 'escaped.txt'))).toBe(false);
    expect(await modelsFolderContents()).toEqual([]);
  });

  it('refuses absolute paths and links', async () => {
    const base = Object.entries(modelFiles).map(([path, content]) => tarEntry(path, content));
    const hostile = [
      tarEntry('/etc/cron.d/model', 'x'),
      tarEntry('link-to-passwd', '', { type: '2', linkTarget: '/etc/passwd' }),
      tarEntry('hard-link', '', { type: '1', linkTarget: 'config.json' }),
    ];
    for (const [index, entry] of hostile.entries()) {
      const archive = join(root, `hostile-${index}.tar`);
      await writeFile(archive, tarArchive([...base, entry]));
      await expectStoreError(new ModelStore(modelsDir).import(archive, { name: `hostile-${index}` }), 'MODEL_ARCHIVE_UNSAFE');
    }
    expect(await modelsFolderContents()).toEqual([]);
  });

  it('reports a truncated archive and a file that is not an archive', async () => {
    const source = await sourceFolder();
    const archive = join(root, 'cut.tar');
    execFileSync('tar', ['-cf', archive, '-C', source, '.']);
    await truncate(archive, 3_000);
    const cut = await expectStoreError(new ModelStore(modelsDir).import(archive), 'MODEL_SOURCE_INVALID');
    expect(cut.message).toMatch(/truncated/);

    const notArchive = join(root, 'model.zip');
    await writeFile(notArchive, 'PK\u0003\u0004 this is a zip file, not a tar archive'.repeat(20));
    const wrong = await expectStoreError(new ModelStore(modelsDir).import(notArchive), 'MODEL_SOURCE_INVALID');
    expect(wrong.message).toMatch(/not a tar archive/);
    expect(await modelsFolderContents()).toEqual([]);
  });
});

describe('ModelStore.list and verify', () => {
  it('lists nothing when the models folder does not exist yet', async () => {
    expect(await new ModelStore(modelsDir).list()).toEqual([]);
  });

  it('lists a folder with a broken manifest with its problem, beside the good ones', async () => {
    const store = new ModelStore(modelsDir);
    await store.import(await sourceFolder());
    await writeFolder(join(modelsDir, 'broken'), { ...modelFiles, 'manifest.json': '{"name": "broken", "files": [' });
    await writeFolder(join(modelsDir, 'no-manifest'), modelFiles);

    const listed = await store.list();
    expect(listed.map((model) => [model.name, model.manifest !== null])).toEqual([
      ['broken', false],
      ['my-whisper', true],
      ['no-manifest', false],
    ]);
    expect(listed[0]!.problem).toMatch(/not valid JSON/);
    expect(listed[1]!.problem).toBeNull();
    expect(listed[2]!.problem).toBe('no manifest.json');
    await expectStoreError(store.verify('broken'), 'MODEL_MANIFEST_INVALID');
  });

  it('names each file that is missing, cut short or altered', async () => {
    const store = new ModelStore(modelsDir);
    const { dir } = await store.import(await sourceFolder());
    await rm(join(dir, 'tokenizer.json'));
    await truncate(join(dir, 'onnx', 'decoder_model_merged.onnx'), 100);
    const encoder = join(dir, 'onnx', 'encoder_model.onnx');
    const bytes = await readFile(encoder);
    bytes[0] = bytes[0]! ^ 0x01;
    await writeFile(encoder, bytes);

    const result = await store.verify('my-whisper');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: 'tokenizer.json', issue: 'missing' },
        { path: 'onnx/encoder_model.onnx', issue: 'sha256' },
        { path: 'onnx/decoder_model_merged.onnx', issue: 'size' },
      ]),
    );
    expect(result.problems).toHaveLength(3);
    // Listing (no hashing) already sees the missing and short files.
    const [listed] = await store.list();
    expect(listed!.problem).toContain('tokenizer.json (missing)');
    expect(listed!.problem).toContain('onnx/decoder_model_merged.onnx (wrong size)');
  });

  it('still catches a file changed since an earlier check when trusting unchanged files', async () => {
    const store = new ModelStore(modelsDir);
    const { dir } = await store.import(await sourceFolder());
    expect(await store.verify('my-whisper')).toEqual({ ok: true, problems: [] });
    expect(await store.verify('my-whisper', { trustUnchanged: true })).toEqual({ ok: true, problems: [] });
    const encoder = join(dir, 'onnx', 'encoder_model.onnx');
    const bytes = await readFile(encoder);
    bytes[5] = bytes[5]! ^ 0x20;
    await writeFile(encoder, bytes);
    expect(await store.verify('my-whisper', { trustUnchanged: true })).toEqual({ ok: false, problems: [{ path: 'onnx/encoder_model.onnx', issue: 'sha256' }] });
  });

  it('reports an unknown model name with what is installed', async () => {
    const store = new ModelStore(modelsDir);
    await store.import(await sourceFolder());
    const error = await expectStoreError(store.verify('whisper-large'), 'MODEL_NOT_FOUND');
    expect(error.message).toContain('my-whisper');
  });

  it('ignores the work folders of an import or fetch that is under way or was interrupted', async () => {
    const store = new ModelStore(modelsDir);
    await store.import(await sourceFolder());
    await writeFolder(join(modelsDir, '.fetching-whisper-base'), { 'config.json': '{}' });
    expect((await store.list()).map((model) => model.name)).toEqual(['my-whisper']);
  });
});
