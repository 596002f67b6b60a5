// Packs what the GPU check needs into .cache/gpu-check/ (git-ignored), so the GPU machine needs neither
// node_modules nor a build: one bundle per script (our packages, hub and their JS deps inlined), Dawn's
// `webgpu` package for linux-x64, and (with --node) this machine's node binary, xz-compressed.
//   node scripts/gpu-check/pack.mjs [--node]      then carry .cache/gpu-check (and .gl) to the machine.
// Needs the built dist/ of core, hub and backend-gpu (pnpm build).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, '.cache/gpu-check');
const require = createRequire(join(ROOT, 'node_modules/.pnpm/node_modules/'));
const esbuild = require('esbuild');

rmSync(join(OUT, 'app'), { recursive: true, force: true }); // node.xz from an earlier --node run is kept
mkdirSync(join(OUT, 'app'), { recursive: true });
await esbuild.build({
  entryPoints: ['adapter', 'parity', 'throughput', 'profile', 'ort'].map((n) =>
    join(ROOT, `scripts/gpu-check/${n}.mjs`),
  ),
  outdir: join(OUT, 'app'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', 'onnxruntime-node'],
  // CommonJS deps (cli-progress) call require() at run time.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});
const webgpu = join(ROOT, 'packages/backend-gpu/node_modules/webgpu');
const dest = join(OUT, 'app/node_modules/webgpu');
mkdirSync(join(dest, 'dist'), { recursive: true });
for (const f of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(dest, f));
cpSync(join(webgpu, 'dist/linux-x64'), join(dest, 'dist/linux-x64'), { recursive: true });
if (process.argv.includes('--node')) {
  execFileSync('sh', ['-c', `xz -T2 -6 -c "${process.execPath}" > "${join(OUT, 'node.xz')}"`]);
}
const du = execFileSync('du', ['-sh', OUT]).toString().trim();
console.log(
  `packed ${du}; node.xz: ${existsSync(join(OUT, 'node.xz')) ? statSync(join(OUT, 'node.xz')).size : 'not included'}`,
);
