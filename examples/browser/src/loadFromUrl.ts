// Loads a fill-mask model from a URL with fetch: a folder in Hugging Face layout served over HTTP, such as
// https://huggingface.co/<id>/resolve/main/ or a local static server. @distilbert/hub and core's loadModel
// read files from disk (Node), so in a browser the files are fetched here and handed to core's
// in-memory constructors.
import {
  DistilBertConfig,
  DistilBertForMaskedLM,
  type KernelBackend,
  parseSafetensors,
} from '@distilbert/core';
import { BertTokenizer, optionsFromConfig } from '@distilbert/tokenizer';

export interface LoadedFillMask {
  model: DistilBertForMaskedLM;
  tokenizer: BertTokenizer;
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}.`);
  return response;
}

async function optionalJson(url: URL): Promise<Record<string, unknown> | null> {
  const response = await fetch(url);
  return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
}

/** `baseUrl` ends with '/': config.json, model.safetensors and tokenizer.json or vocab.txt are under it. */
export async function loadFillMaskFromUrl(baseUrl: string, backend: KernelBackend): Promise<LoadedFillMask> {
  const at = (file: string) => new URL(file, baseUrl);
  const [configText, weights, tokenizerConfig, specialTokens, tokenizerJson] = await Promise.all([
    fetchOk(at('config.json')).then((r) => r.text()),
    fetchOk(at('model.safetensors')).then((r) => r.arrayBuffer()),
    optionalJson(at('tokenizer_config.json')),
    optionalJson(at('special_tokens_map.json')),
    fetch(at('tokenizer.json')).then((r) => (r.ok ? r.text() : null)),
  ]);
  // The same settings BertTokenizer.fromPretrained reads from a folder.
  const options = optionsFromConfig(tokenizerConfig, specialTokens, {});
  const tokenizer = tokenizerJson
    ? BertTokenizer.fromTokenizerJson(tokenizerJson, options)
    : BertTokenizer.fromVocab(await fetchOk(at('vocab.txt')).then((r) => r.text()), options);

  const config = DistilBertConfig.fromText(configText, at('config.json').href);
  const checkpoint = parseSafetensors(new Uint8Array(weights), at('model.safetensors').href);
  try {
    const model = DistilBertForMaskedLM.fromCheckpoint(config, checkpoint, backend, { onWarning: () => {} });
    return { model, tokenizer };
  } finally {
    checkpoint.close();
  }
}
