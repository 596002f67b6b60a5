import { runConformance } from '@distilbert/core/testing';
import { createTfjsBackend } from '../src/TfjsBackend.js';

// tfjs's WebAssembly backend (XNNPACK kernels), loaded from @tensorflow/tfjs-backend-wasm's dist folder.
runConformance(() => createTfjsBackend({ tfBackend: 'wasm' }), { name: 'tfjs-wasm' });
