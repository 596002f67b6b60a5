import { PipelineError } from '../errors.js';

export interface ExportOnnxCommandOptions {
  model: string;
  out: string;
  quantize?: 'int8';
  revision?: string;
}

/** What `exportOnnx` of @distilbert/backend-onnx returns (declared here: that package is optional). */
export interface ExportOnnxCommandResult {
  files: string[];
  model: string;
  quantized?: string;
  architecture: string;
  inputs: string[];
  outputs: string[];
}

interface OnnxModule {
  exportOnnx(options: {
    model: string;
    outDir: string;
    quantize?: 'int8';
    revision?: string;
  }): Promise<ExportOnnxCommandResult>;
}

const PACKAGE = '@distilbert/backend-onnx';

// The ONNX exporter lives in the optional backend package; it is loaded only for this command.
async function importOnnx(): Promise<OnnxModule> {
  try {
    return (await import(/* @vite-ignore */ PACKAGE)) as OnnxModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes(PACKAGE)) {
      throw new PipelineError(
        'BACKEND',
        `export-onnx needs the package ${PACKAGE}. Install it: npm install ${PACKAGE}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** `distilbert export-onnx`: writes the model as ONNX (transformers.js layout) with its config and tokenizer. */
export async function exportOnnxCommand(options: ExportOnnxCommandOptions): Promise<ExportOnnxCommandResult> {
  const { exportOnnx } = await importOnnx();
  return exportOnnx({
    model: options.model,
    outDir: options.out,
    quantize: options.quantize,
    revision: options.revision,
  });
}
