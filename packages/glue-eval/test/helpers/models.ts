import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS = fileURLToPath(new URL('../../../../fixtures/models/', import.meta.url));
export const GLUE = fileURLToPath(new URL('../../../../fixtures/data/glue/', import.meta.url));
export const model = (name: string) => join(MODELS, `tiny-distilbert-${name}`);

/**
 * A copy of tiny-distilbert-mnli whose classifier rows and id2label are permuted: output j of the copy is
 * output perm[j] of the original, so the same inputs give the same label names in another output order.
 */
export function permutedMnli(perm: [number, number, number]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnli-permuted-'));
  cpSync(model('mnli'), dir, { recursive: true });
  const file = join(dir, 'model.safetensors');
  const bytes = readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  for (const name of ['classifier.weight', 'classifier.bias']) {
    const { dtype, shape, data_offsets } = header[name];
    if (dtype !== 'F32' || shape[0] !== 3) throw new Error(`unexpected ${name}: ${dtype} ${shape}`);
    const start = 8 + n + data_offsets[0];
    const rowBytes = (data_offsets[1] - data_offsets[0]) / 3;
    const original = Buffer.from(bytes.subarray(start, start + 3 * rowBytes));
    perm.forEach((from, to) => {
      original.copy(bytes, start + to * rowBytes, from * rowBytes, (from + 1) * rowBytes);
    });
  }
  writeFileSync(file, bytes);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const names = perm.map((from) => config.id2label[from]);
  config.id2label = Object.fromEntries(names.map((l, i) => [i, l]));
  config.label2id = Object.fromEntries(names.map((l, i) => [l, i]));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

const MNLI_HEADER = [
  'index',
  'promptID',
  'pairID',
  'genre',
  'sentence1_binary_parse',
  'sentence2_binary_parse',
  'sentence1_parse',
  'sentence2_parse',
  'sentence1',
  'sentence2',
  'label1',
  'label2',
  'label3',
  'label4',
  'label5',
  'gold_label',
];

/**
 * MNLI dev files (not in the fixtures: over 4 MiB) in the official 16-column layout, built from RTE dev
 * pairs; gold labels cycle through the three classes so that all of them occur.
 */
export function mnliDevFiles(glueDir: string, rows: number): void {
  const rte = readFileSync(join(GLUE, 'RTE/dev.tsv'), 'utf8')
    .split('\n')
    .slice(1, rows + 1);
  const gold = ['entailment', 'neutral', 'contradiction'];
  const body = rte.map((line, i) => {
    const [, s1, s2] = line.split('\t');
    const g = gold[i % 3];
    return [
      i,
      i,
      `${i}e`,
      'fiction',
      '( x )',
      '( y )',
      '(ROOT x)',
      '(ROOT y)',
      s1,
      s2,
      g,
      g,
      g,
      g,
      g,
      g,
    ].join('\t');
  });
  const text = `${MNLI_HEADER.join('\t')}\n${body.join('\n')}\n`;
  writeFileSync(join(glueDir, 'MNLI/dev_matched.tsv'), text);
  writeFileSync(join(glueDir, 'MNLI/dev_mismatched.tsv'), text);
}
