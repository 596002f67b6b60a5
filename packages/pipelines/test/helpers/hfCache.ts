import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Hugging Face hub cache folder, as huggingface_hub finds it. */
export function hfCacheDir(): string {
  if (process.env.HF_HUB_CACHE) return process.env.HF_HUB_CACHE;
  const home =
    process.env.HF_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

/** Whether a snapshot of `repoId` with weights and config is in the cache. */
export function isCached(repoId: string): boolean {
  const snapshots = join(hfCacheDir(), `models--${repoId.replace('/', '--')}`, 'snapshots');
  if (!existsSync(snapshots)) return false;
  return readdirSync(snapshots).some(
    (s) =>
      existsSync(join(snapshots, s, 'config.json')) &&
      (existsSync(join(snapshots, s, 'model.safetensors')) ||
        existsSync(join(snapshots, s, 'pytorch_model.bin'))),
  );
}
