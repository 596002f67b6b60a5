import { readFileSync } from 'node:fs';

export const FIXTURES = new URL('../../../fixtures/', import.meta.url);
export const UNCASED_DIR = new URL('data/distilbert-base-uncased/', FIXTURES).pathname;

export interface GoldenVariant {
  input_ids: number[];
  tokens: string[];
  attention_mask: number[];
  token_type_ids: number[];
  special_tokens_mask: number[];
  offsets_utf16: [number, number][];
  sequence_ids: (number | null)[];
  word_ids: (number | null)[];
  decoded: string;
  decoded_with_special_tokens?: string;
}
export interface GoldenRecord {
  id: string;
  text: string;
  text_pair: string | null;
  tokenizers_0_23_differs: string[];
  full: GoldenVariant;
  max_length_16: GoldenVariant;
  max_length_32_padded: GoldenVariant;
}

export const GOLDEN_FILES = [
  'glue-sst2-dev.jsonl',
  'glue-cola-dev.jsonl',
  'glue-mrpc-dev.jsonl',
  'glue-rte-dev.jsonl',
  'adversarial.jsonl',
];

const cache = new Map<string, GoldenRecord[]>();
export function loadGoldens(file: string): GoldenRecord[] {
  let records = cache.get(file);
  if (!records) {
    records = readFileSync(new URL(`tokenizer/${file}`, FIXTURES), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as GoldenRecord);
    cache.set(file, records);
  }
  return records;
}

/** The encode options of each golden variant (see fixtures/tokenizer/README.md). */
export const VARIANTS = {
  full: {},
  max_length_16: { truncation: 'longest_first', maxLength: 16 },
  max_length_32_padded: { truncation: 'longest_first', maxLength: 32, padding: 'max_length' },
} as const;
