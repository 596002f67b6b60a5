import type { KernelName, KernelSpecs, TensorInfo } from '@distilbert/core';
import type { CpuBackend } from '../CpuBackend.js';

/** A kernel of this backend: the core kernel signature with the backend passed first. */
export type CpuKernel<K extends KernelName> = (
  backend: CpuBackend,
  inputs: KernelSpecs[K]['inputs'],
  attrs: KernelSpecs[K]['attrs'],
) => TensorInfo;

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
