import { badInput } from '../errors.js';
import type { ModelConfigLike } from '../types.js';

export interface ZeroShotResult {
  sequence: string;
  labels: string[];
  scores: number[];
}

/** Python's `entailment_id`: the first label2id entry whose label starts with "entail" (any case), else -1. */
export function entailmentId(config: ModelConfigLike): number {
  for (const [label, id] of Object.entries(config.label2id ?? {})) {
    if (label.toLowerCase().startsWith('entail')) return Number(id);
  }
  return -1;
}

/** Candidate labels as Python parses them: a string is split on commas. */
export function parseCandidateLabels(labels: string | readonly string[] | undefined): string[] {
  if (labels === undefined) return [];
  if (typeof labels === 'string') {
    return labels
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  }
  return [...labels];
}

/** `hypothesis_template.format(label)`: `{}` (or `{0}`) replaced by the label; errors when there is none. */
export function formatHypothesis(template: string, label: string): string {
  const out = template.replace(/\{0?\}/g, () => label);
  if (out === template) {
    throw badInput(
      `The provided hypothesis_template "${template}" was not able to be formatted with the target labels. Make sure the passed template includes formatting syntax such as {} where the label should go.`,
    );
  }
  return out;
}

/**
 * Python's ZeroShotClassificationPipeline.postprocess for one sequence. `logits[i]` is the NLI model's
 * output for (sequence, hypothesis of label i). With multi_label (or a single label) each label is scored
 * alone by softmax over [contradiction, entailment]; otherwise the entailment logits are softmaxed across
 * the labels. Labels come back sorted by score, descending.
 */
export function zeroShotPostprocess(
  sequence: string,
  candidateLabels: readonly string[],
  logits: readonly ArrayLike<number>[],
  entailment: number,
  multiLabel = false,
): ZeroShotResult {
  const numClasses = logits[0].length;
  const at = (row: ArrayLike<number>, i: number) => row[i < 0 ? numClasses + i : i];
  let scores: number[];
  if (multiLabel || candidateLabels.length === 1) {
    const contradiction = entailment === 0 ? -1 : 0;
    scores = logits.map((row) => {
      const c = Math.exp(at(row, contradiction));
      const e = Math.exp(at(row, entailment));
      return e / (c + e);
    });
  } else {
    const exps = logits.map((row) => Math.exp(at(row, entailment)));
    const sum = exps.reduce((a, b) => a + b, 0);
    scores = exps.map((x) => x / sum);
  }
  // reversed(argsort): ascending stable sort then reversed, so equal scores put the later label first.
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => scores[a] - scores[b])
    .reverse();
  return { sequence, labels: order.map((i) => candidateLabels[i]), scores: order.map((i) => scores[i]) };
}
