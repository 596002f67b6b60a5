// @distilbert/backend-gpu on this machine's WebGPU adapter (lavapipe, Mesa's CPU Vulkan, in CI) beside
// onnxruntime-node's own WebGPU execution provider on our ONNX export of the same weights
// (@distilbert/backend-onnx), tiny and full-size models, bare encoder, seq 128, with the two outputs compared.
// On a software adapter a full-size pass takes seconds, so the full-size model gets one warm-up (at 1×128)
// and one timed pass per shape. The NVIDIA numbers come from scripts/gpu-check.sh.
//   node benchmarks/gpu.bench.mjs     (GPU_BENCH_FULL_BATCHES=1,8 and GPU_BENCH_TINY_BATCHES=1,8,32,64)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOnnx } from '@distilbert/backend-onnx';
import {
  FIXTURES,
  gpuPkg,
  maxAbsDiff,
  ortThroughput,
  oursThroughput,
  QUICK,
  ROOT,
} from '../scripts/gpu-check/lib.mjs';
import { FULLSIZE, prepareFullsize } from './lib/onnx-fullsize.mjs';
import { report, versionOf } from './lib/report.mjs';

const batchesOf = (name, dflt) => (process.env[name] ?? dflt).split(',').map(Number);
const t0 = performance.now();
const lap = (s) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${s}`);

// The full-size encoder export is shared with onnx.bench.mjs; the tiny one is made here once.
await prepareFullsize();
const TINY = join(FIXTURES, 'tiny-distilbert-mlm');
const TINY_ONNX = join(ROOT, 'node_modules/.cache/distilbert-gpu-bench/tiny-encoder');
if (!existsSync(join(TINY_ONNX, 'onnx/model.onnx'))) {
  await exportOnnx({ model: TINY, outDir: TINY_ONNX, architecture: 'DistilBertModel' });
}

const probe = await gpuPkg.createGpuBackend();
const adapter = probe.adapterInfo;
probe.dispose();
const software = /llvmpipe|lavapipe|swiftshader|software/i.test(
  `${adapter.description} ${adapter.architecture}`,
);

// Software adapter: tiny gets the median of 3 timed passes; the full size one pass per shape, the warm-up
// (pipeline and shader compilation, on both sides) only before the first shape.
const plan = [
  {
    model: 'tiny (dim 32, 2 layers)',
    dir: TINY,
    onnx: join(TINY_ONNX, 'onnx/model.onnx'),
    batches: batchesOf('GPU_BENCH_TINY_BATCHES', '1,8,32,64'),
    timing: software ? { warmup: 1, minIters: 1, rounds: 3, minMs: 600 } : { minMs: 1000 },
  },
  {
    model: 'full size (768/12/6/3072)',
    dir: FULLSIZE,
    onnx: join(FULLSIZE, 'model.onnx'),
    batches: batchesOf('GPU_BENCH_FULL_BATCHES', '1,8'),
    timing: software ? (_b, i) => ({ ...QUICK, warmup: i === 0 ? 1 : 0 }) : { minMs: 1000 },
  },
];
const rows = [
  ['model', 'batch×seq', 'ours ms', 'ours seq/s', 'ORT WebGPU ms', 'ORT seq/s', 'ours / ORT', 'max abs diff'],
];
const notes = [
  `Adapter: ${adapter.description || adapter.device} (${adapter.vendor}, ${adapter.architecture}).`,
];
for (const p of plan) {
  // Both sides: forward + last_hidden_state copied to the host (onnxruntime-node returns host tensors).
  const ours = await oursThroughput(p.dir, {
    batches: p.batches,
    timing: p.timing,
    measure: ['read'],
    capture: true,
    log: lap,
  });
  let ort;
  try {
    ort = await ortThroughput(p.onnx, {
      ep: 'webgpu',
      batches: p.batches,
      timing: p.timing,
      capture: true,
      log: lap,
    });
  } catch (error) {
    notes.push(`onnxruntime WebGPU on ${p.model} failed: ${String(error.message).split('\n')[0]}`);
  }
  for (const r of ours.rows) {
    const o = ort?.rows.find((x) => x.batch === r.batch);
    rows.push([
      p.model,
      `${r.batch}×${r.seq}`,
      r.msRead.toFixed(1),
      r.seqPerSec.toFixed(2),
      o ? o.ms.toFixed(1) : '—',
      o ? o.seqPerSec.toFixed(2) : '—',
      o ? `${(o.ms / r.msRead).toFixed(2)}×` : '—',
      o ? maxAbsDiff(r.data, o.data).toExponential(1) : '—',
    ]);
  }
}
notes.push(
  'Both columns: forward pass with last_hidden_state read back to the host; same weights, same int32/int64 ids (synthetic, all tokens attended). ours / ORT > 1: ours is faster. max abs diff: last_hidden_state, ours vs ORT.',
  "ORT runs our export (`exportOnnx`, opset 17, `architecture: DistilBertModel`) with `executionProviders: ['webgpu']`; ORT places shape ops on the CPU itself.",
);
if (software)
  notes.push(
    'Software adapter (lavapipe) on a shared 2-core machine with other jobs running: figures are CPU-bound and move ±20%; tiny is the median of 3 passes after a warm-up, full size one pass per shape after one warm-up at 1×128.',
  );
notes.push(`Whole run: ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
report({
  title: 'backend-gpu (WebGPU) vs onnxruntime-node WebGPU EP',
  command: 'node benchmarks/gpu.bench.mjs',
  rows,
  versions: {
    webgpu: JSON.parse(
      readFileSync(join(ROOT, 'packages/backend-gpu/node_modules/webgpu/package.json'), 'utf8'),
    ).version,
    'onnxruntime-node': versionOf('onnxruntime-node'),
  },
  notes,
});
process.exit(0);
