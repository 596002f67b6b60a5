import {
  BackendError,
  type DataId,
  type DistilBertPreTrainedModel,
  type DType,
  engine,
  type ForwardOptions,
  FUSED_KERNELS,
  type KernelBackend,
  type KernelMap,
  type KernelName,
  type ModelInputs,
  type ModelOutput,
  REQUIRED_KERNELS,
  type Tensor,
  type TensorInfo,
  type TypedArray,
} from '@distilbert/core';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { OnnxRuntimeError } from './errors.js';
import { quantizeInt8 } from './export/quantizeInt8.js';
import { onnx } from './graph/proto.js';
import { KernelSessions } from './runtime/KernelSessions.js';
import {
  defaultOutputs,
  type OutputName,
  type TracedGraph,
  type TraceOptions,
  traceModel,
} from './trace/traceModel.js';

export interface OnnxBackendOptions {
  /** Threads inside one op (onnxruntime's intraOpNumThreads; default: onnxruntime's choice, all cores). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /** 'disabled' | 'basic' | 'extended' | 'all' (default 'all'). */
  graphOptimizationLevel?: InferenceSession.SessionOptions['graphOptimizationLevel'];
  /** Passed through, for onnxruntime builds with CUDA or other providers (default ['cpu']). */
  executionProviders?: InferenceSession.SessionOptions['executionProviders'];
  /** Any other onnxruntime session option; the fields above win. */
  sessionOptions?: InferenceSession.SessionOptions;
  /** GELU lowering in model graphs: 'erf' (default, exact) or 'contrib' (com.microsoft Gelu). */
  gelu?: 'erf' | 'contrib';
  /**
   * Run models with dynamic int8 linear layers (the graph of `exportOnnx`'s model_quantized.onnx): about 2×
   * faster on CPUs with VNNI, at an accuracy cost (README, "int8 quantisation"). Kernels stay float32.
   */
  quantize?: 'int8';
}

interface Buffer {
  values: TypedArray;
  shape: readonly number[];
  dtype: DType;
}

interface ModelSession {
  session: InferenceSession;
  outputs: string[];
}

/**
 * DistilBERT on onnxruntime-node. `model.forward` runs the whole model as one ONNX graph — core's graph,
 * traced and exported once per model and variant — in one cached InferenceSession. Single kernels also
 * work (one-node graphs, compiled per shape) so the backend passes core's conformance kit.
 */
export class OnnxBackend implements KernelBackend {
  readonly name = 'onnx';
  readonly kernels: KernelMap;
  readonly sessionOptions: InferenceSession.SessionOptions;
  readonly #buffers = new Map<DataId, Buffer>();
  #bytes = 0;
  readonly #kernelSessions: KernelSessions;
  readonly #models = new WeakMap<DistilBertPreTrainedModel, Map<string, Promise<ModelSession>>>();
  readonly #sessions = new Set<Promise<ModelSession>>();
  readonly #gelu: 'erf' | 'contrib';
  readonly #quantize: 'int8' | undefined;
  #disposed = false;

  constructor(options: OnnxBackendOptions = {}) {
    const { sessionOptions, gelu, quantize, ...rest } = options;
    this.#quantize = quantize;
    this.sessionOptions = {
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
      ...sessionOptions,
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    };
    this.#gelu = gelu ?? 'erf';
    this.#kernelSessions = new KernelSessions(this.sessionOptions, this.#gelu);
    const kernels: Partial<Record<KernelName, unknown>> = {};
    for (const name of [...REQUIRED_KERNELS, ...FUSED_KERNELS]) {
      kernels[name] = (inputs: Record<string, TensorInfo | undefined>, attrs: unknown) =>
        this.#runKernel(name, inputs, attrs);
    }
    this.kernels = kernels as KernelMap;
  }

  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId {
    this.#live();
    const id = {};
    this.#buffers.set(id, { values, shape, dtype });
    this.#bytes += values.byteLength;
    return id;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    return this.#buffer(dataId).values.slice();
  }

  disposeData(dataId: DataId): void {
    const b = this.#buffers.get(dataId);
    if (!b) return;
    this.#buffers.delete(dataId);
    this.#bytes -= b.values.byteLength;
  }

