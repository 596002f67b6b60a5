// The distilbert-base-uncased model card's fill-mask example, line for line:
//
//   >>> from transformers import pipeline
//   >>> unmasker = pipeline('fill-mask', model='distilbert-base-uncased')
//   >>> unmasker("Hello I'm a [MASK] model.")
//
// When the Hub cannot be reached and the model is not cached, it says so loudly and runs the small
// random-weight checkpoint shipped with @distilbert/pipelines instead, so the example always runs.
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import cpu from '@distilbert/backend-cpu';
import { registerBackendPlugin } from '@distilbert/core';
import { FALLBACK_MODEL_DIR, type FillMaskResult, pipeline } from '@distilbert/pipelines';

// pipeline()'s default backend is 'cpu'. Registering the plugin lets core find it wherever this file runs
// from (core imports a backend package on demand only from its own or the working directory's install).
registerBackendPlugin(cpu);

export interface QuickStartIo {
  log: (line: string) => void;
  warn: (banner: string) => void;
}

const defaultIo: QuickStartIo = { log: console.log, warn: (b) => process.stderr.write(b) };

export async function main(io: QuickStartIo = defaultIo): Promise<FillMaskResult[]> {
  const unmasker = await pipeline('fill-mask', 'distilbert-base-uncased').catch(useFallback(io));
  try {
    const result = (await unmasker("Hello I'm a [MASK] model.")) as FillMaskResult[];
    io.log(inspect(result, { depth: null }));
    return result;
  } finally {
    unmasker.dispose();
  }
}

// Hub error codes that mean "could not get the model" (anything else, e.g. a bad id, is a real error).
const UNREACHABLE = new Set(['NETWORK_ERROR', 'OFFLINE_NOT_CACHED']);

function useFallback(io: QuickStartIo) {
  return (error: Error & { code?: string }) => {
    if (!UNREACHABLE.has(error.code ?? '')) throw error;
    const line = '='.repeat(78);
    io.warn(
      [
        line,
        `WARNING: could not get 'distilbert-base-uncased' (${error.message.split('\n')[0]})`,
        `Running the RANDOM-WEIGHT test checkpoint ${FALLBACK_MODEL_DIR} instead.`,
        'Its predictions are MEANINGLESS. Run once with network access to download the real model.',
        line,
        '',
      ].join('\n'),
    );
    return pipeline('fill-mask', FALLBACK_MODEL_DIR);
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
