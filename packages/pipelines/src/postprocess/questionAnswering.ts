import { badInput } from '../errors.js';
import type { EncodingLike } from '../types.js';

/** One answer, with the keys of Python's QuestionAnsweringPipeline. `start`/`end` index the context. */
export interface QaAnswer {
  score: number;
  start: number;
  end: number;
  answer: string;
}

/** One window of the context (question first, then a slice of the context), as the model saw it. */
export interface QaSpan {
  encoding: EncodingLike;
  startLogits: ArrayLike<number>;
  endLogits: ArrayLike<number>;
}

export interface QaPostprocessOptions {
  top_k?: number;
  handle_impossible_answer?: boolean;
  max_answer_len?: number;
  /** Widen the answer to whole words (default true, as Python). */
  align_to_words?: boolean;
}

/**
 * Python's `p_mask` for a question-first encoding: 1 where a token cannot be part of the answer (the
 * question, [SEP], padding), 0 on context tokens and on [CLS] (kept for "no answer").
 */
export function answerMask(encoding: EncodingLike, clsTokenId: number | null): Uint8Array {
  return Uint8Array.from(encoding.sequence_ids, (s, t) =>
    s === 1 || (clsTokenId !== null && encoding.input_ids[t] === clsTokenId) ? 0 : 1,
  );
}

/**
 * Python's QuestionAnsweringPipeline.postprocess for one example: per window, softmax of start and end
 * logits over the allowed tokens, the best (start, end) pairs with start <= end < start + max_answer_len,
 * mapped back to characters of the context (whole words by default); the windows' answers merged and
 * sorted, with the null answer added when `handle_impossible_answer`. One answer gives an object, several
 * an array, as in Python.
 */
export function questionAnsweringPostprocess(
  spans: readonly QaSpan[],
  context: string,
  clsTokenId: number | null,
  options: QaPostprocessOptions = {},
): QaAnswer | QaAnswer[] {
  const topK = options.top_k ?? 1;
  const maxAnswerLen = options.max_answer_len ?? 15;
  if (!Number.isInteger(topK) || topK < 1) throw badInput(`top_k parameter should be >= 1 (got ${topK})`);
  if (!Number.isInteger(maxAnswerLen) || maxAnswerLen < 1) {
    throw badInput(`max_answer_len parameter should be >= 1 (got ${maxAnswerLen})`);
  }
  const alignToWords = options.align_to_words ?? true;
  let minNullScore = 1_000_000;
  const answers: QaAnswer[] = [];
  for (const span of spans) {
    const enc = span.encoding;
    const n = enc.tokens.length;
    const pMask = answerMask(enc, clsTokenId);
    // Allowed: not p-masked and a real (attended) token.
    const allowed = Uint8Array.from(pMask, (m, t) => (m === 0 && enc.attention_mask[t] ? 1 : 0));
    const start = normalise(span.startLogits, allowed, n);
    const end = normalise(span.endLogits, allowed, n);
    if (options.handle_impossible_answer) minNullScore = Math.min(minNullScore, start[0] * end[0]);
    start[0] = 0;
    end[0] = 0;
    for (const [s, e, score] of decodeSpans(start, end, topK, maxAnswerLen, allowed)) {
      const [startIndex, endIndex] = charSpan(enc, s, e, alignToWords);
      answers.push({ score, start: startIndex, end: endIndex, answer: context.slice(startIndex, endIndex) });
    }
  }
  if (options.handle_impossible_answer) answers.push({ score: minNullScore, start: 0, end: 0, answer: '' });
  answers.sort((a, b) => b.score - a.score);
  const top = answers.slice(0, topK);
  return top.length === 1 ? top[0] : top;
}

/** Softmax over the window with disallowed tokens set to -10000, as Python does. */
function normalise(logits: ArrayLike<number>, allowed: Uint8Array, n: number): Float64Array {
  const x = Float64Array.from({ length: n }, (_, t) => (allowed[t] ? logits[t] : -10000));
  let max = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > max) max = v;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    x[t] = Math.exp(x[t] - max);
    sum += x[t];
  }
  for (let t = 0; t < n; t++) x[t] /= sum;
  return x;
}

/**
 * Python's decode_spans: the top-k (start, end) pairs of the banded outer product start ⊗ end, then only
 * those whose start and end are both allowed tokens (so fewer than k may remain, as in Python).
 */
export function decodeSpans(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  topK: number,
  maxAnswerLen: number,
  allowed: ArrayLike<number>,
): Array<[start: number, end: number, score: number]> {
  const n = start.length;
  const candidates: Array<[number, number, number]> = [];
  for (let s = 0; s < n; s++) {
    for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) candidates.push([s, e, start[s] * end[e]]);
  }
  // Row-major order on ties, like argmax over the flattened matrix.
  candidates.sort((a, b) => b[2] - a[2]);
  return candidates.slice(0, topK).filter(([s, e]) => allowed[s] && allowed[e]);
}

/** Characters of the context covered by tokens s..e, widened to whole words (Python's get_indices). */
function charSpan(enc: EncodingLike, s: number, e: number, alignToWords: boolean): [number, number] {
  if (alignToWords) {
    const startWord = enc.word_ids[s];
    const endWord = enc.word_ids[e];
    if (startWord !== null && endWord !== null) {
      const first = wordChars(enc, startWord);
      const last = wordChars(enc, endWord);
      if (first && last) return [first[0], last[1]];
    }
  }
  return [enc.offsets[s][0], enc.offsets[e][1]];
}

/** `word_to_chars(word, sequence_index=1)`: the characters of one context word. */
function wordChars(enc: EncodingLike, word: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let t = 0; t < enc.word_ids.length; t++) {
    if (enc.word_ids[t] === word && enc.sequence_ids[t] === 1) {
      if (first < 0) first = t;
      last = t;
    }
  }
  return first < 0 ? null : [enc.offsets[first][0], enc.offsets[last][1]];
}
