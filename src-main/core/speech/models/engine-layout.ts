import type { SpeechEngineName } from '../../../contract';

/** One set of weights an engine can load, e.g. Whisper in full precision or 8-bit quantised. */
export interface WeightsVariant {
  /** transformers.js's dtype for these files. */
  dtype: 'fp32' | 'q8';
  files: string[];
}

export interface EngineLayout {
  /** Configuration and tokenizer files, needed whatever the weights. */
  configFiles: string[];
  /** Weight sets in order of preference: the first one present is loaded. */
  variants: WeightsVariant[];
}

/**
 * What transformers.js v4 reads for Whisper on the CPU: the encoder and the merged decoder (with its
 * key/value cache), in full precision or quantised (`*_quantized.onnx`, transformers.js's "q8").
 */
export const engineLayouts: Record<SpeechEngineName, EngineLayout> = {
  whisper: {
    configFiles: ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'],
    variants: [
      { dtype: 'fp32', files: ['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx'] },
      { dtype: 'q8', files: ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx'] },
    ],
  },
};

export type LayoutCheck =
  | { ok: true; variant: WeightsVariant; neededFiles: string[] }
  | { ok: false; missing: string[]; message: string };

/** Whether a set of relative file paths holds everything `engine` needs, and which weights it would load. */
export function checkLayout(engine: SpeechEngineName, files: Iterable<string>): LayoutCheck {
  const present = new Set(files);
  const layout = engineLayouts[engine];
  const missingConfig = layout.configFiles.filter((file) => !present.has(file));
  const variant = layout.variants.find((candidate) => candidate.files.every((file) => present.has(file)));
  if (missingConfig.length === 0 && variant) return { ok: true, variant, neededFiles: [...layout.configFiles, ...variant.files] };
  // Name the weights of the most complete variant, so the message points at what is really absent.
  const closest = [...layout.variants].sort((a, b) => b.files.filter((file) => present.has(file)).length - a.files.filter((file) => present.has(file)).length)[0];
  const missing = [...missingConfig, ...(variant ? [] : (closest?.files ?? []).filter((file) => !present.has(file)))];
  const weights = layout.variants.map((candidate) => candidate.files.join(' + ')).join(', or ');
  return {
    ok: false,
    missing,
    message: `A ${engine} model folder needs ${layout.configFiles.join(', ')} and the weights (${weights}); missing: ${missing.join(', ')}.`,
  };
}
