import { createCpuBackend } from '@distilbert/backend-cpu';
import { createGpuBackend } from '@distilbert/backend-gpu';
import type { KernelBackend } from '@distilbert/core';

export interface PickedBackend {
  backend: KernelBackend;
  /** 'gpu' or 'cpu', and why the GPU was not used. */
  kind: 'gpu' | 'cpu';
  note: string;
}

/**
 * WebGPU when the browser has an adapter (createGpuBackend uses navigator.gpu in a page), else the CPU
 * backend. The CPU backend runs on one thread unless the page is cross-origin isolated.
 */
export async function pickBackend(wanted: string | null): Promise<PickedBackend> {
  let note = 'WebGPU not requested';
  if (wanted !== 'cpu') {
    try {
      return { backend: await createGpuBackend(), kind: 'gpu', note: 'WebGPU' };
    } catch (error) {
      note = `WebGPU unavailable: ${(error as Error).message}`;
    }
  }
  return { backend: await createCpuBackend(), kind: 'cpu', note };
}
