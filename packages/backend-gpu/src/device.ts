import { BackendError } from '@distilbert/core';

export interface DeviceOptions {
  /** A device the caller already owns (a browser page, or a Node program using `webgpu`). */
  device?: GPUDevice;
  powerPreference?: GPUPowerPreference;
  /** Asks for 'shader-f16' so the `f16` option can be used. */
  f16?: boolean;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  hasF16: boolean;
  /** Keeps Dawn's GPU object alive while the device is in use (dropping it lets Node exit). */
  gpu?: GPU;
}

interface NodeWebGpu {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

async function findGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  return (await loadDawn()).create([]);
}

/** Dawn's Node module, with its WebGPU constants (GPUBufferUsage, ...) made global as in a browser. */
async function loadDawn(): Promise<NodeWebGpu> {
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
    ?.node;
  if (isNode !== 'string') {
    throw new BackendError(
      'WebGPU is not available in this browser (navigator.gpu is undefined). Use a WebGPU-enabled browser or the cpu backend.',
    );
  }
  let mod: NodeWebGpu;
  try {
    // A variable specifier keeps bundlers from pulling Dawn's native addon into browser builds.
    const specifier = 'webgpu';
    mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGpu;
  } catch (error) {
    throw new BackendError(
      "The gpu backend needs the 'webgpu' package (Dawn) in Node: pnpm add webgpu@0.6.2",
      { cause: error },
    );
  }
  // Dawn's constructors (GPUBufferUsage, ...) are what shaders and buffers are created with.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return mod;
}

function describe(info: GPUAdapterInfo | undefined): AcquiredDevice['adapterInfo'] {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
  };
}

/** Opens an adapter and a device with the adapter's largest buffer limits (the vocabulary matrix needs them). */
export async function acquireDevice(options: DeviceOptions): Promise<AcquiredDevice> {
  if (options.device) {
    const d = options.device;
    // A device made with `webgpu` in Node, without its globals installed: the backend needs GPUBufferUsage.
    if (typeof GPUBufferUsage === 'undefined') await loadDawn();
    return {
      device: d,
      adapterInfo: describe(d.adapterInfo),
      hasF16: d.features.has('shader-f16'),
    };
  }
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
  });
  if (!adapter) {
    throw new BackendError(
      'No WebGPU adapter found. In Node on Linux install a Vulkan driver (libvulkan1 + mesa-vulkan-drivers for CPU-only lavapipe, or the GPU vendor driver); in a browser enable WebGPU.',
    );
  }
  const hasF16 = adapter.features.has('shader-f16');
  const requiredFeatures: GPUFeatureName[] = options.f16 && hasF16 ? ['shader-f16'] : [];
  const lim = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
      maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
    },
  });
  return { device, adapterInfo: describe(adapter.info), hasF16: requiredFeatures.length > 0, gpu };
}
