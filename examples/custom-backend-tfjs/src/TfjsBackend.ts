// A complete @distilbert/core backend in one file, built on TensorFlow.js ops.
//
// Core owns the model, reference counts, tidy scopes and the fallbacks for fused kernels; a backend only
// stores buffers and runs kernels. Here a "buffer" is a Tensor and every kernel is a few tf ops, so
// the same code runs on tfjs's pure-JS CPU backend and on its WebAssembly backend.
// README.md walks through this file section by section.

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  type BackendMemory,
  type BackendPlugin,
  type DataId,
  type DType,
  InputError,
  type KernelBackend,
  type KernelMap,
  MASK_FILL,
  type TensorInfo,
  type TypedArray,
} from '@distilbert/core';
import type { Tensor } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

export interface TfjsBackendOptions {
  /** Which TensorFlow.js backend computes: 'cpu' (pure JavaScript, the default) or 'wasm'. */
  tfBackend?: 'cpu' | 'wasm';
  /** Folder (ending in '/') holding tfjs-backend-wasm's .wasm files. Default: the installed package's dist/. */
  wasmPaths?: string;
}

// ---------------------------------------------------------------------------------------------------
// 1. Buffers. Core hands us values and gets back a DataId, an object only we look inside.
// ---------------------------------------------------------------------------------------------------

/** Our DataId: the Tensor that holds the values. */
interface Handle {
  tensor: Tensor;
}

export class TfjsBackend implements KernelBackend {
  readonly name: string;
  private readonly buffers = new Set<Handle>();
  private bytes = 0;

  constructor(tfBackend: string) {
    this.name = `tfjs-${tfBackend}`;
  }

  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId {
    // tfjs keeps (cpu) or copies (wasm) the array; it never detaches values.buffer, as the contract asks.
    return this.own(tf.tensor(values, [...shape], dtype));
  }

  async read(dataId: DataId): Promise<TypedArray> {
    // tfjs's cpu backend returns its own array: copy it, because the caller may modify what it reads.
    return ((await this.tensor(dataId).data()) as TypedArray).slice();
  }

  readSync(dataId: DataId): TypedArray {
    return (this.tensor(dataId).dataSync() as TypedArray).slice();
  }

  disposeData(dataId: DataId): void {
    const buffer = dataId as Handle;
    if (!this.buffers.delete(buffer)) return;
    this.bytes -= buffer.tensor.size * 4;
    buffer.tensor.dispose();
  }

  memory(): BackendMemory {
    return { numDataIds: this.buffers.size, numBytes: this.bytes };
  }

  dispose(): void {
    for (const buffer of [...this.buffers]) this.disposeData(buffer);
  }

  private own(tensor: Tensor): Handle {
    const buffer = { tensor };
    this.buffers.add(buffer);
    this.bytes += tensor.size * 4;
    return buffer;
  }

  private tensor(dataId: DataId): Tensor {
    const buffer = dataId as Handle;
    if (!this.buffers.has(buffer)) throw new Error(`${this.name}: read of a disposed or foreign buffer`);
    return buffer.tensor;
  }

  // -------------------------------------------------------------------------------------------------
  // 2. The kernel runner. A kernel reads TensorInfos, computes with tf ops, and returns a new TensorInfo.
  // -------------------------------------------------------------------------------------------------

  /**
   * The Tensor for a kernel input, in the input's shape: core reshapes by making views that share
   * one buffer, so the TensorInfo's shape wins over the stored tensor's (a tf.reshape copies nothing).
   */
  private input(info: TensorInfo): Tensor {
    const t = this.tensor(info.dataId);
    return sameShape(t.shape, info.shape) ? t : tf.reshape(t, [...info.shape]);
  }

  /**
   * Runs `compute` inside tf.tidy, so every intermediate tensor is freed, and stores its result as a new
   * buffer. Kernels never free or modify their inputs.
   */
  private run(compute: () => Tensor): TensorInfo {
    let out = tf.tidy(compute);
    // A kernel whose result is an input tensor itself (e.g. Cast to the same dtype) must still return a
    // buffer of its own: core frees the input and the output separately. tf.clone shares the data.
    for (const b of this.buffers) {
      if (b.tensor === out) {
        out = tf.clone(out);
        break;
      }
    }
    return { dataId: this.own(out), shape: out.shape, dtype: out.dtype as DType };
  }

  // -------------------------------------------------------------------------------------------------
  // 3. The kernels: the 12 required ones, then the 3 optional fused ones. Contracts: core's kernels.ts.
  // -------------------------------------------------------------------------------------------------

