// Our backend's throughput on the bare encoder: node scripts/gpu-check/throughput.mjs MODEL_DIR [--batches 1,8,32,64]
// [--seq 128] [--ms 1500] [--f16] [--json OUT.json]. The JSON is rewritten after every shape, so a time-out
// keeps what was measured.
import { writeFileSync } from 'node:fs';
import { oursThroughput } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dir = args[0];
const batches = opt('--batches', '1,8,32,64').split(',').map(Number);
const json = opt('--json');
const f16 = args.includes('--f16');
const save = (rows) => json && writeFileSync(json, JSON.stringify({ f16, rows }, null, 2));
await oursThroughput(dir, {
  batches,
  seq: Number(opt('--seq', 128)),
  minMs: Number(opt('--ms', 1500)),
  f16,
  onRow: (_, rows) => save(rows),
});
