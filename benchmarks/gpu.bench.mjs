// @distilbert/backend-gpu on this machine's WebGPU adapter (lavapipe, Mesa's CPU Vulkan, in CI) beside
// onnxruntime-node's own WebGPU execution provider on an ONNX export of the same model (when one exists),
// tiny and full-size models, bare encoder, seq 128. On a software adapter the full-size model takes seconds
// per pass, so it gets one warm-up and one timed pass at batch 1. The NVIDIA numbers come from
// scripts/gpu-check.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURES,
  findOnnx,
  gpuPkg,
  ortThroughput,
  oursThroughput,
  ROOT,
} from '../scripts/gpu-check/lib.mjs';
import { report, versionOf } from './lib/report.mjs';

const FULL = process.env.DISTILBERT_FULLSIZE_DIR ?? join(tmpdir(), 'distilbert-fullsize-mlm');
if (!existsSync(join(FULL, 'model.safetensors'))) {
  mkdirSync(FULL, { recursive: true });
  execFileSync('python3', [join(ROOT, 'fixtures/tools/make_fullsize.py'), FULL], { stdio: 'inherit' });
}

const probe = await gpuPkg.createGpuBackend();
const adapter = probe.adapterInfo;
probe.dispose();
const software = /llvmpipe|lavapipe|swiftshader|software/i.test(
  `${adapter.description} ${adapter.architecture}`,
);

const plan = [
  {
    model: 'tiny (dim 32, 2 layers)',
    dir: join(FIXTURES, 'tiny-distilbert-mlm'),
    batches: [1, 8],
    quick: false,
  },
  { model: 'full size (768/12/6/3072)', dir: FULL, batches: [1], quick: software },
];
const rows = [['model', 'batch×seq', 'ours ms', 'ours seq/s', 'onnxruntime WebGPU ms', 'ours / ORT']];
const notes = [
  `Adapter: ${adapter.description || adapter.device} (${adapter.vendor}, ${adapter.architecture}).`,
];
for (const p of plan) {
  const ours = await oursThroughput(p.dir, { batches: p.batches, minMs: 1000, quick: p.quick });
  const onnx = await findOnnx(p.dir);
  let ort;
  if (onnx) {
    try {
      ort = await ortThroughput(onnx, { ep: 'webgpu', batches: p.batches, minMs: 1000, quick: p.quick });
    } catch (error) {
      notes.push(`onnxruntime WebGPU on ${p.model} failed: ${error.message.split('\n')[0]}`);
    }
  } else notes.push(`${p.model}: no ONNX export (onnx/model.onnx in ${p.dir}), so no onnxruntime column.`);
  for (const r of ours.rows) {
    const o = ort?.rows.find((x) => x.batch === r.batch);
    rows.push([
      p.model,
      `${r.batch}×${r.seq}`,
      r.msSync.toFixed(1),
      r.seqPerSec.toFixed(2),
      o ? o.ms.toFixed(1) : '—',
      o ? `${(o.ms / r.msSync).toFixed(2)}×` : '—',
    ]);
  }
  if (p.quick) notes.push(`${p.model}: one warm-up + one timed pass (software adapter).`);
}
notes.push('ours ms: forward until the GPU queue is done (no readback); ORT returns its output on the host.');
if (software)
  notes.push('Software adapter on a shared 2-core machine: absolute numbers are not GPU performance.');
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
