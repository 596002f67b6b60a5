import {
  BackendError,
  type BackendMemory,
  BYTES_PER_ELEMENT,
  type DataId,
  type DType,
  type KernelBackend,
  type KernelMap,
  sizeOf,
  type TensorInfo,
  type TypedArray,
} from '@distilbert/core';
import { BufferPool } from './BufferPool.js';
import type { AcquiredDevice } from './device.js';
import { makeKernels } from './kernels/index.js';

/** The backend's buffer handle (core's DataId). */
export class GpuData {
  constructor(
    readonly buffer: GPUBuffer,
    /** Bytes of the tensor (the buffer may be larger: its size class). */
    readonly bytes: number,
    readonly dtype: DType,
    /** Host copy of small int32 uploads, so Gather can reject bad ids synchronously. */
    readonly host?: Int32Array,
  ) {}
  disposed = false;
}

export interface GpuMemory extends BackendMemory {
  /** Free buffers held for reuse (not counted in numDataIds/numBytes). */
  numPooledBuffers: number;
  numPooledBytes: number;
}

export interface Dispatch {
  /** Identifies the shader: one pipeline per key, compiled on first use. */
  key: string;
  code: () => string;
  /** Storage buffers bound at 1..n, in the shader's binding order (read-only inputs first, then outputs). */
  buffers: GPUBuffer[];
  /** u32 words (floats as their bits, see `f32bits`), bound at 0 as `array<vec4<u32>, 8>`. */
  uniforms: readonly number[];
  /** Total workgroups; folded into x/y because one dimension holds at most 65,535. */
  workgroups: number;
  /** Or an explicit grid. */
  grid?: [number, number, number];
}

const UNIFORM_WORDS = 32;
const MAX_GROUPS = 65535;
const MAX_PENDING_DISPATCHES = 4096;
const HOST_SHADOW_LIMIT = 1 << 20;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The bits of a float32, for the uniform words. */
export function f32bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

export interface GpuBackendOptions {
  /** Use f16 arithmetic in the matrix-product tiles (needs 'shader-f16'; looser tolerance, see README). */
  f16?: boolean;
}

/**
 * WebGPU backend. Kernels only record dispatches into one command encoder; `read()` submits the batch, copies
 * the one tensor asked for into a staging buffer and maps it.
 */
export class GpuBackend implements KernelBackend {
  readonly name = 'gpu';
  readonly kernels: KernelMap;
  readonly device: GPUDevice;
  readonly adapterInfo: AcquiredDevice['adapterInfo'];
  /** f16 tiles are in use (asked for and available). */
  readonly f16: boolean;
  readonly #gpu?: GPU;
  readonly #pool: BufferPool;
  readonly #staging: BufferPool;
  readonly #live = new Set<GpuData>();
  #liveBytes = 0;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #uniforms = new Map<string, GPUBuffer>();
  readonly #bindGroups = new Map<string, GPUBindGroup>();
  readonly #bufferIds = new WeakMap<GPUBuffer, number>();
  #nextBufferId = 0;
  #encoder?: GPUCommandEncoder;
  #pass?: GPUComputePassEncoder;
  #pending = 0;
  #lost?: string;
  #error?: string;
  #disposed = false;
  /** Submissions so far (a forward pass should add one, at its read). */
  submits = 0;