  memory() {
    return { numDataIds: this.#buffers.size, numBytes: this.#bytes };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#kernelSessions.dispose();
    for (const s of this.#sessions) void s.then((m) => m.session.release()).catch(() => undefined);
    this.#sessions.clear();
    this.#buffers.clear();
    this.#bytes = 0;
  }

  /** Drops the sessions of one model (they are otherwise kept until the backend is disposed). */
  async releaseModel(model: DistilBertPreTrainedModel): Promise<void> {
    const variants = this.#models.get(model);
    if (!variants) return;
    this.#models.delete(model);
    for (const s of variants.values()) {
      this.#sessions.delete(s);
      await (await s).session.release();
    }
  }

  async runModel(
    model: DistilBertPreTrainedModel,
    inputs: ModelInputs,
    options: ForwardOptions,
  ): Promise<ModelOutput> {
    this.#live();
    const [batch, seq] = inputs.shape;
    const positions = options.positions;
    const { session, outputs } = await this.#session(model, options);
    // Int32 inputs go to onnxruntime as they are: the runtime graph takes int32 ids (no int64 copy).
    const feeds: Record<string, OrtTensor> = {
      input_ids: new OrtTensor('int32', inputs.input_ids, [batch, seq]),
      attention_mask: new OrtTensor('int32', inputs.attention_mask ?? new Int32Array(batch * seq).fill(1), [
        batch,
        seq,
      ]),
    };
    if (positions) {
      const p = positions instanceof Int32Array ? positions : Int32Array.from(positions);
      feeds.positions = new OrtTensor('int32', p, [p.length]);
    }
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await session.run(feeds, outputs);
    } catch (cause) {
      throw new OnnxRuntimeError(`onnxruntime failed running ${model.architecture}: ${String(cause)}`, {
        cause,
      });
    }
    const tensor = (name: string): Tensor => {
      const r = result[name] as OrtTensor;
      return engine.makeTensor(this, r.data as Float32Array, r.dims, 'float32');
    };
    const out: Partial<Record<OutputName, Tensor>> = {};
    const hidden: Tensor[] = [];
    const attentions: Tensor[] = [];
    for (const name of outputs) {
      if (name.startsWith('hidden_states.')) hidden.push(tensor(name));
      else if (name.startsWith('attentions.')) attentions.push(tensor(name));
      else out[name as OutputName] = tensor(name);
    }
    const all = [...Object.values(out), ...hidden, ...attentions];
    return {
      last_hidden_state: out.last_hidden_state as Tensor,
      ...(out.logits ? { logits: out.logits } : {}),
      ...(out.start_logits ? { start_logits: out.start_logits, end_logits: out.end_logits } : {}),
      ...(options.output_hidden_states ? { hidden_states: hidden } : {}),
      ...(options.output_attentions ? { attentions } : {}),
      dispose: () => {
        for (const t of all) t?.dispose();
      },
    };
  }

  /** Traces a model loaded on this backend (its weights are read in place, not copied). */
  trace(model: DistilBertPreTrainedModel, options: TraceOptions = {}): Promise<TracedGraph> {
    return traceModel(model, options, (t) => this.#weight(t));
  }

  /** The graph runModel runs for these options (int32 inputs, last_hidden_state + head outputs), as ONNX bytes. */
  async exportModelBytes(
    model: DistilBertPreTrainedModel,
    options: ForwardOptions = {},
  ): Promise<Uint8Array> {
    const traced = await this.trace(model, {
      outputs: runtimeOutputs(model.architecture),
      hiddenStates: !!options.output_hidden_states,
      attentions: !!options.output_attentions,
      positions: options.positions !== undefined,
      inputType: 'int32',
      gelu: this.#gelu,
    });
    const graph = this.#quantize === 'int8' ? quantizeInt8(traced.model) : traced.model;
    return onnx.ModelProto.encode(graph).finish();
  }

  #session(model: DistilBertPreTrainedModel, options: ForwardOptions): Promise<ModelSession> {
    let variants = this.#models.get(model);
    if (!variants) {
      variants = new Map();
      this.#models.set(model, variants);
    }
    const key = `${!!options.output_hidden_states}|${!!options.output_attentions}|${options.positions !== undefined}`;
    let s = variants.get(key);
    if (!s) {
      s = (async () => {
        const bytes = await this.exportModelBytes(model, options);
        let session: InferenceSession;
        try {
          session = await InferenceSession.create(bytes, this.sessionOptions);
        } catch (cause) {
          throw new OnnxRuntimeError(
            `onnxruntime refused the ${model.architecture} graph: ${String(cause)}`,
            {
              cause,
            },
          );
        }
        return { session, outputs: [...session.outputNames] };
      })();
      variants.set(key, s);
      this.#sessions.add(s);
      s.catch(() => variants.delete(key));
    }
    return s;
  }

  #weight(t: Tensor): Float32Array {
    const b = this.#buffer(t.dataId);
    if (!(b.values instanceof Float32Array)) throw new BackendError(`Weight ${t} is not float32.`);
    return b.values;
  }

  #runKernel(name: KernelName, inputs: Record<string, TensorInfo | undefined>, attrs: unknown): TensorInfo {
    this.#live();
    const resolved = Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [
        k,
        t ? { values: this.#buffer(t.dataId).values, shape: t.shape, dtype: t.dtype } : undefined,
      ]),
    );
    const out = this.#kernelSessions.run(name, resolved, attrs);
    return { dataId: this.write(out.values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
  }

  #buffer(id: DataId): Buffer {
    const b = this.#buffers.get(id);
    if (!b) throw new BackendError(`Backend 'onnx' has no buffer for this tensor (disposed?).`);
    return b;
  }

  #live(): void {
    if (this.#disposed) throw new BackendError(`Backend 'onnx' was disposed; create a new one.`);
  }
}

/** What runModel fetches: last_hidden_state (ModelOutput always has it) and the head's outputs. */
function runtimeOutputs(architecture: string): OutputName[] {
  const head = defaultOutputs(architecture);
  return head.includes('last_hidden_state') ? head : ['last_hidden_state', ...head];
}
