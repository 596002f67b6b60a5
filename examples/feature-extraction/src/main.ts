// The distilbert-base-uncased model card's "get the features of a given text" example, in TypeScript:
//
//   from transformers import DistilBertTokenizer, DistilBertModel
//   tokenizer = DistilBertTokenizer.from_pretrained('distilbert-base-uncased')
//   model = DistilBertModel.from_pretrained("distilbert-base-uncased")
//   text = "Replace me by any text you'd like."
//   encoded_input = tokenizer(text, return_tensors='pt')
//   output = model(**encoded_input)
//
// then sentence embeddings by mean pooling, and their cosine similarities.
//
//   node dist/main.js [model]     (a Hub id, default distilbert-base-uncased, or a local folder)
import { pathToFileURL } from 'node:url';
import cpu from '@distilbert/backend-cpu';
import { type DistilBertPreTrainedModel, loadModel, registerBackendPlugin } from '@distilbert/core';
import { BertTokenizer } from '@distilbert/tokenizer';
import { cosineSimilarity, meanPool } from './pooling.js';

// Core imports a backend named 'cpu' on demand from where it or the program's working directory is
// installed; registering it here also works when this file runs from elsewhere (pnpm's strict layout).
registerBackendPlugin(cpu);

export const SENTENCES = [
  'A man is playing a guitar.',
  'Someone is strumming a guitar on stage.',
  'The stock market fell sharply today.',
];

export interface FeatureResult {
  /** last_hidden_state of the model card's sentence: [1, seq, dim]. */
  shape: number[];
  hidden: Float32Array;
  /** Mean-pooled embedding of each of SENTENCES. */
  embeddings: Float32Array[];
  /** similarity[i][j] = cosine of embeddings i and j. */
  similarity: number[][];
}

/** Sentence embeddings: one padded batch through the encoder, then mean pooling (padding left out). */
export async function embed(
  model: DistilBertPreTrainedModel,
  tokenizer: BertTokenizer,
  sentences: readonly string[],
): Promise<Float32Array[]> {
  const batch = tokenizer.encodeBatch(sentences, { padding: 'longest' });
  const out = await model.forward(batch);
  try {
    const hidden = (await out.last_hidden_state.data()) as Float32Array;
    return meanPool(hidden, batch.attention_mask, out.last_hidden_state.shape);
  } finally {
    out.dispose();
  }
}

export async function main(
  args: readonly string[] = process.argv.slice(2),
  log: (line: string) => void = console.log,
): Promise<FeatureResult> {
  const id = args[0] ?? 'distilbert-base-uncased';

  const tokenizer = await BertTokenizer.fromPretrained(id);
  // The bare encoder (DistilBertModel), whatever head the checkpoint was saved with.
  const model = await loadModel(id, { architecture: 'DistilBertModel', backend: 'cpu' });
  try {
    const text = "Replace me by any text you'd like.";
    const encodedInput = tokenizer.encodeBatch([text]);
    const output = await model.forward(encodedInput);
    const shape = [...output.last_hidden_state.shape];
    const hidden = (await output.last_hidden_state.data()) as Float32Array;
    output.dispose();
    log(`last_hidden_state ${JSON.stringify(shape)} for ${JSON.stringify(text)}`);

    const embeddings = await embed(model, tokenizer, SENTENCES);
    const similarity = embeddings.map((a) => embeddings.map((b) => cosineSimilarity(a, b)));
    log('cosine similarity of mean-pooled embeddings:');
    SENTENCES.forEach((s, i) => {
      log(`  ${similarity[i].map((x) => x.toFixed(3)).join('  ')}  ${s}`);
    });
    return { shape, hidden, embeddings, similarity };
  } finally {
    model.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
