// pnpm bench: runs every benchmark file in this folder (or those named: pnpm bench -- tokenizer gemm).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', f], {
    stdio: 'inherit',
    cwd: new URL('.', import.meta.url),
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
