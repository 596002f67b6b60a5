import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  BACKEND_PACKAGES,
  type BackendPlugin,
  getBackend,
  type KernelBackend,
  loadModel,
  registerBackendPlugin,
  registeredBackends,
} from '@distilbert/core';
import { type HubOptions, openRepo } from '@distilbert/hub';
import { BertTokenizer } from '@distilbert/tokenizer';
import { PipelineError } from './errors.js';
import { DEFAULT_MODELS, TASK_ALIASES, TASK_ARCHITECTURES, TASKS, type Task } from './tasks/defaults.js';
import { FeatureExtractionPipeline } from './tasks/FeatureExtractionPipeline.js';
import { FillMaskPipeline } from './tasks/FillMaskPipeline.js';
import type { Pipeline, PipelineRuntimeOptions } from './tasks/Pipeline.js';
import { QuestionAnsweringPipeline } from './tasks/QuestionAnsweringPipeline.js';
import { TextClassificationPipeline } from './tasks/TextClassificationPipeline.js';
import { TokenClassificationPipeline } from './tasks/TokenClassificationPipeline.js';
import { ZeroShotClassificationPipeline } from './tasks/ZeroShotClassificationPipeline.js';
import type { ModelLike, TokenizerLike } from './types.js';

export interface TaskPipelines {
  'fill-mask': FillMaskPipeline;
  'feature-extraction': FeatureExtractionPipeline;
  'text-classification': TextClassificationPipeline;
  'sentiment-analysis': TextClassificationPipeline;
  'token-classification': TokenClassificationPipeline;
  ner: TokenClassificationPipeline;
  'question-answering': QuestionAnsweringPipeline;
  'zero-shot-classification': ZeroShotClassificationPipeline;
}

export type TaskName = keyof TaskPipelines;

export interface PipelineOptions extends PipelineRuntimeOptions {
  /** Backend name ('cpu' default, 'gpu', 'onnx', 'reference', a package name) or an instance. */
  backend?: string | KernelBackend;
  /** Branch, tag or commit of a Hub model. */
  revision?: string;
  /** Weight precision to load: 'fp32' (model.safetensors, default), 'fp16' or 'bf16' (model.<dtype>.safetensors). */
  dtype?: 'fp32' | 'fp16' | 'bf16';
  /** Weight file to load, overriding `dtype`. */
  weights?: string;
  /** Download progress per file. */
  onProgress?: HubOptions['onProgress'];
  cacheDir?: string;
  token?: string;
  offline?: boolean;
  /**
   * fill-mask with no model given: when the default model can be neither downloaded nor found in the cache,
   * use the small random-weight checkpoint shipped in this package and say so on stderr. Default true.
   */
  offlineFallback?: boolean;
  /** Where the fallback banner goes (default: stderr). */
  onFallback?: (banner: string) => void;
}

/** A task pipeline as a function (Python's `pipe(...)`), with its parts attached. */
export type PipelineFunction<P extends Pipeline & { call: (...args: never[]) => unknown }> =
  OmitThisParameter<P['call']> & {
    readonly task: string;
    readonly model: ModelLike;
    readonly tokenizer: TokenizerLike;
    /** The model id or folder actually loaded (the shipped test checkpoint after a fallback). */
    readonly modelId: string;
    readonly usedFallback: boolean;
    readonly pipeline: P;
    dispose(): void;
  };

/** Folder of the random-weight test checkpoint shipped with this package. */
export const FALLBACK_MODEL_DIR = fileURLToPath(new URL('../assets/tiny-distilbert-mlm/', import.meta.url));

// Hub error codes meaning "could not get it": the only cases where the shipped checkpoint stands in.
const UNREACHABLE = new Set(['NETWORK_ERROR', 'OFFLINE_NOT_CACHED', 'NOT_IMPLEMENTED']);

/**
 * Python's `pipeline(task, model)`: loads the tokenizer and the model with the task's head on the chosen
 * backend, and returns the task as a function.
 *
 * ```ts
 * const unmasker = await pipeline('fill-mask', 'distilbert-base-uncased');
 * await unmasker("Hello I'm a [MASK] model.");
 * ```
 */
export async function pipeline<T extends TaskName>(
  task: T,
  model?: string,
  options: PipelineOptions = {},
): Promise<PipelineFunction<TaskPipelines[T]>> {
  const resolved = resolveTask(task);
  const backend = await resolveBackend(options.backend);
  let modelId = model ?? DEFAULT_MODELS[resolved];
  const hub: HubOptions = {
    revision: options.revision,
    cacheDir: options.cacheDir,
    token: options.token,
    offline: options.offline,
    onProgress: options.onProgress,
  };
  let usedFallback = false;
  let configPath: string;
  try {
    configPath = await (await openRepo(modelId, hub)).path('config.json');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const canFallBack =
      model === undefined &&
      resolved === 'fill-mask' &&
      options.offlineFallback !== false &&
      UNREACHABLE.has(code);
    if (!canFallBack) throw error;
    (options.onFallback ?? ((b: string) => process.stderr.write(b)))(fallbackBanner(modelId, error as Error));
    modelId = FALLBACK_MODEL_DIR;
    usedFallback = true;
    configPath = await (await openRepo(modelId)).path('config.json');
  }
  if (resolved === 'text-classification' || resolved === 'token-classification') {
    await checkLabels(configPath);
  }
  const tokenizer = (await BertTokenizer.fromPretrained(
    modelId,
    usedFallback ? {} : hub,
  )) satisfies TokenizerLike;
  const weights =
    options.weights ??
    (options.dtype && options.dtype !== 'fp32' ? `model.${options.dtype}.safetensors` : undefined);
  const loaded = (await loadModel(modelId, {
    ...(usedFallback ? {} : hub),
    backend,
    weights,
    architecture: TASK_ARCHITECTURES[resolved],
  })) satisfies ModelLike;
  const instance = createTaskPipeline(resolved, loaded, tokenizer, options) as TaskPipelines[T];
  return asFunction(instance, modelId, usedFallback);
}

