// The full-size random DistilBERT's weights (255 MiB) are not in git: fixtures/tools/make_fullsize.py writes
// them bit-exactly (about 4 s with numpy) into node_modules/.cache, checked by sha256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const FULLSIZE_DIR = `${root}node_modules/.cache/distilbert-fullsize/`;
const SHA256 = '5ce491cb16b7a3a186378588de06d5f0f15190a05f1181a5eddc3e76aad02d70';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes the weights if they are missing or differ; throws if the generator's output has the wrong hash. */
export function ensureFullsizeWeights(): string {
  const file = `${FULLSIZE_DIR}model.safetensors`;
  if (existsSync(file) && sha256(file) === SHA256) return FULLSIZE_DIR;
  // Test files run in parallel: generate into a private folder, then rename into place (atomic).
  const tmp = `${FULLSIZE_DIR.slice(0, -1)}.tmp-${process.pid}/`;
  mkdirSync(tmp, { recursive: true });
  mkdirSync(FULLSIZE_DIR, { recursive: true });
  execFileSync('python3', [`${root}fixtures/tools/make_fullsize.py`, tmp], { stdio: 'inherit' });
  for (const f of ['config.json', 'model.safetensors']) renameSync(`${tmp}${f}`, `${FULLSIZE_DIR}${f}`);
  rmSync(tmp, { recursive: true, force: true });
  const got = sha256(file);
  if (got !== SHA256)
    throw new Error(`make_fullsize.py wrote ${file} with sha256 ${got}, expected ${SHA256}.`);
  return FULLSIZE_DIR;
}
