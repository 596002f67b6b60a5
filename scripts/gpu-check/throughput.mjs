// Our backend's throughput on the bare encoder: node scripts/gpu-check/throughput.mjs MODEL_DIR [--batches 1,8,32,64]
// [--seq 128] [--ms 1500] [--f16] [--json OUT.json] [--dump DIR]. The JSON is rewritten after every shape, so a
// time-out keeps what was measured. --dump writes the first batch's last_hidden_state to DIR/ours-<b>x<seq>.f32
// (raw float32), which ort.mjs --compare checks onnxruntime's output against.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
const dump = opt('--dump');
const save = (rows) => json && writeFileSync(json, JSON.stringify({ f16, rows }, null, 2));
await oursThroughput(dir, {
  batches,
  seq: Number(opt('--seq', 128)),
  minMs: Number(opt('--ms', 1500)),
  f16,
  capture: Boolean(dump),
  onRow: (row, rows) => {
    if (dump && rows.length === 1) writeFileSync(join(dump, `ours-${row.batch}x${row.seq}.f32`), row.data);
    save(rows);
  },
});
