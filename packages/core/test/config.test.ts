import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  DistilBertConfig,
  loadConfig,
  resolveArchitecture,
  sinusoidalTable,
} from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from './helpers/fixtures.js';

const read = (name: string) => JSON.parse(readFileSync(join(fixtureDir(name), 'config.json'), 'utf8'));
const base = read('tiny-distilbert-mlm');
const withOut = (key: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));

describe('DistilBertConfig', () => {
  it('reads the sizes and labels of a fixture config, with integer id2label keys', () => {
    const c = new DistilBertConfig(read('tiny-distilbert-sst2'));
    expect([c.dim, c.n_heads, c.n_layers, c.hidden_dim, c.vocab_size, c.max_position_embeddings]).toEqual([
      32, 4, 2, 37, 30522, 512,
    ]);
    expect(c.head_dim).toBe(8);
    expect(c.activation).toBe('gelu');
    expect(c.id2label).toEqual({ 0: 'NEGATIVE', 1: 'POSITIVE' });
    expect(Object.keys(c.id2label).map(Number)).toEqual([0, 1]);
    expect(c.label2id).toEqual({ NEGATIVE: 0, POSITIVE: 1 });
    expect(c.num_labels).toBe(2);
    expect(c.problem_type).toBe('single_label_classification');
    expect(c.architectures).toEqual(['DistilBertForSequenceClassification']);
    expect(c.finetuning_task).toBe('sst-2');
  });

  it('keeps problem_type null when absent and reads regression with one label', () => {
    const mnli = new DistilBertConfig(read('tiny-distilbert-mnli'));
    expect(mnli.problem_type).toBeNull();
    expect(mnli.id2label[2]).toBe('contradiction');
    const stsb = new DistilBertConfig(read('tiny-distilbert-stsb'));
    expect(stsb.problem_type).toBe('regression');
    expect(stsb.num_labels).toBe(1);
    expect(stsb.id2label).toEqual({ 0: 'LABEL_0' });
  });

  it('defaults to two labels LABEL_0/LABEL_1, or num_labels of them, as PretrainedConfig', () => {
    const c = new DistilBertConfig(base);
    expect(c.num_labels).toBe(2);
    expect(c.id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1' });
    expect(c.label2id).toEqual({ LABEL_0: 0, LABEL_1: 1 });
    expect(new DistilBertConfig({ ...base, num_labels: 5 }).id2label[4]).toBe('LABEL_4');
  });

  it('accepts the BERT-style aliases of attribute_map', () => {
    const { dim, n_heads, n_layers, ...rest } = base;
    const c = new DistilBertConfig({
      ...rest,
      hidden_size: dim,
      num_attention_heads: n_heads,
      num_hidden_layers: n_layers,
    });
    expect([c.dim, c.n_heads, c.n_layers]).toEqual([32, 4, 2]);
  });

  it('rejects dim not divisible by n_heads', () => {
    expect(() => new DistilBertConfig({ ...base, dim: 30 })).toThrow(ConfigError);
    expect(() => new DistilBertConfig({ ...base, dim: 30 })).toThrow(
      /dim \(30\) must be divisible by n_heads \(4\)/,
    );
  });

  it('rejects activations other than gelu and relu', () => {
    expect(() => new DistilBertConfig({ ...base, activation: 'gelu_new' })).toThrow(
      /activation 'gelu_new' is not supported/,
    );
    expect(new DistilBertConfig({ ...base, activation: 'relu' }).activation).toBe('relu');
    expect(new DistilBertConfig(withOut('activation')).activation).toBe('gelu');
  });

  it('names every missing size field', () => {
    const c = Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'dim' && k !== 'vocab_size'));
    expect(() => new DistilBertConfig(c)).toThrow(/missing vocab_size, dim/);
  });

  it('rejects non-integer sizes, other model types, bad problem types and broken JSON', () => {
    expect(() => new DistilBertConfig({ ...base, n_layers: 1.5 })).toThrow(
      /n_layers must be a positive integer/,
    );
    expect(() => new DistilBertConfig({ ...base, hidden_dim: 0 })).toThrow(
      /hidden_dim must be a positive integer/,
    );
    expect(() => new DistilBertConfig({ ...base, model_type: 'bert' })).toThrow(/model_type 'bert'/);
    expect(() => new DistilBertConfig({ ...base, problem_type: 'ranking' })).toThrow(
      /problem_type 'ranking'/,
    );
    expect(() => DistilBertConfig.fromText('{"dim": 3', 'x/config.json')).toThrow(
      /x\/config.json is not valid JSON/,
    );
    expect(() => new DistilBertConfig({ ...base, id2label: { 0: 'a', 2: 'c' } })).toThrow(
      /id2label keys must be 0..1/,
    );
  });

  it('picks the architecture from the config, an override, or the bare model', () => {
    expect(resolveArchitecture(new DistilBertConfig(read('tiny-distilbert-squad')))).toBe(
      'DistilBertForQuestionAnswering',
    );
    expect(resolveArchitecture(new DistilBertConfig(withOut('architectures')))).toBe('DistilBertModel');
    expect(resolveArchitecture(new DistilBertConfig(base), 'DistilBertModel')).toBe('DistilBertModel');
    expect(() =>
      resolveArchitecture(new DistilBertConfig({ ...base, architectures: ['DistilBertForMultipleChoice'] })),
    ).toThrow(/'DistilBertForMultipleChoice' is not supported/);
  });

  it("loadConfig reads a folder's config.json", async () => {
    const c = await loadConfig(fixtureDir('tiny-distilbert-ner'));
    expect(c.num_labels).toBe(9);
    expect(c.id2label[1]).toBe('B-PER');
    expect(c.label2id['I-MISC']).toBe(8);
  });

  it('builds HF create_sinusoidal_embeddings', () => {
    const t = sinusoidalTable(3, 4);
    expect(Array.from(t.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(t[4]).toBeCloseTo(Math.sin(1), 7);
    expect(t[5]).toBeCloseTo(Math.cos(1), 7);
    expect(t[10]).toBeCloseTo(Math.sin(2 / 10000 ** (2 / 4)), 7);
    expect(t[11]).toBeCloseTo(Math.cos(2 / 10000 ** (2 / 4)), 7);
  });
});
