// Exports a model folder to ONNX with @distilbert/backend-onnx (transformers.js layout: OUT_DIR/onnx/model.onnx),
// so the GPU machine makes the onnxruntime column's file itself (268 MB at full size: too big to carry).
//   node scripts/gpu-check/export.mjs MODEL_DIR OUT_DIR [--architecture DistilBertModel]
// Relative import of the built package, so that pack.mjs can bundle it (onnxruntime-node stays external).
import { exportOnnx } from '../../packages/backend-onnx/dist/index.js';

const args = process.argv.slice(2);
const i = args.indexOf('--architecture');
const t0 = performance.now();
const r = await exportOnnx({
  model: args[0],
  outDir: args[1],
  architecture: i >= 0 ? args[i + 1] : 'DistilBertModel',
});
console.log(
  `exported ${r.architecture} (${r.outputs.join(', ')}) to ${r.model} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
