import { readFile } from 'node:fs/promises';
import { type HubOptions, openRepo } from '@distilbert/hub';
import type { KernelBackend } from '../backend/KernelBackend.js';
import { getBackend } from '../backend/registry.js';
import { DistilBertConfig } from '../config/DistilBertConfig.js';
import { ConfigError } from '../errors.js';
import type { Checkpoint } from '../weights/Checkpoint.js';
import { openRepoCheckpoint, WEIGHT_FILES } from '../weights/index.js';
import { StreamedSafetensors } from '../weights/StreamedSafetensors.js';
import { DistilBertModel } from './DistilBertModel.js';
import type {
  ArchitectureName,
  DistilBertPreTrainedModel,
  FromCheckpointOptions,
} from './DistilBertPreTrainedModel.js';
import { DistilBertForMaskedLM } from './heads/DistilBertForMaskedLM.js';
import { DistilBertForQuestionAnswering } from './heads/DistilBertForQuestionAnswering.js';
import { DistilBertForSequenceClassification } from './heads/DistilBertForSequenceClassification.js';
import { DistilBertForTokenClassification } from './heads/DistilBertForTokenClassification.js';

type FromCheckpoint = (
  config: DistilBertConfig,
  checkpoint: Checkpoint,
  backend: KernelBackend,
  options?: FromCheckpointOptions,
) => DistilBertPreTrainedModel;

/** The classes `loadModel` picks from `config.architectures` (AutoModel's mapping for DistilBERT). */
export const MODEL_CLASSES: Readonly<Record<ArchitectureName, FromCheckpoint>> = {
  DistilBertModel: DistilBertModel.fromCheckpoint,
  DistilBertForMaskedLM: DistilBertForMaskedLM.fromCheckpoint,
  DistilBertForSequenceClassification: DistilBertForSequenceClassification.fromCheckpoint,
  DistilBertForTokenClassification: DistilBertForTokenClassification.fromCheckpoint,
  DistilBertForQuestionAnswering: DistilBertForQuestionAnswering.fromCheckpoint,
};

export interface LoadModelOptions extends Omit<HubOptions, 'onProgress'>, FromCheckpointOptions {
  /** A registered backend name ('cpu', 'gpu', 'onnx', 'reference', a package name) or an instance. Default: the current backend. */
  backend?: string | KernelBackend;
  /** Weight file in the repo (e.g. 'model.fp16.safetensors', 'pytorch_model.bin'). Default: model.safetensors, then pytorch_model.bin. */
  weights?: string;
  /** Class to build, overriding config.architectures[0] (e.g. 'DistilBertModel' for the bare encoder of any checkpoint). */
  architecture?: ArchitectureName;
  /** Download progress, per file. */
  onProgress?: HubOptions['onProgress'];
  /** Compute dtype. Only 'float32' (half-precision files are upcast while loading). */
  dtype?: 'float32';
}

/** The architecture `loadModel` builds: the override, else the config's first known architecture, else the bare model. */
export function resolveArchitecture(config: DistilBertConfig, override?: string): ArchitectureName {
  const known = Object.keys(MODEL_CLASSES) as ArchitectureName[];
  const wanted = override ?? config.architectures[0] ?? 'DistilBertModel';
  if (!known.includes(wanted as ArchitectureName)) {
    throw new ConfigError(
      `Architecture '${wanted}' is not supported; choose one of ${known.join(', ')} with the \`architecture\` option.`,
    );
  }
  return wanted as ArchitectureName;
}

/** Reads and validates a repo's or folder's config.json (no weights are read). */
export async function loadConfig(idOrPath: string, options: HubOptions = {}): Promise<DistilBertConfig> {
  const repo = await openRepo(idOrPath, options);
  const path = await repo.path('config.json');
  return DistilBertConfig.fromText(await readFile(path, 'utf8'), path);
}

/**
 * Loads a DistilBERT checkpoint (a local folder, or a Hub id through @distilbert/hub) onto a backend,
 * as AutoModel does: the class comes from config.json's `architectures` unless `architecture` is given.
 */
export async function loadModel(
  idOrPath: string,
  options: LoadModelOptions = {},
): Promise<DistilBertPreTrainedModel> {
  const { backend: backendOption, weights, architecture, onWarning, dtype, ...hubOptions } = options;
  if (dtype !== undefined && dtype !== 'float32') {
    throw new ConfigError(
      `dtype '${String(dtype)}' is not supported: models compute in float32 (fp16/bf16 weights are upcast).`,
    );
  }
  const repo = await openRepo(idOrPath, hubOptions);
  const configPath = await repo.path('config.json');
  const config = DistilBertConfig.fromText(await readFile(configPath, 'utf8'), configPath);
  const arch = resolveArchitecture(config, architecture);
  const backend =
    typeof backendOption === 'object' ? backendOption : await getBackend(backendOption ?? undefined);
  const checkpoint = await openWeights(repo, weights);
  try {
    return MODEL_CLASSES[arch](config, checkpoint, backend, { onWarning });
  } finally {
    checkpoint.close();
  }
}

/**
 * The weights of a repo: a single .safetensors file is streamed tensor by tensor, so a load never holds
 * the whole file beside the backend's copy; other formats and sharded checkpoints are read as files.
 */
async function openWeights(
  repo: Awaited<ReturnType<typeof openRepo>>,
  weights?: string,
): Promise<Checkpoint> {
  for (const name of weights ? [weights] : WEIGHT_FILES) {
    const path = await repo.optionalPath(name);
    if (!path) continue;
    if (!name.endsWith('.index.json')) {
      const streamed = StreamedSafetensors.open(path);
      if (streamed) return streamed;
    }
    break;
  }
  return openRepoCheckpoint(repo, weights);
}
