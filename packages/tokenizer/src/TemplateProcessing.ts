import { Encoding, type Sequence } from './Encoding.js';
import { TokenizerError } from './errors.js';

export type TemplatePiece =
  | { kind: 'special'; ids: number[]; typeId: number }
  | { kind: 'sequence'; sequence: 0 | 1; typeId: number };

/**
 * Post-processor that adds special tokens: Hugging Face `TemplateProcessing` (BertProcessing is the template
 * `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B:1 [SEP]:1`).
 */
export class TemplateProcessing {
  constructor(
    readonly single: readonly TemplatePiece[],
    readonly pair: readonly TemplatePiece[],
  ) {}

  static bert(clsId: number, sepId: number): TemplateProcessing {
    const cls: TemplatePiece = { kind: 'special', ids: [clsId], typeId: 0 };
    const sep = (typeId: number): TemplatePiece => ({ kind: 'special', ids: [sepId], typeId });
    return new TemplateProcessing(
      [cls, { kind: 'sequence', sequence: 0, typeId: 0 }, sep(0)],
      [
        cls,
        { kind: 'sequence', sequence: 0, typeId: 0 },
        sep(0),
        { kind: 'sequence', sequence: 1, typeId: 1 },
        sep(1),
      ],
    );
  }

  /** From tokenizer.json's `post_processor` (TemplateProcessing or BertProcessing). */
  static fromJson(
    json: Record<string, unknown>,
    vocab: Pick<ReadonlyMap<string, number>, 'get'>,
  ): TemplateProcessing {
    const idOf = (token: string) => {
      const id = vocab.get(token);
      if (id === undefined)
        throw new TokenizerError(
          'INVALID_TOKENIZER_JSON',
          `post_processor uses '${token}', which is not in the vocab.`,
        );
      return id;
    };
    if (json.type === 'BertProcessing') {
      const [cls, sep] = [json.cls as [string, number], json.sep as [string, number]];
      return TemplateProcessing.bert(cls[1] ?? idOf(cls[0]), sep[1] ?? idOf(sep[0]));
    }
    if (json.type !== 'TemplateProcessing')
      throw new TokenizerError(
        'UNSUPPORTED',
        `post_processor type '${String(json.type)}' is not supported (use TemplateProcessing or BertProcessing).`,
      );
    const specials = (json.special_tokens ?? {}) as Record<string, { ids: number[] }>;
    const parse = (pieces: unknown): TemplatePiece[] =>
      (pieces as Record<string, { id: string; type_id: number }>[]).map((p) => {
        if (p.Sequence)
          return { kind: 'sequence', sequence: p.Sequence.id === 'B' ? 1 : 0, typeId: p.Sequence.type_id };
        const s = p.SpecialToken;
        if (!s)
          throw new TokenizerError('INVALID_TOKENIZER_JSON', `Unknown template piece ${JSON.stringify(p)}.`);
        return { kind: 'special', ids: specials[s.id]?.ids ?? [idOf(s.id)], typeId: s.type_id };
      });
    return new TemplateProcessing(parse(json.single), parse(json.pair));
  }

  /** How many tokens the template adds. */
  numSpecialTokens(pair: boolean): number {
    let n = 0;
    for (const p of pair ? this.pair : this.single) if (p.kind === 'special') n += p.ids.length;
    return n;
  }

  process(
    a: Sequence,
    b: Sequence | null,
    addSpecialTokens: boolean,
    idToToken: readonly string[] | (() => readonly string[]),
  ): Encoding {
    const template = b ? this.pair : this.single;
    let n = 0;
    for (const p of template)
      n += p.kind === 'special' ? (addSpecialTokens ? p.ids.length : 0) : (p.sequence ? b! : a).ids.length;
    const input_ids = new Array<number>(n);
    const token_type_ids = new Array<number>(n);
    const attention_mask = new Array<number>(n).fill(1);
    const special_tokens_mask = new Array<number>(n);
    const word_ids = new Array<number | null>(n);
    const sequence_ids = new Array<number | null>(n);
    const offsetStarts = new Array<number>(n);
    const offsetEnds = new Array<number>(n);
    let k = 0;
    for (const p of template) {
      if (p.kind === 'special') {
        if (!addSpecialTokens) continue;
        for (const id of p.ids) {
          input_ids[k] = id;
          token_type_ids[k] = p.typeId;
          special_tokens_mask[k] = 1;
          word_ids[k] = null;
          sequence_ids[k] = null;
          offsetStarts[k] = 0;
          offsetEnds[k] = 0;
          k++;
        }
      } else {
        const s = p.sequence ? b! : a;
        for (let i = 0; i < s.ids.length; i++, k++) {
          input_ids[k] = s.ids[i];
          token_type_ids[k] = p.typeId;
          special_tokens_mask[k] = 0;
          word_ids[k] = s.words[i];
          sequence_ids[k] = p.sequence;
          offsetStarts[k] = s.starts[i];
          offsetEnds[k] = s.ends[i];
        }
      }
    }
    return new Encoding(
      {
        input_ids,
        token_type_ids,
        attention_mask,
        special_tokens_mask,
        word_ids,
        sequence_ids,
        offsetStarts,
        offsetEnds,
      },
      idToToken,
    );
  }
}
