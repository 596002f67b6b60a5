// Where a forward pass spends its GPU time: records the dispatches of one forward of the bare encoder at
// BATCH×128, then replays each one alone (5 times, waiting for the GPU) and sums by shader and shape.
// GEMM rows get GFLOP/s. For tuning on the GPU machine.
//   node scripts/gpu-check/profile.mjs MODEL_DIR [--batch 32] [--seq 128] [--json OUT.json]
import { writeFileSync } from 'node:fs';
import { core, gpuPkg, syntheticInputs } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const batch = Number(opt('--batch', 32));
const backend = await gpuPkg.createGpuBackend();
const model = await core.loadModel(args[0], { backend, architecture: 'DistilBertModel' });
const inputs = syntheticInputs(batch, Number(opt('--seq', 128)));
for (let i = 0; i < 2; i++) {
  const out = await model.forward(inputs);
  await backend.sync();
  out.dispose();
}
const recorded = [];
const dispatch = backend.dispatch.bind(backend);
backend.dispatch = (d) => {
  recorded.push(d);
  dispatch(d);
};
const t0 = performance.now();
const out = await model.forward(inputs);
await backend.sync();
const forwardMs = performance.now() - t0;
backend.dispatch = dispatch;
const rows = new Map();
for (const d of recorded) {
  await backend.sync();
  const s = performance.now();
  for (let r = 0; r < 5; r++) dispatch(d);
  await backend.sync();
  const ms = (performance.now() - s) / 5;
  const [m, n, k] = d.uniforms;
  const isGemm = d.key.startsWith('gemm') || d.key.startsWith('gemv');
  const key = `${d.key} [${d.uniforms.slice(0, isGemm ? 3 : 2).join(', ')}]`;
  const row = rows.get(key) ?? { kernel: key, calls: 0, ms: 0, flops: 0 };
  row.calls++;
  row.ms += ms;
  if (isGemm) row.flops += 2 * m * n * k * (d.grid?.[2] ?? 1);
  rows.set(key, row);
}
out.dispose();
const list = [...rows.values()].sort((a, b) => b.ms - a.ms);
const total = list.reduce((s, r) => s + r.ms, 0);
console.log(
  `forward ${batch}×128: ${forwardMs.toFixed(2)} ms in one submission; ${recorded.length} dispatches, ${total.toFixed(2)} ms replayed one by one`,
);
for (const r of list) {
  const gf = r.flops ? `${(r.flops / (r.ms * 1e6)).toFixed(0)} GFLOP/s` : '';
  console.log(`${r.ms.toFixed(3).padStart(9)} ms ${String(r.calls).padStart(3)}× ${r.kernel} ${gf}`);
}
const json = opt('--json');
if (json)
  writeFileSync(json, JSON.stringify({ batch, forwardMs, dispatches: recorded.length, rows: list }, null, 2));
model.dispose();
backend.dispose();
