import { runConformance } from '@distilbert/core/testing';
import { createGpuBackend } from '../src/index.js';

// Core's kit: every kernel against the float64 reference (edge shapes included), the fused kernels against
// core's composites, and every fixture model end to end, at the README's float32 tolerance (1e-5). No
// adapter means a failing beforeAll (CI installs lavapipe, so there it must find one).
runConformance(() => createGpuBackend(), { name: 'gpu (WebGPU)' });
