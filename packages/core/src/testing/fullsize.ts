// The full-size random DistilBERT's weights (255 MiB) are not in git: fixtures/tools/make_fullsize.py writes
// them bit-exactly (a few seconds with numpy) into node_modules/.cache, checked by sha256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DistilBertError } from '../errors.js';

/** The repo root, found from this file (src/testing or dist/testing, three levels under it). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const GENERATOR = join(ROOT, 'fixtures/tools/make_fullsize.py');
/** Where the weights are cached unless DISTILBERT_FULLSIZE_DIR names another folder. */
export const FULLSIZE_MODEL_DIR = join(ROOT, 'node_modules/.cache/distilbert-fullsize/');
/** sha256 of model.safetensors as make_fullsize.py writes it with its default seed. */
export const FULLSIZE_MODEL_SHA256 = '5ce491cb16b7a3a186378588de06d5f0f15190a05f1181a5eddc3e76aad02d70';

/** python3 or numpy is missing, so the full-size weights cannot be generated here (tests may skip on it). */
export class FullsizeModelUnavailableError extends DistilBertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FULLSIZE_UNAVAILABLE', message, options);
  }
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function requirePythonWithNumpy(): void {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    // Without numpy the generator falls back to pure Python, which takes far longer than a test may.
    throw new FullsizeModelUnavailableError(
      e.code === 'ENOENT'
        ? 'python3 is not on PATH: install Python 3 with numpy to generate the full-size weights (fixtures/tools/make_fullsize.py).'
        : `python3 cannot import numpy (run \`python3 -m pip install numpy\`) to generate the full-size weights: ${String(e.stderr ?? e.message).trim()}`,
      { cause: error },
    );
  }
}

/**
 * The folder (config.json + model.safetensors) of the full-size random DistilBERT-for-MaskedLM that
 * fixtures/models/fullsize-distilbert-mlm's expected outputs belong to. Generates it on first use (into
 * node_modules/.cache, or DISTILBERT_FULLSIZE_DIR) and checks its sha256. Throws
 * FullsizeModelUnavailableError when python3/numpy are missing, and a plain Error when the generator
 * fails or writes other bytes.
 */
export async function ensureFullsizeModel(): Promise<string> {
  const envDir = process.env.DISTILBERT_FULLSIZE_DIR;
  const dir = envDir ? join(envDir, '/') : FULLSIZE_MODEL_DIR;
  const file = join(dir, 'model.safetensors');
  if (existsSync(file) && (await sha256(file)) === FULLSIZE_MODEL_SHA256) return dir;
  requirePythonWithNumpy();
  // Test files run in parallel: generate into a private folder, then rename into place (atomic).
  const tmp = `${dir.slice(0, -1)}.tmp-${process.pid}/`;
  mkdirSync(tmp, { recursive: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('python3', [GENERATOR, tmp], { stdio: 'inherit' });
    for (const f of ['config.json', 'model.safetensors']) renameSync(join(tmp, f), join(dir, f));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const got = await sha256(file);
  if (got !== FULLSIZE_MODEL_SHA256)
    throw new Error(`make_fullsize.py wrote ${file} with sha256 ${got}, expected ${FULLSIZE_MODEL_SHA256}.`);
  return dir;
}
