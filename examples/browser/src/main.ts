// fill-mask in a page: pick a backend, fetch the model, fill the mask, list the predictions.
// URL parameters: ?model=<base URL of a model folder>&backend=cpu|gpu
import {
  FillMaskPipeline,
  type FillMaskResult,
  type ModelLike,
  type TokenizerLike,
} from '@distilbert/pipelines';
import { loadFillMaskFromUrl } from './loadFromUrl.js';
import { pickBackend } from './pickBackend.js';

const DEFAULT_MODEL = 'https://huggingface.co/distilbert/distilbert-base-uncased/resolve/main/';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const modelUrl = new URL(params.get('model') ?? DEFAULT_MODEL, location.href).href;

function show(state: 'loading' | 'ready' | 'error', text: string): void {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

function render(results: FillMaskResult[]): void {
  const list = $<HTMLOListElement>('predictions');
  list.replaceChildren(
    ...results.map((r) => {
      const item = document.createElement('li');
      item.dataset.token = String(r.token);
      const sequence = document.createElement('span');
      sequence.className = 'sequence';
      sequence.textContent = r.sequence;
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = r.score.toExponential(3);
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(2, Math.round(200 * (r.score / results[0].score)))}px`;
      item.append(sequence, bar, score);
      return item;
    }),
  );
}

async function start(): Promise<void> {
  const picked = await pickBackend(params.get('backend'));
  document.body.dataset.backend = picked.kind;
  show('loading', `Loading ${modelUrl} on the ${picked.kind} backend (${picked.note})…`);
  const { model, tokenizer } = await loadFillMaskFromUrl(modelUrl, picked.backend);
  const unmasker = new FillMaskPipeline(model as unknown as ModelLike, tokenizer as unknown as TokenizerLike);

  const run = async () => {
    const text = $<HTMLInputElement>('text').value;
    const t0 = performance.now();
    const results = (await unmasker.call(text)) as FillMaskResult[];
    render(results);
    show('ready', `${picked.kind} backend (${picked.note}), ${Math.round(performance.now() - t0)} ms`);
  };
  $('form').addEventListener('submit', (event) => {
    event.preventDefault();
    run().catch((error: Error) => show('error', error.message));
  });
  $<HTMLButtonElement>('run').disabled = false;
  await run();
}

start().catch((error: Error) => show('error', `${error.name}: ${error.message}`));
