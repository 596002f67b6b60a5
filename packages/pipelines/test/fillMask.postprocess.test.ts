import { describe, expect, it } from 'vitest';
import { fillMaskPostprocess, resolveTargetIds } from '../src/postprocess/fillMask.js';
import { expected, fixtureTokenizer, refSoftmax } from './helpers/fixtures.js';

const CASES = ['mask_single', 'mask_two', 'batch3_padded', 'batch2_uneven'];

describe('fill-mask post-processing on the reference logits', async () => {
  const exp = await expected('mlm');
  const tok = await fixtureTokenizer('mlm');
  const decoder = { decode: tok.decode, padTokenId: 0 };

  /** The rows of one case: per batch row, its mask positions and their full logit rows. */
  function rowsOf(caseId: string) {
    const c = exp.case(caseId);
    const index = exp.tensor(caseId, 'logits_rows_index');
    const rows = exp.tensor(caseId, 'logits_rows');
    const vocab = exp.shape(caseId, 'logits_rows')[1];
    return c.input_ids.map((ids, b) => {
      const picks = [...Array(index.length / 2).keys()].filter((k) => index[2 * k] === b);
      return {
        b,
        inputIds: ids,
        maskPositions: picks.map((k) => index[2 * k + 1]),
        maskLogits: picks.map((k) => rows.subarray(k * vocab, (k + 1) * vocab)),
      };
    });
  }

  it.each(CASES)('%s: scores = exp(top-k logit − logsumexp), tokens = reference top-k', (caseId) => {
    const seq = exp.case(caseId).seq_len;
    const topv = exp.tensor(caseId, 'logits_topk_values');
    const topi = exp.tensor(caseId, 'logits_topk_indices');
    const lse = exp.tensor(caseId, 'logits_logsumexp');
    let checked = 0;
    for (const row of rowsOf(caseId)) {
      if (row.maskPositions.length === 0) continue;
      const out = fillMaskPostprocess(row, decoder, { top_k: 5 });
      const perMask = row.maskPositions.length === 1 ? [out] : out;
      row.maskPositions.forEach((s, m) => {
        const props = perMask[m] as { score: number; token: number }[];
        const at = (row.b * seq + s) * 5;
        expect(props).toHaveLength(5);
        for (let r = 0; r < 5; r++) {
          // The reference stores logits; its own softmax of the top-k values must give our scores.
          expect(props[r].score).toBeCloseTo(Math.exp(topv[at + r] - lse[row.b * seq + s]), 6);
          const gapBefore = r === 0 ? Infinity : topv[at + r - 1] - topv[at + r];
          const gapAfter = r === 4 ? Infinity : topv[at + r] - topv[at + r + 1];
          if (gapBefore > 1e-5 && gapAfter > 1e-5) expect(props[r].token).toBe(topi[at + r]);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('one mask: the Python keys and types, the sequence re-decoded without special tokens', () => {
    const row = rowsOf('mask_single')[0];
    const out = fillMaskPostprocess(row, decoder, { top_k: 3 }) as unknown as Record<string, unknown>[];
    expect(out).toHaveLength(3);
    for (const p of out) {
      expect(Object.keys(p)).toEqual(['score', 'token', 'token_str', 'sequence']);
      expect(typeof p.score).toBe('number');
      expect(Number.isInteger(p.token)).toBe(true);
      expect(p.token_str).toBe(tok.decode([p.token as number]));
      expect(p.sequence).toBe(`the capital of france is ${p.token_str}.`);
    }
    const card = fillMaskPostprocess(row, decoder, { top_k: 1, keepSpecialTokens: true }) as {
      sequence: string;
    }[];
    expect(card[0].sequence).toBe(
      `[CLS] the capital of france is ${tok.decode([out[0].token as number])}. [SEP]`,
    );
  });

  it('several masks: a list per mask, each sequence keeps the special tokens and the other mask (as Python)', () => {
    const row = rowsOf('mask_two')[0];
    const out = fillMaskPostprocess(row, decoder, { top_k: 2 }) as { token: number; sequence: string }[][];
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveLength(2);
    row.maskPositions.forEach((position, m) => {
      const ids = [...row.inputIds];
      ids[position] = out[m][0].token;
      expect(out[m][0].sequence).toBe(tok.decode(ids, { skipSpecialTokens: false }));
      expect(out[m][0].sequence).toMatch(/^\[CLS\] i .*\[MASK\].* \[SEP\]$/);
    });
    expect(out[0][0].sequence.startsWith(`[CLS] i ${tok.decode([out[0][0].token])} reading`)).toBe(true);
  });

  it('targets: probabilities over the whole vocabulary, restricted (not renormalised) and re-ranked', () => {
    const row = rowsOf('mask_single')[0];
    const ids = [tok.vocab.get('paris')!, tok.vocab.get('london')!, tok.vocab.get('the')!];
    const out = fillMaskPostprocess(row, decoder, { top_k: 10, targetIds: ids }) as {
      score: number;
      token: number;
    }[];
    const probs = refSoftmax(row.maskLogits[0]);
    expect(out).toHaveLength(3); // top_k shrinks to the number of targets
    const want = ids.map((id) => ({ id, p: probs[id] })).sort((a, b) => b.p - a.p);
    expect(out.map((o) => o.token)).toEqual(want.map((w) => w.id));
    out.forEach((o, i) => {
      expect(o.score).toBeCloseTo(want[i].p, 12);
    });
    expect(out.reduce((a, o) => a + o.score, 0)).toBeLessThan(1);
  });

  it('resolveTargetIds: vocabulary tokens, else the first token with a warning; duplicates dropped', () => {
    const warnings: string[] = [];
    const ids = resolveTargetIds(
      ['paris', 'paris', 'Parisian'],
      (t) => tok.vocab.get(t),
      () => tok.vocab.get('paris'),
      (id) => tok.convertIdsToTokens([id])[0],
      (m) => warnings.push(m),
    );
    expect(ids).toEqual([tok.vocab.get('paris')]);
    expect(warnings[0]).toMatch(/`Parisian` does not exist in the model vocabulary\. Replacing with `paris`/);
    expect(() =>
      resolveTargetIds(
        ['zz'],
        () => undefined,
        () => undefined,
        String,
        () => {},
      ),
    ).toThrow(/At least one target must be provided/);
  });

  it('rejects an input without [MASK] and a bad top_k', () => {
    const row = { inputIds: [101, 7592, 102], maskPositions: [], maskLogits: [] };
    expect(() => fillMaskPostprocess(row, decoder)).toThrow(/No mask_token \(\[MASK\]\) found on the input/);
    expect(() => fillMaskPostprocess(rowsOf('mask_single')[0], decoder, { top_k: 0 })).toThrow(/top_k/);
  });
});