/** Wraps a task object as a callable with its parts attached. */
export function asFunction<P extends Pipeline & { call: (...args: never[]) => unknown }>(
  instance: P,
  modelId: string,
  usedFallback = false,
): PipelineFunction<P> {
  const fn = (instance.call as (...args: unknown[]) => unknown).bind(instance);
  return Object.assign(fn, {
    task: instance.task,
    model: instance.model,
    tokenizer: instance.tokenizer,
    modelId,
    usedFallback,
    pipeline: instance,
    dispose: () => instance.dispose(),
  }) as unknown as PipelineFunction<P>;
}

/** Builds a task object from an already loaded model and tokenizer. */
export function createTaskPipeline(
  task: Task,
  model: ModelLike,
  tokenizer: TokenizerLike,
  options: PipelineRuntimeOptions = {},
): Pipeline {
  switch (task) {
    case 'fill-mask':
      return new FillMaskPipeline(model, tokenizer, options);
    case 'feature-extraction':
      return new FeatureExtractionPipeline(model, tokenizer, options);
    case 'text-classification':
      return new TextClassificationPipeline(model, tokenizer, options);
    case 'token-classification':
      return new TokenClassificationPipeline(model, tokenizer, options);
    case 'question-answering':
      return new QuestionAnsweringPipeline(model, tokenizer, options);
    case 'zero-shot-classification':
      return new ZeroShotClassificationPipeline(model, tokenizer, options);
  }
}

export function resolveTask(task: string): Task {
  const resolved = TASK_ALIASES[task] ?? task;
  if (!(TASKS as readonly string[]).includes(resolved)) {
    throw new PipelineError(
      'UNKNOWN_TASK',
      `Unknown task '${task}'. Available tasks: ${[...TASKS, ...Object.keys(TASK_ALIASES)].join(', ')}.`,
    );
  }
  return resolved as Task;
}

/** The backend instance; the default is 'cpu', whose package must be installed. */
export async function resolveBackend(backend: string | KernelBackend | undefined): Promise<KernelBackend> {
  if (backend !== undefined && typeof backend === 'object') return backend;
  const name = backend ?? 'cpu';
  await registerFromHere(name);
  try {
    return await getBackend(name);
  } catch (error) {
    if (backend === undefined) {
      throw new PipelineError(
        'BACKEND',
        `The default backend 'cpu' is not available (${(error as Error).message}). Install it (npm install @distilbert/backend-cpu) or pass { backend: 'gpu' | 'onnx' | '<package>' }.`,
      );
    }
    throw error;
  }
}

// A backend package installed beside this one (e.g. with a global CLI install) may be invisible from core's
// folder under pnpm's strict layout: import it from here first. Failures are left for core to report.
async function registerFromHere(name: string): Promise<void> {
  if (name === 'reference' && !registeredBackends().includes(name)) {
    await import('@distilbert/core/testing'); // registers core's reference backend on import
    return;
  }
  const pkg = BACKEND_PACKAGES[name] ?? (name.startsWith('@') ? name : undefined);
  if (!pkg || registeredBackends().includes(name)) return;
  try {
    const mod = (await import(/* @vite-ignore */ pkg)) as {
      backend?: BackendPlugin;
      default?: BackendPlugin;
    };
    const plugin = mod.backend ?? mod.default;
    if (!plugin || typeof plugin.create !== 'function') return;
    registerBackendPlugin(plugin);
    if (plugin.name !== name) registerBackendPlugin({ ...plugin, name });
  } catch {
    // not installed here: getBackend tries core's own lookup and names the package to install
  }
}

async function checkLabels(configPath: string): Promise<void> {
  const raw = JSON.parse(await readFile(configPath, 'utf8')) as { id2label?: unknown };
  if (!raw.id2label || typeof raw.id2label !== 'object') {
    throw new PipelineError(
      'BAD_PIPELINE_MODEL',
      `${configPath} has no id2label, so the classifier's outputs have no names. Add "id2label" (and "label2id") to it, e.g. {"0": "NEGATIVE", "1": "POSITIVE"}.`,
    );
  }
}

export function fallbackBanner(modelId: string, error: Error): string {
  const line = '='.repeat(78);
  return [
    line,
    `WARNING: could not get '${modelId}' (${error.message.split('\n')[0]})`,
    'Using the RANDOM-WEIGHT test model shipped with @distilbert/pipelines instead.',
    'Its predictions are MEANINGLESS: it only shows that the code runs.',
    `To use the real model, run once with network access (it is then cached), or download`,
    `https://huggingface.co/${modelId} into a folder and pass --model <folder> (or set HF_HUB_CACHE).`,
    line,
    '',
  ].join('\n');
}
