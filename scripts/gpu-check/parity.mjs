// Parity on the GPU: every tiny fixture case and the full-size model against the stored PyTorch outputs,
// and the same inputs on core's float64 reference backend. Prints max |diff| per output; exits 1 if any
// exceeds the README tolerance (1e-5 tiny, 5e-5 full size).
//   node scripts/gpu-check/parity.mjs [FULLSIZE_DIR] [--json OUT.json]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { core, FIXTURES, fixtures, gpuPkg, maxAbsDiff } from './lib.mjs';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const fullDir = args[0];

const backend = await gpuPkg.createGpuBackend();
console.log('adapter:', JSON.stringify(backend.adapterInfo));
const results = [];
let failed = false;

async function check(name, modelDir, atol) {
  const fx = fixtures.readFixture(FIXTURES, name);
  const expected = await fx.expected();
  const model = await core.loadModel(modelDir, { backend });
  const worst = {};
  const t0 = performance.now();
  for (const c of fx.cases) {
    const want = (k) => expected.float32(c.tensors[k].name);
    const has = (k) => k in c.tensors;
    let positions;
    if (fx.head === 'mlm' && has('logits_rows_index')) {
      const idx = expected.int32(c.tensors.logits_rows_index.name);
      positions = [];
      for (let i = 0; i < idx.length; i += 2) positions.push(idx[i] * c.seq_len + idx[i + 1]);
      if (positions.length === 0) positions = undefined;
    }
    const out = await model.forward(fixtures.caseInputs(c), {
      positions: positions ?? (fx.head === 'mlm' ? [0] : undefined),
    });
    const note = async (key, tensor, wanted) => {
      const d = maxAbsDiff(await tensor.data(), wanted);
      worst[key] = Math.max(worst[key] ?? 0, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
    };
    await note('last_hidden_state', out.last_hidden_state, want('last_hidden_state'));
    if (fx.head === 'seq' || fx.head === 'tok') await note('logits', out.logits, want('logits'));
    if (fx.head === 'qa') {
      await note('start_logits', out.start_logits, want('start_logits'));
      await note('end_logits', out.end_logits, want('end_logits'));
    }
    if (positions) await note('logits_rows', out.logits, want('logits_rows'));
    out.dispose();
  }
  model.dispose();
  const max = Math.max(...Object.values(worst));
  const ok = max <= atol;
  failed ||= !ok;
  const r = {
    model: name,
    cases: fx.cases.length,
    atol,
    maxAbsDiff: max,
    outputs: worst,
    ok,
    seconds: (performance.now() - t0) / 1000,
  };
  results.push(r);
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${name}: ${fx.cases.length} cases, max |diff| ${max.toExponential(2)} (atol ${atol})`,
    JSON.stringify(worst),
  );
}

for (const name of fixtures.listFixtures(FIXTURES)) {
  if (existsSync(join(FIXTURES, name, 'model.safetensors'))) await check(name, join(FIXTURES, name), 1e-5);
}
if (fullDir && existsSync(join(fullDir, 'model.safetensors')))
  await check('fullsize-distilbert-mlm', fullDir, 5e-5);
else console.log('full-size: no weights given (python3 fixtures/tools/make_fullsize.py DIR), skipped');
backend.dispose();
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ adapter: backend.adapterInfo, results }, null, 2));
process.exit(failed ? 1 : 0);
