import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../src/index.js';
import { GOLDEN_FILES, type GoldenRecord, loadGoldens, UNCASED_DIR, VARIANTS } from './goldens.js';

const tokenizers: Record<string, () => Promise<BertTokenizer>> = {
  'tokenizer.json (fromPretrained)': () => BertTokenizer.fromPretrained(UNCASED_DIR),
  'legacy-format tokenizer.json': async () =>
    BertTokenizer.fromTokenizerJson(
      readFileSync(`${UNCASED_DIR}bert-base-uncased.tokenizer.legacy-format.json`, 'utf8'),
    ),
  'vocab.txt': async () => BertTokenizer.fromVocab(readFileSync(`${UNCASED_DIR}vocab.txt`, 'utf8')),
};

let checked = 0;
function check(tok: BertTokenizer, r: GoldenRecord) {
  for (const [variant, options] of Object.entries(VARIANTS)) {
    const want = r[variant as keyof typeof VARIANTS];
    const e = tok.encode(r.text, r.text_pair, options);
    const got = {
      input_ids: e.input_ids,
      tokens: e.tokens,
      attention_mask: e.attention_mask,
      token_type_ids: e.token_type_ids,
      special_tokens_mask: e.special_tokens_mask,
      offsets_utf16: e.offsets,
      sequence_ids: e.sequence_ids,
      word_ids: e.word_ids,
      decoded: tok.decode(e.input_ids, { skipSpecialTokens: true }),
      ...(want.decoded_with_special_tokens !== undefined
        ? { decoded_with_special_tokens: tok.decode(e.input_ids) }
        : {}),
    };
    const { offsets: _o, ...expected } = want as typeof want & { offsets: unknown };
    // String comparison first: toEqual on 2,684 records x 3 variants x 3 loaders is slow; it only runs to show a diff.
    if (JSON.stringify(got) !== JSON.stringify(expected)) expect(got, `${r.id} ${variant}`).toEqual(expected);
    checked++;
  }
}

for (const [name, load] of Object.entries(tokenizers)) {
  describe(`goldens through ${name}`, () => {
    let tok: BertTokenizer;
    beforeAll(async () => {
      tok = await load();
    });
    for (const file of GOLDEN_FILES) {
      it(`${file}: every record, every variant`, () => {
        const records = loadGoldens(file);
        expect(records.length).toBeGreaterThan(80);
        const before = checked;
        for (const r of records) check(tok, r);
        expect(checked - before).toBe(records.length * 3);
      });
    }
  });
}
