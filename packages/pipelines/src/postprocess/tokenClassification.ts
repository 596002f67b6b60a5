import { badInput } from '../errors.js';
import type { EncodingLike, ModelConfigLike } from '../types.js';
import { argmax, softmax } from '../util/math.js';
import { labelOf } from './textClassification.js';
import { convertTokensToString } from './wordpiece.js';

export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';
export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = [
  'none',
  'simple',
  'first',
  'average',
  'max',
];

/** aggregation_strategy 'none': one entry per token (Python's keys and order). */
export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number | null;
  end: number | null;
}

/** Every other strategy: one entry per group of tokens. */
export interface GroupedEntity {
  entity_group: string;
  score: number;
  word: string;
  start: number | null;
  end: number | null;
}

export interface TokenClassificationPostprocessOptions {
  aggregation_strategy?: AggregationStrategy;
  /** Labels (or groups) to leave out; default ['O']. */
  ignore_labels?: readonly string[];
}

interface PreEntity {
  word: string;
  scores: Float64Array;
  start: number | null;
  end: number | null;
  index: number;
  isSubword: boolean;
}

interface WordEntity {
  entity: string;
  score: number;
  word: string;
  start: number | null;
  end: number | null;
  index?: number;
}

/**
 * Python's TokenClassificationPipeline.postprocess for one encoded sentence: per-token softmax, special tokens
 * dropped, WordPiece sub-words found by comparing each token with the text it covers, then the chosen
 * aggregation, then `ignore_labels` filtered out.
 * `logits` is [tokens, num_labels] row-major for `encoding`'s tokens.
 */
export function tokenClassificationPostprocess(
  sentence: string,
  encoding: EncodingLike,
  logits: ArrayLike<number>,
  config: ModelConfigLike,
  unkTokenId: number | null,
  options: TokenClassificationPostprocessOptions = {},
): TokenEntity[] | GroupedEntity[] {
  const strategy = options.aggregation_strategy ?? 'none';
  if (!AGGREGATION_STRATEGIES.includes(strategy)) {
    throw badInput(
      `Invalid aggregation_strategy '${strategy}': use one of ${AGGREGATION_STRATEGIES.join(', ')}.`,
    );
  }
  const ignore = options.ignore_labels ?? ['O'];
  const n = encoding.tokens.length;
  const numLabels = logits.length / n;
  const pre: PreEntity[] = [];
  for (let t = 0; t < n; t++) {
    if (encoding.special_tokens_mask[t]) continue;
    const row = Array.prototype.slice.call(logits, t * numLabels, (t + 1) * numLabels) as number[];
    let word = encoding.tokens[t];
    const [start, end] = encoding.offsets[t];
    const wordRef = sentence.slice(start, end);
    // A WordPiece tokenizer knows its sub-words: a piece is one when its text differs in length from the
    // characters it covers ("##ing" vs "ing"). Lengths in code points, as Python's len.
    let isSubword = [...word].length !== [...wordRef].length;
    if (encoding.input_ids[t] === unkTokenId) {
      word = wordRef;
      isSubword = false;
    }
    pre.push({ word, scores: softmax(row), start, end, index: t, isSubword });
  }

  let entities: WordEntity[];
  if (strategy === 'none' || strategy === 'simple') {
    entities = pre.map((p) => {
      const i = argmax(p.scores);
      return {
        entity: labelOf(config, i),
        score: p.scores[i],
        index: p.index,
        word: p.word,
        start: p.start,
        end: p.end,
      };
    });
  } else {
    entities = aggregateWords(pre, strategy, config);
  }
  if (strategy === 'none') {
    return (entities as TokenEntity[]).filter((e) => !ignore.includes(e.entity));
  }
  return groupEntities(entities).filter((e) => !ignore.includes(e.entity_group));
}

function aggregateWords(
  pre: PreEntity[],
  strategy: AggregationStrategy,
  config: ModelConfigLike,
): WordEntity[] {
  const words: WordEntity[] = [];
  let group: PreEntity[] = [];
  for (const p of pre) {
    if (group.length > 0 && !p.isSubword) {
      words.push(aggregateWord(group, strategy, config));
      group = [];
    }
    group.push(p);
  }
  if (group.length > 0) words.push(aggregateWord(group, strategy, config));
  return words;
}

function aggregateWord(
  group: PreEntity[],
  strategy: AggregationStrategy,
  config: ModelConfigLike,
): WordEntity {
  let scores: ArrayLike<number>;
  if (strategy === 'first') {
    scores = group[0].scores;
  } else if (strategy === 'max') {
    // The token whose best score is highest (the first such token on ties, as Python's max).
    let best = group[0];
    for (const p of group) if (p.scores[argmax(p.scores)] > best.scores[argmax(best.scores)]) best = p;
    scores = best.scores;
  } else {
    const avg = new Float64Array(group[0].scores.length);
    for (const p of group) for (let i = 0; i < avg.length; i++) avg[i] += p.scores[i] / group.length;
    scores = avg;
  }
  const i = argmax(scores);
  return {
    entity: labelOf(config, i),
    score: scores[i],
    word: convertTokensToString(group.map((p) => p.word)),
    start: group[0].start,
    end: group[group.length - 1].end,
  };
}

/** B-/I- prefixes; a label without one counts as a continuation (I). */
function tagOf(label: string): [bi: string, tag: string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

function groupEntities(entities: WordEntity[]): GroupedEntity[] {
  const groups: GroupedEntity[] = [];
  let current: WordEntity[] = [];
  const flush = () => {
    const label = current[0].entity;
    const dash = label.indexOf('-');
    groups.push({
      entity_group: dash < 0 ? label : label.slice(dash + 1),
      score: current.reduce((s, e) => s + e.score, 0) / current.length,
      word: convertTokensToString(current.map((e) => e.word)),
      start: current[0].start,
      end: current[current.length - 1].end,
    });
  };
  for (const e of entities) {
    if (current.length > 0) {
      const [bi, tag] = tagOf(e.entity);
      const [, lastTag] = tagOf(current[current.length - 1].entity);
      if (!(tag === lastTag && bi !== 'B')) {
        flush();
        current = [];
      }
    }
    current.push(e);
  }
  if (current.length > 0) flush();
  return groups;
}
