// Test helpers: fixture paths, the README's key table, and writers for hand-made zips and pickles.
import { fileURLToPath } from 'node:url';

export const fixture = (path: string) =>
  fileURLToPath(new URL(`../../../../fixtures/models/${path}`, import.meta.url));

export const TINY_MODELS = [
  'tiny-distilbert-mlm',
  'tiny-distilbert-sst2',
  'tiny-distilbert-mnli',
  'tiny-distilbert-stsb',
  'tiny-distilbert-ner',
  'tiny-distilbert-squad',
] as const;

interface Config {
  dim: number;
  n_layers: number;
  hidden_dim: number;
  vocab_size: number;
  max_position_embeddings: number;
  architectures: string[];
  id2label?: Record<string, string>;
}

/** State-dict names and shapes as listed in fixtures/models/README.md ("State-dict keys"). */
export function expectedKeys(config: Config): Map<string, number[]> {
  const { dim, hidden_dim: hidden, vocab_size: vocab, max_position_embeddings: maxPos } = config;
  const keys = new Map<string, number[]>();
  const p = 'distilbert.';
  keys.set(`${p}embeddings.word_embeddings.weight`, [vocab, dim]);
  keys.set(`${p}embeddings.position_embeddings.weight`, [maxPos, dim]);
  keys.set(`${p}embeddings.LayerNorm.weight`, [dim]);
  keys.set(`${p}embeddings.LayerNorm.bias`, [dim]);
  for (let i = 0; i < config.n_layers; i++) {
    const l = `${p}transformer.layer.${i}.`;
    for (const lin of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) {
      keys.set(`${l}attention.${lin}.weight`, [dim, dim]);
      keys.set(`${l}attention.${lin}.bias`, [dim]);
    }
    for (const ln of ['sa_layer_norm', 'output_layer_norm']) {
      keys.set(`${l}${ln}.weight`, [dim]);
      keys.set(`${l}${ln}.bias`, [dim]);
    }
    keys.set(`${l}ffn.lin1.weight`, [hidden, dim]);
    keys.set(`${l}ffn.lin1.bias`, [hidden]);
    keys.set(`${l}ffn.lin2.weight`, [dim, hidden]);
    keys.set(`${l}ffn.lin2.bias`, [dim]);
  }
  const labels = Object.keys(config.id2label ?? {}).length;
  switch (config.architectures[0]) {
    case 'DistilBertForMaskedLM':
      keys.set('vocab_transform.weight', [dim, dim]);
      keys.set('vocab_transform.bias', [dim]);
      keys.set('vocab_layer_norm.weight', [dim]);
      keys.set('vocab_layer_norm.bias', [dim]);
      keys.set('vocab_projector.bias', [vocab]);
      break;
    case 'DistilBertForSequenceClassification':
      keys.set('pre_classifier.weight', [dim, dim]);
      keys.set('pre_classifier.bias', [dim]);
      keys.set('classifier.weight', [labels, dim]);
      keys.set('classifier.bias', [labels]);
      break;
    case 'DistilBertForTokenClassification':
      keys.set('classifier.weight', [labels, dim]);
      keys.set('classifier.bias', [labels]);
      break;
    case 'DistilBertForQuestionAnswering':
      keys.set('qa_outputs.weight', [2, dim]);
      keys.set('qa_outputs.bias', [2]);
      break;
    default:
      throw new Error(`unexpected architecture ${config.architectures[0]}`);
  }
  return keys;
}

/** A zip of stored (uncompressed) members, as torch.save writes them (CRCs left 0: the reader ignores them). */
export function storedZip(members: { name: string; data: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint32(18, m.data.length, true);
    lv.setUint32(22, m.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(20, m.data.length, true);
    cv.setUint32(24, m.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    central.push(cd);
    parts.push(local, m.data);
    offset += local.length + m.data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...parts, ...central, eocd]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pickle opcodes for hand-written pickles. */
export const op = {
  proto: (n: number) => [0x80, n],
  global: (module: string, name: string) => [0x63, ...ascii(`${module}\n${name}\n`)],
  str: (s: string) => {
    const b = new TextEncoder().encode(s);
    return [0x58, ...u32(b.length), ...b];
  },
  int: (n: number) => [0x4a, ...i32(n)],
  mark: [0x28],
  tuple: [0x74],
  emptyTuple: [0x29],
  tuple1: [0x85],
  reduce: [0x52],
  binpersid: [0x51],
  setitems: [0x75],
  setitem: [0x73],
  emptyDict: [0x7d],
  build: [0x62],
  newfalse: [0x89],
  stop: [0x2e],
};

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}
function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function i32(n: number): number[] {
  return u32(n >>> 0);
}

export interface PickledTensor {
  name: string;
  storage: string;
  storageClass?: string;
  numel: number;
  offset: number;
  size: number[];
  stride: number[];
}

/** The pickle torch.save writes for an OrderedDict state_dict of these tensors (protocol 2). */
export function statePickle(tensors: PickledTensor[]): Uint8Array {
  const tup = (xs: number[]) => [...op.mark, ...xs.flatMap((x) => op.int(x)), ...op.tuple];
  const bytes: number[] = [
    ...op.proto(2),
    ...op.global('collections', 'OrderedDict'),
    ...op.emptyTuple,
    ...op.reduce,
    ...op.mark,
  ];
  for (const t of tensors) {
    bytes.push(
      ...op.str(t.name),
      ...op.global('torch._utils', '_rebuild_tensor_v2'),
      ...op.mark,
      ...op.mark,
      ...op.str('storage'),
      ...op.global('torch', t.storageClass ?? 'FloatStorage'),
      ...op.str(t.storage),
      ...op.str('cpu'),
      ...op.int(t.numel),
      ...op.tuple,
      ...op.binpersid,
      ...op.int(t.offset),
      ...tup(t.size),
      ...tup(t.stride),
      ...op.newfalse,
      ...op.global('collections', 'OrderedDict'),
      ...op.emptyTuple,
      ...op.reduce,
      ...op.tuple,
      ...op.reduce,
    );
  }
  bytes.push(...op.setitems, ...op.stop);
  return new Uint8Array(bytes);
}

export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
