import { createRequire } from 'node:module';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';

const require = createRequire(import.meta.url);

/** onnxruntime-node's native session: `run` is synchronous (the public API only wraps it in a Promise). */
export interface NativeSession {
  loadModel(
    buffer: ArrayBuffer,
    byteOffset: number,
    byteLength: number,
    options: InferenceSession.SessionOptions,
  ): void;
  run(
    feeds: Record<string, OrtTensor>,
    fetches: Record<string, null>,
    options: InferenceSession.RunOptions,
  ): Record<string, OrtTensor>;
  dispose(): void;
}

interface BindingModule {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

let bindingModule: BindingModule | undefined;

/** A synchronous session over `bytes` (kernels are synchronous; the per-kernel path needs this). */
export function createNativeSession(
  bytes: Uint8Array,
  options: InferenceSession.SessionOptions,
): NativeSession {
  bindingModule ??= require('onnxruntime-node/dist/binding.js') as BindingModule;
  bindingModule.initOrt();
  const session = new bindingModule.binding.InferenceSession();
  session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, options);
  return session;
}
