// The example on the fixture checkpoint: its embeddings are PyTorch's last_hidden_state, mean-pooled.
import { fileURLToPath } from 'node:url';
import { loadModel } from '@distilbert/core';
import { type FixtureCase, maxAbsDiff, readFixture } from '@distilbert/core/testing';
import { openRepo } from '@distilbert/hub';
import { BertTokenizer } from '@distilbert/tokenizer';
import { describe, expect, it } from 'vitest';
import { embed, main, SENTENCES } from '../src/main.js';
import { cosineSimilarity, meanPool } from '../src/pooling.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/models/', import.meta.url));
const MLM = `${FIXTURES}tiny-distilbert-mlm`;

// The real model when it is cached or the Hub answers (a missing DNS fails fast); skipped otherwise.
const realModel = await openRepo('distilbert-base-uncased').then(
  () => true,
  () => false,
);

describe('feature-extraction example', () => {
  it('mean-pooled embeddings of a padded batch equal the pooled PyTorch last_hidden_state', async () => {
    const fixture = readFixture(FIXTURES, 'tiny-distilbert-mlm');
    // Three texts of different lengths, padded to 15 tokens: padding must not enter the mean.
    const c = fixture.cases.find((k) => k.id === 'batch3_padded') as FixtureCase & { texts: string[][] };
    const expected = await fixture.expected();
    const want = meanPool(
      expected.float32('batch3_padded.last_hidden_state'),
      Int32Array.from(c.attention_mask.flat()),
      [c.batch, c.seq_len, 32],
    );

    const tokenizer = await BertTokenizer.fromPretrained(MLM);
    const model = await loadModel(MLM, {
      architecture: 'DistilBertModel',
      backend: 'cpu',
      onWarning: () => {},
    });
    const got = await embed(
      model,
      tokenizer,
      c.texts.map((t) => t[0]),
    );
    model.dispose();
    expect(got).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(got[i], want[i])).toBeLessThan(1e-5);
    // Padding really was excluded: pooling over all 15 positions gives a different first row.
    const unmasked = meanPool(
      expected.float32('batch3_padded.last_hidden_state'),
      new Int32Array(45).fill(1),
      [3, 15, 32],
    );
    expect(maxAbsDiff(unmasked[0], want[0])).toBeGreaterThan(1e-3);
  });

  it('main() prints the card sentence features and a symmetric similarity matrix with a unit diagonal', async () => {
    const lines: string[] = [];
    const result = await main([MLM], (l) => lines.push(l));
    // [CLS] replace me by any text you ' d like . [SEP]
    expect(result.shape).toEqual([1, 12, 32]);
    expect(result.hidden).toHaveLength(12 * 32);
    expect(result.embeddings).toHaveLength(SENTENCES.length);
    for (let i = 0; i < SENTENCES.length; i++) {
      expect(result.similarity[i][i]).toBeCloseTo(1, 6);
      for (let j = 0; j < SENTENCES.length; j++) {
        expect(result.similarity[i][j]).toBe(result.similarity[j][i]);
        expect(result.similarity[i][j]).toBe(cosineSimilarity(result.embeddings[i], result.embeddings[j]));
      }
    }
    expect(lines[0]).toBe(`last_hidden_state [1,12,32] for "Replace me by any text you'd like."`);
    expect(lines).toHaveLength(2 + SENTENCES.length);
  });
});

describe('feature-extraction example on distilbert-base-uncased', () => {
  it.runIf(realModel)('gives [1, 12, 768] features and a unit-diagonal similarity matrix', async () => {
    const result = await main([], () => {});
    expect(result.shape).toEqual([1, 12, 768]);
    for (let i = 0; i < SENTENCES.length; i++) expect(result.similarity[i][i]).toBeCloseTo(1, 6);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal, -1 for opposite vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, -2], [-1, 2])).toBeCloseTo(-1, 12);
  });
});
