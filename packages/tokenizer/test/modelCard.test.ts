import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../src/index.js';
import { loadGoldens, UNCASED_DIR } from './goldens.js';

let tok: BertTokenizer;
beforeAll(async () => {
  tok = await BertTokenizer.fromPretrained(UNCASED_DIR);
});

describe('distilbert-base-uncased vocabulary (model card)', () => {
  it('has the model card ids', () => {
    expect(tok.convertTokensToIds(['role', 'fashion', 'business', 'model', 'modeling', '[MASK]'])).toEqual([
      2535, 4827, 2449, 2944, 11643, 103,
    ]);
    expect(tok.maskTokenId).toBe(103);
    expect([tok.clsTokenId, tok.sepTokenId, tok.padTokenId, tok.unkTokenId]).toEqual([101, 102, 0, 100]);
    expect(tok.vocab.size).toBe(30522);
    expect(tok.modelMaxLength).toBe(512);
    expect(tok.convertIdsToTokens([2535, 103])).toEqual(['role', '[MASK]']);
  });

  it('encodes the model card sentence with [MASK] kept whole', () => {
    const e = tok.encode("Hello I'm a [MASK] model.");
    expect(e.tokens).toEqual(['[CLS]', 'hello', 'i', "'", 'm', 'a', '[MASK]', 'model', '.', '[SEP]']);
    expect(e.input_ids).toEqual([101, 7592, 1045, 1005, 1049, 1037, 103, 2944, 1012, 102]);
  });

  it('vocab.txt, tokenizer.json and the legacy layout load the same vocabulary', () => {
    const fromTxt = BertTokenizer.fromVocab(readFileSync(`${UNCASED_DIR}vocab.txt`, 'utf8'));
    const legacy = BertTokenizer.fromTokenizerJson(
      readFileSync(`${UNCASED_DIR}bert-base-uncased.tokenizer.legacy-format.json`, 'utf8'),
    );
    expect([...fromTxt.vocab]).toEqual([...tok.vocab]);
    expect([...legacy.vocab]).toEqual([...tok.vocab]);
  });
});

describe('decode', () => {
  it("applies transformers' cleanup when asked", () => {
    const ids = tok.encode("hello i ' m a role model .").input_ids;
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe("hello i ' m a role model.");
    expect(tok.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: true })).toBe(
      "hello i'm a role model.",
    );
    expect(tok.decode(ids)).toBe("[CLS] hello i ' m a role model. [SEP]");
    expect(tok.batchDecode([ids, [101, 2535, 102]], { skipSpecialTokens: true })).toEqual([
      "hello i ' m a role model.",
      'role',
    ]);
  });
});

describe('cased option (do_lower_case false)', () => {
  it('matches the Rust library with lowercase and strip_accents off, on every adversarial record', async () => {
    const json = JSON.parse(readFileSync(`${UNCASED_DIR}tokenizer.json`, 'utf8'));
    json.normalizer.lowercase = false;
    const ref = tokenizers.Tokenizer.fromString(JSON.stringify(json));
    const cased = await BertTokenizer.fromPretrained(UNCASED_DIR, { doLowerCase: false });
    expect(cased.normalizer?.options.lowercase).toBe(false);
    const records = [...loadGoldens('adversarial.jsonl'), ...loadGoldens('glue-mrpc-dev.jsonl').slice(0, 50)];
    let differentFromUncased = 0;
    for (const r of records) {
      const want = await ref.encode(r.text, r.text_pair);
      const got = cased.encode(r.text, r.text_pair);
      expect(got.input_ids, r.id).toEqual(want.getIds());
      if (got.input_ids.join() !== r.full.input_ids.join()) differentFromUncased++;
    }
    expect(differentFromUncased).toBeGreaterThan(50);
  });
});
