import type { Encoding } from './Encoding.js';

export interface PadParams {
  padId: number;
  padTypeId: number;
  side: 'right' | 'left';
}

/** Pads an encoding in place to `length` (a no-op when it is already that long or longer). */
export function padEncoding(e: Encoding, length: number, p: PadParams): void {
  const n = length - e.input_ids.length;
  if (n <= 0) return;
  if (p.side === 'right') {
    // One loop over all fields: this runs for every row of every batch.
    for (let k = 0; k < n; k++) {
      e.input_ids.push(p.padId);
      e.token_type_ids.push(p.padTypeId);
      e.attention_mask.push(0);
      e.special_tokens_mask.push(1);
      e.word_ids.push(null);
      e.sequence_ids.push(null);
      e.offsetStarts.push(0);
      e.offsetEnds.push(0);
    }
    return;
  }
  const pad = <T>(v: T, arr: T[]) => new Array<T>(n).fill(v).concat(arr);
  e.input_ids = pad(p.padId, e.input_ids);
  e.token_type_ids = pad(p.padTypeId, e.token_type_ids);
  e.attention_mask = pad(0, e.attention_mask);
  e.special_tokens_mask = pad(1, e.special_tokens_mask);
  e.word_ids = pad<number | null>(null, e.word_ids);
  e.sequence_ids = pad<number | null>(null, e.sequence_ids);
  e.offsetStarts = pad(0, e.offsetStarts);
  e.offsetEnds = pad(0, e.offsetEnds);
}

/** Rounds up to a multiple (`padToMultipleOf`). */
export function roundUp(length: number, multiple: number | undefined): number {
  return multiple && multiple > 1 ? Math.ceil(length / multiple) * multiple : length;
}
