import { badInput } from '../errors.js';
import type { DecodeOptions } from '../types.js';
import { softmax, topk } from '../util/math.js';

/** One proposal, with the keys (and key order) of Python's FillMaskPipeline. */
export interface FillMaskResult {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

export interface FillMaskRow {
  /** The encoded input as given to the model (pads allowed; they are dropped from `sequence`). */
  inputIds: ArrayLike<number>;
  /** Indices of the mask tokens in `inputIds`, in order. */
  maskPositions: readonly number[];
  /** The full vocabulary logits at each mask position, same order. */
  maskLogits: readonly ArrayLike<number>[];
}

export interface FillMaskPostprocessOptions {
  top_k?: number;
  /** Vocabulary ids to score instead of the whole vocabulary (from `resolveTargetIds`). */
  targetIds?: readonly number[];
  /**
   * Keep [CLS]/[SEP] (and clean up spaces) in `sequence`, as the model card's printout
   * (`[CLS] hello i'm a role model. [SEP]`). Default false: Python's current format.
   */
  keepSpecialTokens?: boolean;
}

export interface FillMaskDecoder {
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  padTokenId: number;
}

/**
 * Python's FillMaskPipeline.postprocess: softmax over the whole vocabulary at each mask, restricted to the
 * targets when given (no renormalisation), top-k, and the input re-decoded with each proposal in place.
 * One mask gives a list of proposals; several give a list per mask, where (as in Python) `sequence` keeps
 * the special tokens and the other masks.
 */
export function fillMaskPostprocess(
  row: FillMaskRow,
  decoder: FillMaskDecoder,
  options: FillMaskPostprocessOptions = {},
): FillMaskResult[] | FillMaskResult[][] {
  const targetIds = options.targetIds;
  let k = options.top_k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw badInput(`top_k must be a positive integer (got ${k}).`);
  if (targetIds && targetIds.length < k) k = targetIds.length;
  if (row.maskPositions.length === 0) throw badInput('No mask_token ([MASK]) found on the input.');
  const singleMask = row.maskPositions.length === 1;
  const decodeOptions: DecodeOptions = options.keepSpecialTokens
    ? { skipSpecialTokens: false, cleanUpTokenizationSpaces: true }
    : { skipSpecialTokens: singleMask };

  const result = row.maskPositions.map((position, i) => {
    let probs: ArrayLike<number> = softmax(row.maskLogits[i]);
    if (targetIds) probs = targetIds.map((id) => probs[id]);
    return topk(probs, k).map((p): FillMaskResult => {
      const token = targetIds ? targetIds[p] : p;
      const ids = Array.from(row.inputIds);
      ids[position] = token;
      return {
        score: probs[p],
        token,
        token_str: decoder.decode([token]),
        sequence: decoder.decode(
          ids.filter((id) => id !== decoder.padTokenId),
          decodeOptions,
        ),
      };
    });
  });
  return singleMask ? result[0] : result;
}

/**
 * Python's FillMaskPipeline.get_target_ids: each target is a vocabulary token, or else the first token of its
 * encoding (with a warning); duplicates are dropped. Throws when none is left.
 */
export function resolveTargetIds(
  targets: string | readonly string[],
  lookup: (token: string) => number | undefined,
  firstTokenOf: (text: string) => number | undefined,
  tokenOf: (id: number) => string,
  warn: (message: string) => void = console.warn,
): number[] {
  const list = typeof targets === 'string' ? [targets] : targets;
  const ids: number[] = [];
  for (const target of list) {
    let id = lookup(target);
    if (id === undefined) {
      id = firstTokenOf(target);
      if (id === undefined) {
        warn(
          `The specified target token \`${target}\` does not exist in the model vocabulary. We cannot replace it with anything meaningful, ignoring it`,
        );
        continue;
      }
      warn(
        `The specified target token \`${target}\` does not exist in the model vocabulary. Replacing with \`${tokenOf(id)}\`.`,
      );
    }
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw badInput('At least one target must be provided when passed.');
  return ids;
}
