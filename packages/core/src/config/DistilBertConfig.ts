import { ConfigError } from '../errors.js';

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** Activations DistilBERT accepts in config.json (HF raises for anything else). */
const ACTIVATIONS = ['gelu', 'relu'] as const;
const PROBLEM_TYPES: readonly ProblemType[] = [
  'regression',
  'single_label_classification',
  'multi_label_classification',
];

// HF's DistilBertConfig.attribute_map: the BERT-style names some configs carry.
const ALIASES: Record<string, string> = {
  hidden_size: 'dim',
  num_attention_heads: 'n_heads',
  num_hidden_layers: 'n_layers',
};

/** The sizes the graph cannot run without; HF has defaults for them, but a config without them is a mistake. */
const REQUIRED = [
  'vocab_size',
  'dim',
  'n_layers',
  'n_heads',
  'hidden_dim',
  'max_position_embeddings',
] as const;

/**
 * A Hugging Face DistilBERT `config.json`, validated. Field names are HF's, so configs read like Python's.
 * Unknown keys are kept in `extra`.
 */
export class DistilBertConfig {
  readonly model_type = 'distilbert';
  readonly vocab_size: number;
  readonly dim: number;
  readonly n_layers: number;
  readonly n_heads: number;
  readonly hidden_dim: number;
  readonly max_position_embeddings: number;
  readonly activation: 'gelu' | 'relu';
  readonly sinusoidal_pos_embds: boolean;
  readonly pad_token_id: number;
  readonly architectures: readonly string[];
  /** Integer keys, as Python's `config.id2label`. */
  readonly id2label: Readonly<Record<number, string>>;
  readonly label2id: Readonly<Record<string, number>>;
  readonly num_labels: number;
  readonly problem_type: ProblemType | null;
  readonly tie_word_embeddings: boolean;
  readonly finetuning_task: string | null;
  /** Every key of the JSON, as read (including the ones above). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(json: Record<string, unknown>) {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new ConfigError('config.json must be a JSON object.');
    }
    const c: Record<string, unknown> = { ...json };
    for (const [alias, name] of Object.entries(ALIASES))
      if (c[name] === undefined && alias in c) c[name] = c[alias];
    if (c.model_type !== undefined && c.model_type !== 'distilbert') {
      throw new ConfigError(
        `config.json has model_type '${String(c.model_type)}'; this library runs only 'distilbert' models.`,
      );
    }
    const missing = REQUIRED.filter((k) => c[k] === undefined || c[k] === null);
    if (missing.length > 0) {
      throw new ConfigError(
        `config.json is missing ${missing.join(', ')}; a DistilBERT config needs all of ${REQUIRED.join(', ')}.`,
      );
    }
    this.vocab_size = positiveInt(c, 'vocab_size');
    this.dim = positiveInt(c, 'dim');
    this.n_layers = positiveInt(c, 'n_layers');
    this.n_heads = positiveInt(c, 'n_heads');
    this.hidden_dim = positiveInt(c, 'hidden_dim');
    this.max_position_embeddings = positiveInt(c, 'max_position_embeddings');
    if (this.dim % this.n_heads !== 0) {
      throw new ConfigError(`dim (${this.dim}) must be divisible by n_heads (${this.n_heads}).`);
    }
    const activation = c.activation ?? 'gelu';
    if (!ACTIVATIONS.includes(activation as 'gelu')) {
      throw new ConfigError(
        `activation '${String(activation)}' is not supported; DistilBERT takes ${ACTIVATIONS.join(' or ')}.`,
      );
    }
    this.activation = activation as 'gelu' | 'relu';
    this.sinusoidal_pos_embds = c.sinusoidal_pos_embds === true;
    this.pad_token_id = typeof c.pad_token_id === 'number' ? c.pad_token_id : 0;
    this.architectures = Array.isArray(c.architectures) ? c.architectures.map(String) : [];
    this.tie_word_embeddings = c.tie_word_embeddings !== false;
    this.finetuning_task = typeof c.finetuning_task === 'string' ? c.finetuning_task : null;

    const labels = parseLabels(c);
    this.id2label = labels.id2label;
    this.label2id = labels.label2id;
    this.num_labels = Object.keys(labels.id2label).length;

    const pt = c.problem_type ?? null;
    if (pt !== null && !PROBLEM_TYPES.includes(pt as ProblemType)) {
      throw new ConfigError(`problem_type '${String(pt)}' is not one of ${PROBLEM_TYPES.join(', ')}.`);
    }
    this.problem_type = pt as ProblemType | null;
    this.extra = json;
  }

  static fromJSON(json: Record<string, unknown>): DistilBertConfig {
    return new DistilBertConfig(json);
  }

  /** Parses config.json text; JSON syntax errors become a ConfigError naming the file. */
  static fromText(text: string, file = 'config.json'): DistilBertConfig {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    return new DistilBertConfig(json as Record<string, unknown>);
  }

  get head_dim(): number {
    return this.dim / this.n_heads;
  }

  toJSON(): Record<string, unknown> {
    const { extra, ...own } = this;
    return { ...extra, ...own, id2label: { ...this.id2label }, label2id: { ...this.label2id } };
  }
}

function positiveInt(c: Record<string, unknown>, key: string): number {
  const v = c[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ConfigError(`config.json: ${key} must be a positive integer, got ${JSON.stringify(v)}.`);
  }
  return v;
}

// As PretrainedConfig: id2label wins, else num_labels labels LABEL_i, else 2.
function parseLabels(c: Record<string, unknown>): {
  id2label: Record<number, string>;
  label2id: Record<string, number>;
} {
  const id2label: Record<number, string> = {};
  if (c.id2label && typeof c.id2label === 'object') {
    for (const [k, v] of Object.entries(c.id2label as Record<string, unknown>)) {
      const id = Number(k);
      if (!Number.isInteger(id) || id < 0)
        throw new ConfigError(`config.json: id2label key '${k}' is not a label index.`);
      id2label[id] = String(v);
    }
  } else {
    const n = c.num_labels ?? 2;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
      throw new ConfigError(`config.json: num_labels must be a positive integer, got ${JSON.stringify(n)}.`);
    }
    for (let i = 0; i < n; i++) id2label[i] = `LABEL_${i}`;
  }
  const ids = Object.keys(id2label).map(Number);
  if (ids.some((id) => id >= ids.length)) {
    throw new ConfigError(`config.json: id2label keys must be 0..${ids.length - 1}, got ${ids.join(', ')}.`);
  }
  const label2id: Record<string, number> = {};
  if (c.label2id && typeof c.label2id === 'object') {
    for (const [k, v] of Object.entries(c.label2id as Record<string, unknown>)) label2id[k] = Number(v);
  } else for (const id of ids) label2id[id2label[id]] = id;
  return { id2label, label2id };
}

/** HF's create_sinusoidal_embeddings: PE[p, 2i] = sin(p / 10000^(2i/dim)), PE[p, 2i+1] = cos(...). */
export function sinusoidalTable(maxPositions: number, dim: number): Float32Array {
  const out = new Float32Array(maxPositions * dim);
  for (let p = 0; p < maxPositions; p++) {
    for (let j = 0; j < dim; j++) {
      const angle = p / 10000 ** ((2 * Math.floor(j / 2)) / dim);
      out[p * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}
