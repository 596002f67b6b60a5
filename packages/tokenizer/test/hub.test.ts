import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../src/index.js';
import { UNCASED_DIR } from './goldens.js';

// A Hub id resolved offline from a huggingface_hub-layout cache (models--{name}/refs, snapshots/{commit}).
const cacheDir = mkdtempSync(join(tmpdir(), 'distilbert-tokenizer-hub-'));
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const OLD = 'fedcba9876543210fedcba9876543210fedcba98';
const repo = join(cacheDir, 'models--distilbert-base-uncased');
for (const [commit, files] of [
  [COMMIT, ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']],
  [OLD, ['vocab.txt']],
] as const) {
  mkdirSync(join(repo, 'snapshots', commit), { recursive: true });
  for (const f of files) copyFileSync(join(UNCASED_DIR, f), join(repo, 'snapshots', commit, f));
}
mkdirSync(join(repo, 'refs'), { recursive: true });
writeFileSync(join(repo, 'refs', 'main'), COMMIT);
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('fromPretrained with a Hub id', () => {
  it('loads the cached snapshot of the revision, offline', async () => {
    const tok = await BertTokenizer.fromPretrained('distilbert-base-uncased', { cacheDir, offline: true });
    expect(tok.encode('role model').input_ids).toEqual([101, 2535, 2944, 102]);
    expect(tok.modelMaxLength).toBe(512);
  });

  it('honours revision (a snapshot with vocab.txt only, cased on request)', async () => {
    const tok = await BertTokenizer.fromPretrained('distilbert-base-uncased', {
      cacheDir,
      offline: true,
      revision: OLD,
      doLowerCase: false,
    });
    expect(tok.encode('Role model').tokens).toEqual(['[CLS]', '[UNK]', 'model', '[SEP]']);
  });

  it('a missing repo is a clear error', async () => {
    await expect(BertTokenizer.fromPretrained('no-such-model', { cacheDir, offline: true })).rejects.toThrow(
      /no-such-model/,
    );
  });
});
