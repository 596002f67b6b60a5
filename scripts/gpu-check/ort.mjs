// onnxruntime-node on an ONNX export: node scripts/gpu-check/ort.mjs MODEL.onnx [--ep webgpu] [--batches 1,8,32,64]
// [--seq 128] [--ms 1500] [--json OUT.json] (rewritten after every shape).
import { writeFileSync } from 'node:fs';
import { ortThroughput } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ep = opt('--ep', 'webgpu');
const json = opt('--json');
await ortThroughput(args[0], {
  ep,
  batches: opt('--batches', '1,8,32,64').split(',').map(Number),
  seq: Number(opt('--seq', 128)),
  minMs: Number(opt('--ms', 1500)),
  onRow: (_, rows) => json && writeFileSync(json, JSON.stringify({ ep, rows }, null, 2)),
});
