import type { KernelBackend } from '../backend/KernelBackend.js';
import { engine } from '../engine/engine.js';
import { CheckpointError } from '../errors.js';
import type { Tensor } from '../tensor/Tensor.js';
import type { Checkpoint } from '../weights/Checkpoint.js';
import { StreamedSafetensors } from '../weights/StreamedSafetensors.js';

const BASE_PREFIX = 'distilbert.';

/** Keys a loader never needs: buffers older transformers versions saved, and the tied projector. */
const IGNORED = [/(^|\.)position_ids$/, /^vocab_projector\.weight$/];

/**
 * Hands out weights by their HF state-dict name (candle's VarBuilder). Encoder keys are found with or
 * without the `distilbert.` prefix. Missing keys are collected rather than thrown one by one, so a
 * loader can report all of them at once (`finish`).
 */
export class VarBuilder {
  readonly #used = new Set<string>();
  readonly #missing: string[] = [];
  readonly #loaded: Tensor[] = [];
  readonly #named = new Map<string, Tensor>();

  constructor(
    readonly checkpoint: Checkpoint,
    readonly backend: KernelBackend,
    readonly prefix = '',
    private readonly root?: VarBuilder,
  ) {}

  /** A builder for the sub-module `name` (`vb.pp('attention').get('q_lin.weight')`). */
  pp(name: string): VarBuilder {
    return new VarBuilder(this.checkpoint, this.backend, `${this.prefix}${name}.`, this.root ?? this);
  }

  /** The tensor `prefix + name` with the given shape; a missing key is recorded and gives `undefined`. */
  get(name: string, shape: readonly number[]): Tensor {
    const root = this.root ?? this;
    const full = this.prefix + name;
    const stored = root.#resolve(full);
    if (stored === undefined) {
      root.#missing.push(full);
      return undefined as unknown as Tensor;
    }
    const info = this.checkpoint.info(stored);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(
        `size mismatch for ${full}: the checkpoint has [${info.shape.join(', ')}], the config needs [${shape.join(', ')}].`,
        this.checkpoint.file,
      );
    }
    root.#used.add(stored);
    const t = root.track(this.#upload(stored, shape));
    root.#named.set(full, t);
    return t;
  }

  /** Lists an already loaded weight under a second (tied) name in `namedWeights()`. */
  tie(name: string, target: string): void {
    const root = this.root ?? this;
    const t = root.#named.get(target);
    if (t) root.#named.set(this.prefix + name, t);
  }

  /** Whether the checkpoint has `prefix + name` (in either prefix form). */
  has(name: string): boolean {
    return (this.root ?? this).#resolve(this.prefix + name) !== undefined;
  }

  /** Takes ownership of a tensor made by a module (e.g. a generated sinusoidal table). */
  track(t: Tensor, name?: string): Tensor {
    const root = this.root ?? this;
    if (name !== undefined) root.#named.set(this.prefix + name, t);
    // Weights outlive any tidy/scope the caller is in.
    engine.keep(t);
    root.#loaded.push(t);
    return t;
  }

  /**
   * Ends loading: throws a CheckpointError listing every missing key (after freeing what was loaded),
   * else returns the loaded tensors and the keys the model did not use.
   */
  finish(modelName: string): { tensors: Tensor[]; named: Map<string, Tensor>; unexpectedKeys: string[] } {
    const root = this.root ?? this;
    if (root.#missing.length > 0) {
      for (const t of root.#loaded) t.dispose();
      throw new CheckpointError(
        `${modelName} needs weights the checkpoint does not have: ${root.#missing.join(', ')}. ` +
          'Check that the file is a DistilBERT checkpoint for this architecture (or pass `architecture`).',
        this.checkpoint.file,
      );
    }
    const unexpectedKeys = this.checkpoint
      .names()
      .filter((n) => !root.#used.has(n) && !IGNORED.some((re) => re.test(n.replace(/^distilbert\./, ''))));
    return { tensors: root.#loaded, named: root.#named, unexpectedKeys };
  }

  /** Frees what was loaded so far (a load that failed half-way). */
  abort(): void {
    const root = this.root ?? this;
    for (const t of root.#loaded) t.dispose();
    root.#loaded.length = 0;
  }

  #upload(stored: string, shape: readonly number[]): Tensor {
    // A streamed file read into memory the backend hands out: no temporary array per weight for the GC
    // to find later (those raise the peak RSS of a load by up to the largest tensors' size).
    const checkpoint = this.checkpoint;
    if (checkpoint instanceof StreamedSafetensors) {
      const t = engine.makeTensorInPlace(this.backend, shape, 'float32', (values) =>
        checkpoint.readFloat32Into(stored, values),
      );
      if (t) return t;
    }
    // Otherwise F32 tensors come as disjoint views into the file buffer and are handed over as they are: no
    // second copy of the weights while loading (a host backend keeps the views, a device backend uploads them).
    return engine.makeTensor(this.backend, checkpoint.float32(stored), shape, 'float32');
  }

  #resolve(full: string): string | undefined {
    const names = this.#names();
    if (names.has(full)) return full;
    const other = full.startsWith(BASE_PREFIX) ? full.slice(BASE_PREFIX.length) : BASE_PREFIX + full;
    return names.has(other) ? other : undefined;
  }

  #nameSet?: Set<string>;
  #names(): Set<string> {
    this.#nameSet ??= new Set(this.checkpoint.names());
    return this.#nameSet;
  }
}
