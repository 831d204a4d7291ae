import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { positionalArguments, readFlag, resolveModelsDir } from '../core/config';
import { transcribeFile, type FileSegment } from '../core/speech/file-transcriber';
import { ModelStore, type InstalledModel } from '../core/speech/models/model-store';
import { launchNodeSpeechWorker } from '../core/speech/worker/node-speech-worker';

const speakerNames = { caller: '来电人 caller', operator: '话务员 operator' } as const;

/** 83456 → "00:01:23.46" */
export function formatClock(milliseconds: number): string {
  const totalCentiseconds = Math.round(milliseconds / 10);
  const hours = Math.floor(totalCentiseconds / 360_000);
  const minutes = Math.floor((totalCentiseconds % 360_000) / 6_000);
  const seconds = Math.floor((totalCentiseconds % 6_000) / 100);
  const centiseconds = totalCentiseconds % 100;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(centiseconds)}`;
}

function formatSegment(segment: FileSegment): string {
  const confidence = segment.confidence === null ? '' : `  (${segment.confidence.toFixed(2)})`;
  return `[${formatClock(segment.startMs)} – ${formatClock(segment.endMs)}] ${speakerNames[segment.speaker]}  ${segment.text}${confidence}`;
}

/** The model a one-off command uses: the one named, else the first installed one that is complete. */
async function chooseModel(store: ModelStore, name: string | undefined): Promise<InstalledModel> {
  const installed = await store.list();
  if (name) {
    const named = installed.find((model) => model.name === name);
    if (!named) throw new Error(`No speech model "${name}" in ${store.modelsDir}. Installed: ${installed.map((model) => model.name).join(', ') || 'none'}.`);
    return named;
  }
  const usable = installed.find((model) => model.manifest && !model.problem);
  if (!usable) {
    throw new Error(
      `No speech model is installed in ${store.modelsDir}. On a machine with internet: hotline-console models fetch whisper-base; ` +
        'on a closed network: copy that folder over and run hotline-console models import FOLDER.',
    );
  }
  return usable;
}

export async function transcribeCommand(argv: string[], path: string | undefined): Promise<number> {
  if (!path) {
    console.error('Usage: hotline-console transcribe FILE [--json] [--model NAME] [--models-dir DIR]');
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`Nothing at ${path}.`);
    return 2;
  }
  const json = argv.includes('--json');
  const store = new ModelStore(resolveModelsDir(argv));
  const model = await chooseModel(store, readFlag(argv, 'model'));
  const transcript = await transcribeFile(path, {
    modelDir: model.dir,
    launchWorker: launchNodeSpeechWorker,
    // Text appears as it is recognised, not only at the end of a long file.
    onSegment: json ? undefined : (segment) => console.log(formatSegment(segment)),
  });
  const { file } = transcript;
  if (json) {
    console.log(JSON.stringify({ file: { name: basename(path), ...file }, model: transcript.modelName, segments: transcript.segments }, null, 2));
  } else {
    const duration = file.durationMs === null ? 'unknown length' : formatClock(file.durationMs);
    console.log(
      `\n${basename(path)}: ${file.format}, ${file.channels} channel(s), ${file.sourceSampleRate} Hz, ${duration}; ` +
        `${transcript.segments.length} segment(s) by ${transcript.modelName} in ${(transcript.elapsedMs / 1000).toFixed(1)} s`,
    );
    if (file.channels > 2) console.log('Only the first two channels were transcribed (left: caller, right: operator).');
  }
  return 0;
}

function describeModel(model: InstalledModel): string {
  if (!model.manifest) return `${model.name}  (not usable: ${model.problem ?? 'no manifest'})`;
  const megabytes = model.manifest.files.reduce((total, file) => total + file.bytes, 0) / 2 ** 20;
  return `${model.name}  ${model.manifest.engine}  ${megabytes.toFixed(1)} MB  ${model.manifest.licence}  from ${model.manifest.source}${model.problem ? `  (problem: ${model.problem})` : ''}`;
}

export async function modelsCommand(argv: string[]): Promise<number> {
  const [action, target] = positionalArguments(argv);
  const store = new ModelStore(resolveModelsDir(argv));
  switch (action) {
    case 'list': {
      const installed = await store.list();
      console.log(`models folder: ${store.modelsDir}`);
      if (installed.length === 0) console.log('  none installed (hotline-console models fetch whisper-base, or models import FOLDER)');
      for (const model of installed) console.log(`  ${describeModel(model)}`);
      return 0;
    }
    case 'verify': {
      const names = target ? [target] : (await store.list()).map((model) => model.name);
      let failed = 0;
      for (const name of names) {
        const result = await store.verify(name);
        if (result.ok) console.log(`${name}: every file matches its sha256`);
        else {
          failed += 1;
          console.log(`${name}: ${result.problems.length} problem(s)`);
          for (const problem of result.problems) console.log(`  ${problem.path}: ${problem.issue === 'missing' ? 'missing' : problem.issue === 'size' ? 'wrong size' : 'sha256 differs'}`);
        }
      }
      if (failed > 0) console.log('Re-import or re-fetch a model whose files do not match: a damaged model is never loaded.');
      return failed > 0 ? 1 : 0;
    }
    case 'import': {
      if (!target) {
        console.error('Usage: hotline-console models import FOLDER|ARCHIVE [--name NAME]');
        return 2;
      }
      const model = await store.import(target, { name: readFlag(argv, 'name') });
      console.log(`installed ${describeModel(model)}`);
      return 0;
    }
    case 'fetch': {
      if (!target) {
        console.error('Usage: hotline-console models fetch NAME   (e.g. whisper-base; HF_ENDPOINT selects a mirror)');
        return 2;
      }
      let lastReport = 0;
      const model = await store.fetch(target, {
        onProgress: (done, total, file) => {
          if (performance.now() - lastReport < 1000) return;
          lastReport = performance.now();
          const share = total ? ` (${((done / total) * 100).toFixed(0)}%)` : '';
          process.stderr.write(`  ${file}: ${(done / 2 ** 20).toFixed(1)} MB${share}\n`);
        },
      });
      console.log(`installed ${describeModel(model)}`);
      return 0;
    }
    default:
      console.error('Usage: hotline-console models list | verify [NAME] | import FOLDER|ARCHIVE | fetch NAME  [--models-dir DIR]');
      return 2;
  }
}
