import type { SpeechEngineName } from '../../../contract';
import { engineLayouts } from './engine-layout';

/** A model `models fetch NAME` knows how to download from the model hub. */
export interface CatalogueEntry {
  name: string;
  engine: SpeechEngineName;
  /** Hub repository, owner/name. */
  repository: string;
  /** Branch, tag or commit of the repository. */
  revision: string;
  /** Paths inside the repository; exactly what the engine loads, nothing more. */
  files: string[];
  description: string;
  licence: string;
}

const whisperLicence = 'MIT (OpenAI Whisper weights; ONNX conversion by the onnx-community on Hugging Face)';
const [fullPrecision, quantised] = engineLayouts.whisper.variants;
const whisperFiles = (variant: typeof fullPrecision) => [...engineLayouts.whisper.configFiles, ...(variant?.files ?? [])];

/**
 * Multilingual Whisper models converted for transformers.js. Tiny and base come in full precision
 * (small enough, and the most accurate); small comes 8-bit quantised, which keeps its download near
 * 250 MB and its speed usable on a laptop CPU.
 */
export const modelCatalogue: CatalogueEntry[] = [
  {
    name: 'whisper-tiny',
    engine: 'whisper',
    repository: 'onnx-community/whisper-tiny',
    revision: 'main',
    files: whisperFiles(fullPrecision),
    description: 'Whisper tiny (39M parameters, multilingual): fastest, least accurate; for slow machines and trials.',
    licence: whisperLicence,
  },
  {
    name: 'whisper-base',
    engine: 'whisper',
    repository: 'onnx-community/whisper-base',
    revision: 'main',
    files: whisperFiles(fullPrecision),
    description: 'Whisper base (74M parameters, multilingual): the default for live calls on a 4-core laptop.',
    licence: whisperLicence,
  },
  {
    name: 'whisper-small',
    engine: 'whisper',
    repository: 'onnx-community/whisper-small',
    revision: 'main',
    files: whisperFiles(quantised),
    description: 'Whisper small (244M parameters, multilingual, 8-bit quantised): more accurate, needs a fast CPU to follow a call.',
    licence: whisperLicence,
  },
];
