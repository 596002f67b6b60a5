// onnxruntime-node on an ONNX export: node scripts/gpu-check/ort.mjs MODEL.onnx [--ep webgpu] [--batches 1,8,32,64]
// [--seq 128] [--ms 1500] [--json OUT.json] (rewritten after every shape) [--compare DIR]: with --compare, a
// shape whose DIR/ours-<b>x<seq>.f32 exists (throughput.mjs --dump) gets `maxAbsDiffVsOurs`, onnxruntime's
// output against our backend's on the same inputs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maxAbsDiff, ortThroughput } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ep = opt('--ep', 'webgpu');
const json = opt('--json');
const compare = opt('--compare');
await ortThroughput(args[0], {
  ep,
  batches: opt('--batches', '1,8,32,64').split(',').map(Number),
  seq: Number(opt('--seq', 128)),
  minMs: Number(opt('--ms', 1500)),
  capture: Boolean(compare),
  onRow: (row, rows) => {
    const ref = compare && join(compare, `ours-${row.batch}x${row.seq}.f32`);
    if (ref && existsSync(ref)) {
      const b = readFileSync(ref);
      const ours = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      const d = maxAbsDiff(ours, row.data);
      row.maxAbsDiffVsOurs = Number.isFinite(d) ? d : null; // JSON has no NaN/Infinity
      console.log(`onnxruntime ${ep} vs ours at ${row.batch}×${row.seq}: max abs diff ${d.toExponential(2)}`);
    }
    json && writeFileSync(json, JSON.stringify({ ep, rows }, null, 2));
  },
});
