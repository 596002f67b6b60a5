import { DistilBertError } from '@distilbert/core';

/** The model graph could not be lowered to ONNX (an op or shape the exporter does not handle). */
export class OnnxExportError extends DistilBertError {
  constructor(message: string) {
    super('ONNX_EXPORT', message);
  }
}

/** onnxruntime refused a graph or failed while running it. */
export class OnnxRuntimeError extends DistilBertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ONNX_RUNTIME', message, options);
  }
}
