// Core's backend conformance kit: every kernel against the float64 reference on edge shapes, the fused
// kernels against core's composites, and every fixture model end to end (all weight formats, and the
// full-size model): the WASM relaxed-SIMD kernels (the default) and the strict WASM SIMD ones at 2 threads,
// and the TypeScript fallback.
import { runConformance } from '@distilbert/core/testing';
import { createCpuBackend } from '../src/index.js';
import { ensureFullsizeWeights } from './fullsizeWeights.js';

const weightsDirs = { 'fullsize-distilbert-mlm': ensureFullsizeWeights() };
runConformance(() => createCpuBackend({ threads: 2 }), { name: 'cpu (relaxed SIMD)', weightsDirs });
runConformance(() => createCpuBackend({ threads: 2, wasm: 'simd' }), { name: 'cpu (SIMD)', weightsDirs });
runConformance(() => createCpuBackend({ wasm: false }), { name: 'cpu (TypeScript fallback)', weightsDirs });
