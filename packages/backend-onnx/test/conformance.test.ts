import { runConformance } from '@distilbert/core/testing';
import { OnnxBackend } from '../src/index.js';

// Kernels run as one-node onnxruntime graphs; fixture models run whole through runModel (the traced graph).
runConformance(() => new OnnxBackend({ intraOpNumThreads: 1 }), { name: 'onnx' });