  readonly kernels: KernelMap = {
    Gather: ({ x, indices }) => {
      const [rows] = x.shape;
      // Out-of-range ids would read garbage (wasm) or throw deep inside tfjs (cpu): say what is wrong.
      for (const id of this.input(indices).dataSync()) {
        if (id < 0 || id >= rows) throw new InputError(`Gather: id ${id} is outside [0, ${rows}).`);
      }
      return this.run(() => tf.gather(this.input(x), this.input(indices)));
    },

    // tf.matMul broadcasts a rank-2 operand over the other's batch axis, as the contract asks.
    BatchMatMul: ({ a, b }, { transposeA, transposeB }) =>
      this.run(() => tf.matMul(this.input(a), this.input(b), transposeA, transposeB)),

    // tfjs broadcasts like NumPy, which covers "b's shape is a suffix of a's".
    Add: ({ a, b }) => this.run(() => tf.add(this.input(a), this.input(b))),
    Mul: ({ a, b }) => this.run(() => tf.mul(this.input(a), this.input(b))),

    LayerNorm: ({ x, gamma, beta }, { epsilon }) =>
      this.run(() => layerNorm(this.input(x), this.input(gamma), this.input(beta), epsilon)),

    Gelu: ({ x }) => this.run(() => gelu(this.input(x))),
    Relu: ({ x }) => this.run(() => tf.relu(this.input(x))),
    Tanh: ({ x }) => this.run(() => tf.tanh(this.input(x))),

    Softmax: ({ x, mask }) =>
      this.run(() => maskedSoftmax(this.input(x), mask ? this.input(mask) : undefined)),

    Transpose: ({ x }, { perm }) => this.run(() => tf.transpose(this.input(x), [...perm])),
    Slice: ({ x }, { begin, size }) => this.run(() => tf.slice(this.input(x), [...begin], [...size])),
    // float → int32 truncates toward zero in both tfjs backends, as the contract asks.
    Cast: ({ x }, { dtype }) => this.run(() => tf.cast(this.input(x), dtype)),

    // Optional fused kernels: without them core composes the same math from the kernels above. With
    // them, one kernel call replaces 3-10, which matters on a backend where each call has overhead.
    Linear: ({ x, weight, bias }, { activation }) =>
      this.run(() => {
        const input = this.input(x);
        const inFeatures = input.shape[input.rank - 1];
        const [outFeatures] = weight.shape;
        // x [..., in] · weightᵀ: PyTorch stores Linear weights as [out, in].
        let y = tf.matMul(tf.reshape(input, [-1, inFeatures]), this.input(weight), false, true);
        if (bias) y = tf.add(y, this.input(bias));
        return tf.reshape(activate(y, activation), [...input.shape.slice(0, -1), outFeatures]);
      }),

    AddLayerNorm: ({ x, residual, gamma, beta }, { epsilon }) =>
      this.run(() =>
        layerNorm(tf.add(this.input(x), this.input(residual)), this.input(gamma), this.input(beta), epsilon),
      ),

    Attention: ({ q, k, v, mask }, { numHeads, scale }) =>
      this.run(() => {
        const [batch, seq, width] = q.shape;
        const headDim = width / numHeads;
        // [B, S, H·hd] → [B, H, S, hd]
        const heads = (t: TensorInfo) =>
          tf.transpose(tf.reshape(this.input(t), [batch, seq, numHeads, headDim]), [0, 2, 1, 3]);
        // Scale q before the product, as Hugging Face does, so the rounding matches.
        const scores = tf.matMul(tf.mul(heads(q), scale), heads(k), false, true); // [B, H, S, S]
        const context = tf.matMul(maskedSoftmax(scores, this.input(mask)), heads(v)); // [B, H, S, hd]
        return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, seq, width]);
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// 4. Math helpers (run inside the kernels' tf.tidy).
// ---------------------------------------------------------------------------------------------------

function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  // Biased variance, epsilon inside the square root: PyTorch's LayerNorm.
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)): the tanh approximation is off by ~7e-4 and fails the kit. */
function gelu(x: Tensor): Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

function activate(x: Tensor, activation: 'none' | 'gelu' | 'relu' | 'tanh'): Tensor {
  if (activation === 'gelu') return gelu(x);
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'tanh') return tf.tanh(x);
  return x;
}

/**
 * Softmax over the last axis. Masked keys (mask 0, mask [B, Sk] for x [B, ..., Sk]) take float32's most
 * negative value first, as PyTorch's finfo.min fill does: a fully masked row comes out uniform, not NaN.
 */
function maskedSoftmax(x: Tensor, mask?: Tensor): Tensor {
  if (!mask) return tf.softmax(x);
  const [batch, keys] = mask.shape;
  const broadcastable = tf.reshape(mask, [batch, ...new Array<number>(x.rank - 2).fill(1), keys]);
  return tf.softmax(tf.where(tf.equal(broadcastable, 0), tf.scalar(MASK_FILL), x));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ---------------------------------------------------------------------------------------------------
// 5. Creating it, and the plugin that lets users write loadModel(dir, { backend: 'tfjs' }).
// ---------------------------------------------------------------------------------------------------

/**
 * Selects the TensorFlow.js backend and returns a KernelBackend on it. tfjs has one active backend per
 * process, so every TfjsBackend shares it: create them all with the same `tfBackend`.
 */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  const tfBackend = options.tfBackend ?? 'cpu';
  if (tfBackend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm'); // registers 'wasm' with tfjs
    // The .wasm binaries ship in the npm package's dist folder, beside its main file.
    const dist = `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`;
    wasm.setWasmPaths(options.wasmPaths ?? dist);
  }
  if (!(await tf.setBackend(tfBackend))) {
    throw new Error(`TensorFlow.js could not initialise its '${tfBackend}' backend.`);
  }
  await tf.ready();
  return new TfjsBackend(tfBackend);
}

export const backend: BackendPlugin<TfjsBackendOptions> = {
  name: 'tfjs',
  priority: 0, // never picked unless asked for by name
  create: (options) => createTfjsBackend(options),
};

export default backend;
