// Shared by onnx.bench.mjs and pipelines-vs-transformersjs.bench.mjs: the full-size random DistilBERT
// (fixtures/tools/make_fullsize.py) as a model folder with the real uncased tokenizer files, and its ONNX
// exports (MLM and bare encoder) in transformers.js layout, made once by @distilbert/backend-onnx.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportOnnx } from '@distilbert/backend-onnx';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const FULLSIZE = `${root}node_modules/.cache/distilbert-fullsize/`;
const BENCH = `${root}node_modules/.cache/distilbert-onnx-bench/`;
export const MODEL_DIR = `${BENCH}fullsize-mlm/`;
export const EXPORT_MLM = `${BENCH}export-mlm/`;
export const EXPORT_ENCODER = `${BENCH}export-encoder/`;
const TOKENIZER = `${root}fixtures/data/distilbert-base-uncased/`;

export async function prepareFullsize() {
  if (!existsSync(`${FULLSIZE}model.safetensors`)) {
    mkdirSync(FULLSIZE, { recursive: true });
    execFileSync('python3', [`${root}fixtures/tools/make_fullsize.py`, FULLSIZE], { stdio: 'inherit' });
  }
  if (!existsSync(`${MODEL_DIR}model.safetensors`)) {
    mkdirSync(MODEL_DIR, { recursive: true });
    copyFileSync(`${FULLSIZE}config.json`, `${MODEL_DIR}config.json`);
    symlinkSync(`${FULLSIZE}model.safetensors`, `${MODEL_DIR}model.safetensors`);
    for (const f of ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      copyFileSync(`${TOKENIZER}${f}`, `${MODEL_DIR}${f}`);
    }
  }
  if (!existsSync(`${EXPORT_MLM}onnx/model.onnx`)) {
    await exportOnnx({ model: MODEL_DIR, outDir: EXPORT_MLM, quantize: 'int8' });
  }
  if (!existsSync(`${EXPORT_ENCODER}onnx/model.onnx`)) {
    await exportOnnx({
      model: MODEL_DIR,
      outDir: EXPORT_ENCODER,
      architecture: 'DistilBertModel',
      quantize: 'int8',
    });
  }
  // backend-cpu's benchmark compares against onnxruntime on this encoder file when it exists.
  if (!existsSync(`${FULLSIZE}model.onnx`))
    copyFileSync(`${EXPORT_ENCODER}onnx/model.onnx`, `${FULLSIZE}model.onnx`);
}

/** The first `n` sentences of SST-2 dev (real, unsorted lengths). */
export function sst2Sentences(n) {
  const lines = readFileSync(`${root}fixtures/data/glue/SST-2/dev.tsv`, 'utf8').trim().split('\n').slice(1);
  return lines.slice(0, n).map((l) => l.split('\t')[0].trim());
}

/** One [MASK] per sentence: its middle word. */
export function withMask(sentence) {
  const words = sentence.split(' ');
  words[Math.floor(words.length / 2)] = '[MASK]';
  return words.join(' ');
}
