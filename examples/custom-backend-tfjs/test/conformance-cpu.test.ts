import { runConformance } from '@distilbert/core/testing';
import { createTfjsBackend } from '../src/TfjsBackend.js';

// tfjs's pure-JavaScript CPU backend: every kernel case, and the MLM fixture in all four weight files
// (safetensors F32/F16/BF16, pytorch_model.bin). The other fixtures exercise core's heads, not the backend:
// they run on the wasm backend (conformance-wasm.test.ts), because this backend's broadcasting softmax
// makes each 512-token case take seconds.
runConformance(() => createTfjsBackend({ tfBackend: 'cpu' }), {
  name: 'tfjs-cpu',
  fixtures: ['tiny-distilbert-mlm'],
});
