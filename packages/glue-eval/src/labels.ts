import { LabelMappingError } from './errors.js';
import type { GlueTask } from './tasks.js';

/** How a checkpoint's outputs become task predictions. */
export interface LabelAlignment {
  /** `modelToTask[i]` = the task's label index for the model's output i (classification). */
  modelToTask: Int32Array;
  /** The model's label names in output order. */
  modelLabels: string[];
  /** How the mapping was found. */
  method: 'names' | 'index' | 'label-map' | 'regression';
}

// Names that checkpoints on the Hub use for the GLUE label names (after lower-casing and dropping
// everything but letters and digits).
const SYNONYMS: Record<string, string> = {
  entailment: 'entailment',
  entails: 'entailment',
  entailed: 'entailment',
  neutral: 'neutral',
  contradiction: 'contradiction',
  contradicts: 'contradiction',
  notentailment: 'not_entailment',
  nonentailment: 'not_entailment',
  notentailed: 'not_entailment',
  acceptable: 'acceptable',
  grammatical: 'acceptable',
  unacceptable: 'unacceptable',
  notacceptable: 'unacceptable',
  ungrammatical: 'unacceptable',
  equivalent: 'equivalent',
  paraphrase: 'equivalent',
  notequivalent: 'not_equivalent',
  nonequivalent: 'not_equivalent',
  notparaphrase: 'not_equivalent',
  positive: 'positive',
  pos: 'positive',
  negative: 'negative',
  neg: 'negative',
  duplicate: 'duplicate',
  isduplicate: 'duplicate',
  notduplicate: 'not_duplicate',
  nonduplicate: 'not_duplicate',
};

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The model's label names in output order, from config.id2label. */
export function modelLabelNames(id2label: Record<number | string, string> | undefined): string[] {
  if (!id2label) return [];
  const ids = Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b);
  return ids.map((i) => id2label[i]);
}

/**
 * Parses `--label-map`: `MODEL=TASK` pairs separated by commas (`LABEL_0=negative,LABEL_1=positive`, or by
 * output index `0=negative`), or a JSON object of the same.
 */
export function parseLabelMap(text: string): Record<string, string> {
  const t = text.trim();
  if (t.startsWith('{')) return JSON.parse(t) as Record<string, string>;
  const map: Record<string, string> = {};
  for (const pair of t.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LabelMappingError(`--label-map entry '${pair}' is not MODEL_LABEL=TASK_LABEL.`);
    map[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return map;
}

/**
 * Maps a checkpoint's labels to the task's by name (with common synonyms), by index only when the model's
 * names are LABEL_k (or bare k), or as `labelMap` says. Refuses a model whose number of labels does not fit.
 */
export function alignLabels(
  task: GlueTask,
  id2label: Record<number | string, string> | undefined,
  labelMap?: Record<string, string>,
  modelId = 'the model',
): LabelAlignment {
  const modelLabels = modelLabelNames(id2label);
  const n = modelLabels.length;
  if (task.regression) {
    if (n !== 1) {
      throw new LabelMappingError(
        `${task.displayName} is a regression task and needs a model with one output (num_labels 1); ` +
          `${modelId} has ${n} labels (${modelLabels.join(', ')}).`,
      );
    }
    return { modelToTask: new Int32Array([0]), modelLabels, method: 'regression' };
  }
  if (n !== task.labels.length) {
    throw new LabelMappingError(
      `${modelId} has ${n} label(s) (${modelLabels.join(', ') || 'none'}) but ${task.displayName} has ` +
        `${task.labels.length} (${task.labels.join(', ')}); use a checkpoint fine-tuned on ${task.displayName}.`,
    );
  }
  const taskIndex = (name: string): number => {
    const direct = task.labels.indexOf(name);
    if (direct >= 0) return direct;
    const canonical = SYNONYMS[normalize(name)];
    return canonical === undefined ? -1 : task.labels.indexOf(canonical);
  };
  let method: LabelAlignment['method'];
  const modelToTask = new Int32Array(n);
  if (labelMap) {
    method = 'label-map';
    for (let i = 0; i < n; i++) {
      const target = labelMap[modelLabels[i]] ?? labelMap[String(i)];
      if (target === undefined) {
        throw new LabelMappingError(
          `--label-map does not say which ${task.displayName} label '${modelLabels[i]}' is.`,
        );
      }
      modelToTask[i] = taskIndex(target);
      if (modelToTask[i] < 0) {
        throw new LabelMappingError(
          `--label-map maps '${modelLabels[i]}' to '${target}', which is not a ${task.displayName} label ` +
            `(${task.labels.join(', ')}).`,
        );
      }
    }
  } else if (modelLabels.every((l, i) => new RegExp(`^(label_?)?${i}$`, 'i').test(l))) {
    // Generic names carry no meaning: the checkpoint was trained with the dataset's label order.
    method = 'index';
    for (let i = 0; i < n; i++) modelToTask[i] = i;
  } else {
    method = 'names';
    const unknown: string[] = [];
    for (let i = 0; i < n; i++) {
      modelToTask[i] = taskIndex(modelLabels[i]);
      if (modelToTask[i] < 0) unknown.push(modelLabels[i]);
    }
    if (unknown.length > 0) {
      throw new LabelMappingError(
        `${modelId}'s label(s) ${unknown.map((u) => `'${u}'`).join(', ')} match no ${task.displayName} label ` +
          `(${task.labels.join(', ')}). Pass --label-map, e.g. ` +
          `${modelLabels.map((m, i) => `${m}=${task.labels[i]}`).join(',')}.`,
      );
    }
  }
  if (new Set(modelToTask).size !== n) {
    throw new LabelMappingError(
      `${modelId}'s labels (${modelLabels.join(', ')}) map two outputs to one ${task.displayName} label ` +
        `(${Array.from(modelToTask, (k) => task.labels[k]).join(', ')}).`,
    );
  }
  return { modelToTask, modelLabels, method };
}
