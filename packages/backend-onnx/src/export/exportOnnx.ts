import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ArchitectureName, loadModel } from '@distilbert/core';
import { OnnxExportError } from '../errors.js';
import { OnnxBackend } from '../OnnxBackend.js';
import type { OutputName } from '../trace/traceModel.js';
import { type QuantizeOptions, quantizeInt8 } from './quantizeInt8.js';
import { writeModel } from './writeModel.js';

/** Files transformers.js (and Optimum) read next to the weights. */
export const COPIED_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'generation_config.json',
] as const;

export interface ExportOnnxOptions {
  /** A local model folder or a Hub id. */
  model: string;
  /** Output folder (transformers.js layout: config.json, tokenizer files, onnx/model.onnx). */
  outDir: string;
  /** Also write onnx/model_quantized.onnx with dynamic int8 linear layers. */
  quantize?: 'int8';
  /** Weight encoding of the int8 model (default 'symmetric' int8; see QuantizeOptions). */
  quantizeWeights?: QuantizeOptions['weights'];
  /** ONNX opset (default 17, the lowest with LayerNormalization). */
  opset?: number;
  /** Hub revision (branch, tag or commit). */
  revision?: string;
  /** Weight file in the repo (default model.safetensors, then pytorch_model.bin). */
  weights?: string;
  /** Class to export instead of config.architectures[0]. */
  architecture?: ArchitectureName;
  /** Graph outputs (default: logits — start_logits/end_logits for QA — or last_hidden_state for the bare model). */
  outputs?: readonly OutputName[];
  /** 'erf' (default: portable) or 'contrib' (com.microsoft Gelu; onnxruntime only). */
  gelu?: 'erf' | 'contrib';
  /** External weight data: 'auto' (default: only above 2 GB), true or false. */
  externalData?: 'auto' | boolean;
}

export interface ExportOnnxResult {
  /** Every file written. */
  files: string[];
  model: string;
  quantized?: string;
  architecture: ArchitectureName;
  inputs: string[];
  outputs: string[];
}

interface Hub {
  openRepo(id: string, o: object): Promise<{ optionalPath(f: string): Promise<string | null> }>;
}

// @distilbert/hub comes with core (which downloads the weights); it is found beside core when this package
// cannot see it directly (pnpm's strict layout).
async function importHub(model: string): Promise<Hub> {
  const specifier = '@distilbert/hub';
  try {
    return (await import(specifier)) as Hub;
  } catch {
    try {
      const core = import.meta.resolve('@distilbert/core');
      return (await import(pathToFileURL(createRequire(core).resolve(specifier)).href)) as Hub;
    } catch (cause) {
      throw new OnnxExportError(
        `'${model}' is not a local folder, and @distilbert/hub (needed for Hub ids) could not be loaded: ${String(cause)}. Install it or pass a local folder.`,
      );
    }
  }
}

// Hub ids need @distilbert/hub to find the tokenizer files; local folders do not.
async function fileResolver(
  model: string,
  revision: string | undefined,
): Promise<(f: string) => Promise<string | null>> {
  if (existsSync(model) && statSync(model).isDirectory()) {
    return async (f) => (existsSync(join(model, f)) ? join(model, f) : null);
  }
  const hub = await importHub(model);
  const repo = await hub.openRepo(model, { revision });
  return (f) => repo.optionalPath(f);
}

/**
 * `distilbert export-onnx`: exports a checkpoint to a transformers.js-layout folder — config.json, the
 * tokenizer files, onnx/model.onnx (opset 17, dynamic batch_size/sequence_length, int64 input_ids and
 * attention_mask) and, with `quantize: 'int8'`, onnx/model_quantized.onnx.
 */
export async function exportOnnx(options: ExportOnnxOptions): Promise<ExportOnnxResult> {
  const backend = new OnnxBackend();
  try {
    const model = await loadModel(options.model, {
      backend,
      revision: options.revision,
      weights: options.weights,
      architecture: options.architecture,
      onWarning: () => {},
    });
    const traced = await backend.trace(model, {
      outputs: options.outputs,
      opset: options.opset,
      gelu: options.gelu,
      inputType: 'int64',
    });
    const onnxDir = join(options.outDir, 'onnx');
    mkdirSync(onnxDir, { recursive: true });
    const files: string[] = [];
    const modelPath = join(onnxDir, 'model.onnx');
    files.push(...writeModel(traced.model, modelPath, { externalData: options.externalData }));
    let quantized: string | undefined;
    if (options.quantize === 'int8') {
      quantized = join(onnxDir, 'model_quantized.onnx');
      const q = quantizeInt8(traced.model, { weights: options.quantizeWeights });
      files.push(...writeModel(q, quantized, { externalData: options.externalData }));
    } else if (options.quantize !== undefined) {
      throw new OnnxExportError(`quantize '${String(options.quantize)}' is not supported; use 'int8'.`);
    }
    const find = await fileResolver(options.model, options.revision);
    for (const f of COPIED_FILES) {
      const src = await find(f);
      if (!src) continue;
      copyFileSync(src, join(options.outDir, f));
      files.push(join(options.outDir, f));
    }
    model.dispose();
    return {
      files,
      model: modelPath,
      quantized,
      architecture: model.architecture,
      inputs: traced.inputNames,
      outputs: traced.outputNames,
    };
  } finally {
    backend.dispose();
  }
}
