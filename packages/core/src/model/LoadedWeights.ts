import type { Tensor } from '../tensor/Tensor.js';

/**
 * The weights one model owns. Heads and their inner DistilBertModel share one instance, so disposing
 * either frees the lot exactly once, and nothing owned by another model.
 */
export class LoadedWeights {
  #disposed = false;

  constructor(
    /** Every tensor uploaded for this model (a tied weight appears once). */
    readonly tensors: readonly Tensor[],
    /** Checkpoint keys the model did not use (Python's `unexpected_keys`). */
    readonly unexpectedKeys: readonly string[],
    /** Weights by their HF state-dict name (tied weights under each of their names). */
    readonly named: ReadonlyMap<string, Tensor> = new Map(),
  ) {}

  get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const t of this.tensors) t.dispose();
  }
}