  constructor(acquired: AcquiredDevice, options: GpuBackendOptions = {}) {
    this.device = acquired.device;
    this.adapterInfo = acquired.adapterInfo;
    this.#gpu = acquired.gpu;
    this.f16 = !!options.f16 && acquired.device.features.has('shader-f16');
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.#pool = new BufferPool(this.device, storage);
    this.#staging = new BufferPool(this.device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.kernels = makeKernels(this);
    void this.device.lost.then((info) => {
      if (!this.#disposed)
        this.#lost = `${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}`;
    });
    this.device.addEventListener('uncapturederror', (e) => {
      this.#error ??= (e as GPUUncapturedErrorEvent).error.message;
    });
  }

  /** Throws the reason this backend cannot be used (device lost, disposed). */
  check(): void {
    if (this.#disposed)
      throw new BackendError('The gpu backend was disposed. Get a new one: getBackend("gpu").');
    if (this.#lost !== undefined) {
      throw new BackendError(
        `The GPU device was lost (${this.#lost}). Tensors on it are gone: call removeBackend('gpu'), then getBackend('gpu') (or loadModel again) to start on a new device.`,
      );
    }
  }

  // ---- buffers ----

  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId {
    this.check();
    const data = this.allocate(shape, dtype, dtype === 'int32' && values.length <= HOST_SHADOW_LIMIT);
    if (values.byteLength > 0) {
      // queue.writeBuffer runs before commands still being recorded, and a pooled buffer may be in use by
      // them: submit those first.
      this.flush();
      this.device.queue.writeBuffer(data.buffer, 0, values.buffer, values.byteOffset, values.byteLength);
    }
    if (data.host) data.host.set(values as Int32Array);
    return data;
  }

  /** A new output buffer for a kernel. */
  allocate(shape: readonly number[], dtype: DType, withHost = false): GpuData {
    const bytes = sizeOf(shape) * BYTES_PER_ELEMENT[dtype];
    const buffer = this.#pool.acquire(Math.max(16, bytes));
    if (!this.#bufferIds.has(buffer)) this.#bufferIds.set(buffer, this.#nextBufferId++);
    const data = new GpuData(buffer, bytes, dtype, withHost ? new Int32Array(sizeOf(shape)) : undefined);
    this.#live.add(data);
    this.#liveBytes += buffer.size;
    return data;
  }

  /** The GpuData behind a tensor, checked. */
  data(info: TensorInfo | DataId): GpuData {
    const d = ('dataId' in info ? info.dataId : info) as GpuData;
    if (!(d instanceof GpuData) || d.disposed || !this.#live.has(d)) {
      this.check();
      throw new BackendError('This tensor does not live on this gpu backend (or was disposed).');
    }
    return d;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    this.check();
    const data = this.data(dataId);
    const out = data.dtype === 'int32' ? new Int32Array(data.bytes / 4) : new Float32Array(data.bytes / 4);
    if (data.bytes === 0) return out;
    const staging = this.#staging.acquire(data.bytes);
    this.#endPass();
    this.#encoder ??= this.device.createCommandEncoder();
    this.#encoder.copyBufferToBuffer(data.buffer, 0, staging, 0, data.bytes);
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, data.bytes);
    } catch (error) {
      this.check();
      throw new BackendError(`Reading a tensor back from the GPU failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    out.set(new (out.constructor as typeof Float32Array)(staging.getMappedRange(0, data.bytes)));
    staging.unmap();
    this.#staging.release(staging);
    if (this.#error !== undefined) {
      const message = this.#error;
      this.#error = undefined;
      throw new BackendError(`A GPU command failed: ${message}`);
    }
    return out;
  }

  disposeData(dataId: DataId): void {
    const d = dataId as GpuData;
    if (!(d instanceof GpuData) || d.disposed || !this.#live.delete(d)) return;
    d.disposed = true;
    this.#liveBytes -= d.buffer.size;
    // Commands already recorded keep using it; anything recorded later runs after them, so reuse is safe.
    if (!this.#disposed) this.#pool.release(d.buffer);
  }

  memory(): GpuMemory {
    return {
      numDataIds: this.#live.size,
      numBytes: this.#liveBytes,
      numPooledBuffers: this.#pool.numBuffers,
      numPooledBytes: this.#pool.numBytes,
    };
  }

  /** Destroys the pooled (free) buffers; live tensors are untouched. */
  releasePool(): void {
    this.flush();
    this.#pool.clear();
    this.#staging.clear();
    this.#bindGroups.clear();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pass = undefined;
    this.#encoder = undefined;
    for (const d of this.#live) {
      d.disposed = true;
      d.buffer.destroy();
    }
    this.#live.clear();
    this.#liveBytes = 0;
    this.#pool.clear();
    this.#staging.clear();
    for (const u of this.#uniforms.values()) u.destroy();
    this.#uniforms.clear();
    this.#bindGroups.clear();
    this.#pipelines.clear();
    // We own devices we created; an injected device belongs to its owner.
    if (this.#gpu) this.device.destroy();
  }

  // ---- dispatch ----

  /** Records one compute dispatch. */
  dispatch(d: Dispatch): void {
    this.check();
    let pipeline = this.#pipelines.get(d.key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ label: d.key, code: d.code() });
      pipeline = this.device.createComputePipeline({
        label: d.key,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.#pipelines.set(d.key, pipeline);
    }
    const uniform = this.#uniform(d.uniforms);
    let groupKey = `${d.key}|${this.#bufferIds.get(uniform)}`;
    for (const b of d.buffers) groupKey += `,${this.#bufferIds.get(b)}`;
    let group = this.#bindGroups.get(groupKey);
    if (!group) {
      if (this.#bindGroups.size > 20000) this.#bindGroups.clear();
      group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniform } },
          ...d.buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
      this.#bindGroups.set(groupKey, group);
    }
    this.#encoder ??= this.device.createCommandEncoder();
    this.#pass ??= this.#encoder.beginComputePass();
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, group);
    if (d.grid) this.#pass.dispatchWorkgroups(...d.grid);
    else {
      const n = Math.max(1, d.workgroups);
      const x = Math.min(n, MAX_GROUPS);
      this.#pass.dispatchWorkgroups(x, Math.ceil(n / x));
    }
    if (++this.#pending >= MAX_PENDING_DISPATCHES) this.flush();
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#endPass();
    const commands = this.#encoder.finish();
    this.#encoder = undefined;
    this.#pending = 0;
    this.device.queue.submit([commands]);
    this.submits++;
  }

  /** Resolves when the GPU has finished everything submitted. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = undefined;
  }

  // Uniforms are immutable and cached by content: a forward pass reuses the same few dozen buffers.
  #uniform(words: readonly number[]): GPUBuffer {
    const key = words.join(',');
    let buffer = this.#uniforms.get(key);
    if (!buffer) {
      if (words.length > UNIFORM_WORDS) throw new Error(`too many uniform words (${words.length})`);
      if (this.#uniforms.size > 4096) {
        this.flush();
        for (const u of this.#uniforms.values()) u.destroy();
        this.#uniforms.clear();
        this.#bindGroups.clear();
      }
      buffer = this.device.createBuffer({
        size: UNIFORM_WORDS * 4,
        usage: GPUBufferUsage.UNIFORM,
        mappedAtCreation: true,
      });
      new Uint32Array(buffer.getMappedRange()).set(words);
      buffer.unmap();
      this.#bufferIds.set(buffer, this.#nextBufferId++);
      this.#uniforms.set(key, buffer);
    }
    return buffer;
  }
}
