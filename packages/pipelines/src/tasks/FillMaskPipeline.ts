import { badInput, badModel } from '../errors.js';
import { type FillMaskResult, fillMaskPostprocess, resolveTargetIds } from '../postprocess/fillMask.js';
import { Pipeline, rowsOf, tokenLookup } from './Pipeline.js';

export interface FillMaskOptions {
  /** Proposals per mask (default 5). */
  top_k?: number;
  /** Only score these words (vocabulary tokens; other words use their first token, with a warning). */
  targets?: string | string[];
  /** Keep [CLS]/[SEP] in `sequence`, as the model card prints it. Default false (Python's current format). */
  keepSpecialTokens?: boolean;
  /** Cut inputs longer than the model allows instead of failing (Python fails). */
  truncation?: boolean;
}

/** One input's output: a list of proposals for one mask, a list per mask for several. */
export type FillMaskOutput = FillMaskResult[] | FillMaskResult[][];

/** Python's FillMaskPipeline. Only the mask rows of the vocabulary projection are computed. */
export class FillMaskPipeline extends Pipeline {
  readonly task = 'fill-mask';

  /** One text gives its output; several give a list (a list of one is unwrapped, as in Python). */
  async call(
    inputs: string | readonly string[],
    options: FillMaskOptions = {},
  ): Promise<FillMaskOutput | FillMaskOutput[]> {
    const texts = typeof inputs === 'string' ? [inputs] : [...inputs];
    if (texts.length === 0) throw badInput('fill-mask needs at least one text.');
    const maskId = this.special.mask;
    if (maskId === null) throw badModel('This tokenizer has no mask token, so it cannot fill masks.');
    const targetIds = options.targets === undefined ? undefined : this.targetIds(options.targets);
    const encodings = texts.map((text) => {
      if (typeof text !== 'string') throw badInput(`fill-mask inputs must be strings (got ${typeof text}).`);
      const enc = this.encodeChecked(text, null, options.truncation);
      if (!Array.from(enc.input_ids).includes(maskId)) {
        throw badInput(`No mask_token (${this.special.maskToken}) found on the input: "${text}".`);
      }
      return enc;
    });
    const decoder = {
      decode: this.tokenizer.decode.bind(this.tokenizer),
      padTokenId: this.special.pad,
    };
    const outputs = await this.forwardRows(
      encodings,
      async (output, batch, rows) => {
        if (!output.logits) throw badModel('The model returned no logits: load it as DistilBertForMaskedLM.');
        const logitRow = await rowsOf(output.logits);
        let next = 0;
        return rows.map((row) => {
          const ids = encodings[row].input_ids;
          const maskPositions = maskPositionsOf(ids, maskId);
          const maskLogits = maskPositions.map(() => logitRow(next++));
          void batch;
          return fillMaskPostprocess({ inputIds: ids, maskPositions, maskLogits }, decoder, {
            top_k: options.top_k,
            targetIds,
            keepSpecialTokens: options.keepSpecialTokens,
          });
        });
      },
      (batch, rows) => ({
        // Flat b·seq+s of every mask, row by row: the model projects only these rows onto the vocabulary.
        positions: rows.flatMap((row, b) =>
          maskPositionsOf(encodings[row].input_ids, maskId).map((s) => b * batch.shape[1] + s),
        ),
      }),
    );
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  private targetIds(targets: string | string[]): number[] {
    const lookup = tokenLookup(this.tokenizer);
    return resolveTargetIds(
      targets,
      lookup,
      (text) => {
        const ids = this.tokenizer.encode(text, null, { addSpecialTokens: false }).input_ids;
        return ids.length > 0 ? ids[0] : undefined;
      },
      (id) => this.tokenizer.convertIdsToTokens([id])[0],
      this.warn,
    );
  }
}

function maskPositionsOf(ids: ArrayLike<number>, maskId: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) if (ids[i] === maskId) out.push(i);
  return out;
}
