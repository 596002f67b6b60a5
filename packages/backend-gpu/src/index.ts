import type { BackendPlugin } from '@distilbert/core';
import { acquireDevice } from './device.js';
import { GpuBackend } from './GpuBackend.js';

export { type Dispatch, GpuBackend, type GpuBackendOptions, GpuData, type GpuMemory } from './GpuBackend.js';

export interface CreateGpuBackendOptions {
  /** Use a device you already have (browser page, or your own `webgpu` device in Node). */
  device?: GPUDevice;
  powerPreference?: GPUPowerPreference;
  /** f16 tiles in the matrix products when the adapter has 'shader-f16' (faster, looser; see README). */
  f16?: boolean;
}

/** Opens (or adopts) a WebGPU device and returns a backend on it. */
export async function createGpuBackend(options: CreateGpuBackendOptions = {}): Promise<GpuBackend> {
  const acquired = await acquireDevice(options);
  return new GpuBackend(acquired, { f16: options.f16 });
}

/** The plugin core's registry loads for `setBackend('gpu')` / `loadModel(id, { backend: 'gpu' })`. */
export const backend: BackendPlugin<CreateGpuBackendOptions> = {
  name: 'gpu',
  priority: 3,
  create: (options) => createGpuBackend(options),
};

export default backend;
