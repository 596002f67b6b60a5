import type { GraphBuilder, Val } from '../GraphBuilder.js';

/** What a kernel lowering sees: the graph being built and how to look into constant weights. */
export interface LowerContext {
  readonly g: GraphBuilder;
  /** The values of a weight known at export time (initializers), so Linear can store it transposed. */
  constantOf(v: Val): Float32Array | undefined;
  /** 'erf': the exact Erf pattern (portable). 'contrib': com.microsoft Gelu (onnxruntime only). */
  readonly gelu: 'erf' | 'contrib';
}

export const val = (name: string, elem: Val['elem'], shape: readonly number[]): Val => ({
  name,
  elem,
  shape,
});

/** numpy broadcasting of two shapes (Add/Mul take a suffix, MatMul batch axes). */
export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}
