import { type KernelBackend, loadModel } from '@distilbert/core';
import { type HubOptions, openRepo } from '@distilbert/hub';
import { BertTokenizer } from '@distilbert/tokenizer';
import type { Example } from './example.js';

/** What the runner needs from a checkpoint: its labels and raw logits for a batch of examples. */
export interface Predictor {
  readonly modelId: string;
  /** The commit the model's revision resolved to (undefined for a local folder). */
  readonly revision: string | undefined;
  readonly backendName: string;
  readonly id2label: Record<number | string, string> | undefined;
  /** Logits, row-major [batch, numLabels]. */
  logits(batch: readonly Example[]): Promise<{ values: Float32Array; numLabels: number }>;
  dispose(): void;
}

export interface PredictorOptions {
  backend?: string | KernelBackend;
  revision?: string;
  /** Hub options (cacheDir, offline, token...) for the model and tokenizer files. */
  hub?: HubOptions;
  /** Truncation length in tokens (default: the tokenizer's model_max_length, 512). */
  maxLength?: number;
}

/**
 * Loads a sequence-classification checkpoint and its tokenizer. Each batch is padded to its longest row
 * (the runner sorts by length, so padding stays small) and truncated longest_first.
 */
export async function loadPredictor(idOrPath: string, options: PredictorOptions = {}): Promise<Predictor> {
  const hubOptions: HubOptions = {
    ...options.hub,
    ...(options.revision ? { revision: options.revision } : {}),
  };
  const [repo, tokenizer, model] = await Promise.all([
    openRepo(idOrPath, hubOptions),
    BertTokenizer.fromPretrained(idOrPath, hubOptions),
    loadModel(idOrPath, {
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...hubOptions,
      architecture: 'DistilBertForSequenceClassification',
    }),
  ]);
  const maxLength = options.maxLength ?? Math.min(tokenizer.modelMaxLength ?? 512, 512);
  return {
    modelId: idOrPath,
    revision: repo.commit,
    backendName: model.backend.name,
    id2label: model.config.id2label,
    async logits(batch) {
      const inputs = batch.map((e) =>
        e.textB === undefined ? e.textA : ([e.textA, e.textB] as [string, string]),
      );
      const enc = tokenizer.encodeBatch(inputs, {
        padding: 'longest',
        truncation: 'longest_first',
        maxLength,
      });
      const out = await model.forward({
        input_ids: enc.input_ids,
        attention_mask: enc.attention_mask,
        shape: enc.shape,
      });
      try {
        if (!out.logits) throw new Error(`${idOrPath} returned no logits: is it a sequence classifier?`);
        const values = Float32Array.from(await out.logits.data());
        return { values, numLabels: out.logits.shape[1] };
      } finally {
        out.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
