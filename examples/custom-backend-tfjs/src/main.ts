// Runs the fill-mask pipeline on the TensorFlow.js backend of TfjsBackend.ts.
//
//   node dist/main.js [--wasm] [model]
//
// `model` is a Hub id (default distilbert-base-uncased) or a local folder in Hugging Face layout.
import { pathToFileURL } from 'node:url';
import { pipeline } from '@distilbert/pipelines';
import { createTfjsBackend } from './TfjsBackend.js';

export interface Prediction {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

export async function main(
  args: readonly string[] = process.argv.slice(2),
  log: (line: string) => void = console.log,
): Promise<Prediction[]> {
  const tfBackend = args.includes('--wasm') ? 'wasm' : 'cpu';
  const model = args.find((a) => !a.startsWith('--')) ?? 'distilbert-base-uncased';

  // A KernelBackend instance is accepted wherever a backend name is.
  const backend = await createTfjsBackend({ tfBackend });
  const unmasker = await pipeline('fill-mask', model, { backend });
  try {
    const predictions = (await unmasker("Hello I'm a [MASK] model.")) as Prediction[];
    log(`fill-mask on ${backend.name} (${model}):`);
    for (const p of predictions) log(`  ${p.score.toFixed(4)}  ${p.token_str.padEnd(12)} ${p.sequence}`);
    return predictions;
  } finally {
    unmasker.dispose();
    backend.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
