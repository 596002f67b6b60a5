import type { Sequence } from './Encoding.js';
import { TokenizerError } from './errors.js';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';

export function sliceSequence(s: Sequence, start: number, end: number): Sequence {
  return {
    ids: s.ids.slice(start, end),
    starts: s.starts.slice(start, end),
    ends: s.ends.slice(start, end),
    words: s.words.slice(start, end),
  };
}

/**
 * Windows of a sequence of `length` tokens cut to `maxLen` with `stride` tokens of overlap, in the library's
 * order (`Encoding::truncate`): the first is kept, the rest overflow.
 */
export function truncationWindows(
  length: number,
  maxLen: number,
  stride: number,
  side: 'right' | 'left',
): [number, number][] {
  if (maxLen >= length) return [[0, length]];
  if (maxLen === 0)
    return [
      [0, 0],
      [0, length],
    ];
  if (stride >= maxLen)
    throw new TokenizerError(
      'INVALID_OPTION',
      `stride ${stride} must be smaller than the tokens left for the sequence (${maxLen}); lower stride or raise maxLength.`,
    );
  const step = maxLen - stride;
  const out: [number, number][] = [];
  if (side === 'right') {
    for (let start = 0; start < length; start += step) {
      const stop = Math.min(start + maxLen, length);
      out.push([start, stop]);
      if (stop === length) break;
    }
  } else {
    for (let last = length - 1; last >= 0; last -= step) {
      const stop = last + 1;
      const start = Math.max(0, stop - maxLen);
      out.push([start, stop]);
      if (start === 0) break;
    }
  }
  return out;
}

/**
 * Token budget of each sequence for `longest_first` on a pair: the rule of Rust tokenizers up to 0.22.x
 * (`truncate_encodings`), which the goldens follow. When both must be cut, each gets half of `max` and the
 * longer one gets the odd token. (tokenizers 0.23.x sometimes gives the odd token to the other sequence; see README.)
 */
export function longestFirstLengths(n1: number, n2: number, max: number): [number, number] {
  if (n1 + n2 <= max) return [n1, n2];
  let short = Math.min(n1, n2);
  let long = short > max ? short : Math.max(short, max - short);
  if (short + long > max) {
    short = Math.floor(max / 2);
    long = short + (max % 2);
  }
  return n1 > n2 ? [long, short] : [short, long];
}

export interface TruncationParams {
  strategy: TruncationStrategy;
  /** Tokens left for the sequences (maxLength minus the special tokens). */
  maxLength: number;
  stride: number;
  side: 'right' | 'left';
}

/** Cuts a sequence (or pair) to fit; returns the windows of each sequence, the kept one first. */
export function truncate(
  a: Sequence,
  b: Sequence | null,
  p: TruncationParams,
): { a: Sequence[]; b: Sequence[] | null } {
  const la = a.ids.length;
  const lb = b ? b.ids.length : 0;
  let targetA = la;
  let targetB = lb;
  if (p.strategy !== 'do_not_truncate' && la + lb > p.maxLength) {
    const toRemove = la + lb - p.maxLength;
    if (p.strategy === 'longest_first') {
      if (b) [targetA, targetB] = longestFirstLengths(la, lb, p.maxLength);
      else targetA = p.maxLength;
    } else if (p.strategy === 'only_second' && !b) {
      throw new TokenizerError('INVALID_OPTION', "truncation 'only_second' needs a text pair.");
    } else {
      const len = p.strategy === 'only_first' ? la : lb;
      if (len <= toRemove)
        throw new TokenizerError(
          'SEQUENCE_TOO_SHORT',
          `Truncation '${p.strategy}' must remove ${toRemove} tokens but that sequence has only ${len}; use 'longest_first' or a larger maxLength.`,
        );
      if (p.strategy === 'only_first') targetA = la - toRemove;
      else targetB = lb - toRemove;
    }
  }
  const cut = (s: Sequence, len: number, target: number) =>
    target >= len
      ? [s]
      : truncationWindows(len, target, p.stride, p.side).map(([x, y]) => sliceSequence(s, x, y));
  return { a: cut(a, la, targetA), b: b ? cut(b, lb, targetB) : null };
}
