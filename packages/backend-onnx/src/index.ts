import type { BackendPlugin } from '@distilbert/core';
import { OnnxBackend, type OnnxBackendOptions } from './OnnxBackend.js';

export { OnnxExportError, OnnxRuntimeError } from './errors.js';
export {
  COPIED_FILES,
  type ExportOnnxOptions,
  type ExportOnnxResult,
  exportOnnx,
} from './export/exportOnnx.js';
export { type QuantizeOptions, quantizeInt8, quantizeWeight } from './export/quantizeInt8.js';
export { EXTERNAL_DATA_THRESHOLD, type WriteOptions, writeModel } from './export/writeModel.js';
export { type ModelProto, onnx } from './graph/proto.js';
export { OnnxBackend, type OnnxBackendOptions } from './OnnxBackend.js';
export {
  defaultOutputs,
  type OutputName,
  type TracedGraph,
  type TraceOptions,
  traceModel,
} from './trace/traceModel.js';

/** The onnx backend plugin ('onnx'; priority 1). */
export const backend: BackendPlugin<OnnxBackendOptions> = {
  name: 'onnx',
  priority: 1,
  create: (options) => new OnnxBackend(options),
};

export function createOnnxBackend(options?: OnnxBackendOptions): OnnxBackend {
  return new OnnxBackend(options);
}

export default backend;
