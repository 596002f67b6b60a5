import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HubOptions } from '@distilbert/hub';
import { type AddedToken, AddedTokensMatcher } from './AddedTokens.js';
import { BertNormalizer, type BertNormalizerOptions } from './BertNormalizer.js';
import { BertPreTokenizer, PUNCT, WORD } from './BertPreTokenizer.js';
import type { BatchEncoding, Encoding, Sequence } from './Encoding.js';
import { TokenizerError } from './errors.js';
import { padEncoding, roundUp } from './padding.js';
import { TemplateProcessing } from './TemplateProcessing.js';
import { optionsFromConfig, parseTokenizerJson, type TokenizerJson } from './tokenizerConfig.js';
import { type TruncationStrategy, truncate } from './truncation.js';
import { WordPiece } from './WordPiece.js';
import { cleanUpTokenization, WordPieceDecoder } from './WordPieceDecoder.js';

/** Settings read from tokenizer_config.json / special_tokens_map.json, or given directly. */
export interface BertTokenizerOptions {
  /** false for cased models (e.g. distilbert-base-cased). */
  doLowerCase?: boolean;
  /** null: follows doLowerCase. */
  stripAccents?: boolean | null;
  tokenizeChineseChars?: boolean;
  /** Default maxLength for truncation and 'max_length' padding (512 when the config has none). */
  modelMaxLength?: number;
  unkToken?: string;
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
  maskToken?: string;
  paddingSide?: 'right' | 'left';
  truncationSide?: 'right' | 'left';
  /** Default of decode's cleanUpTokenizationSpaces. */
  cleanUpTokenizationSpaces?: boolean;
}

export interface EncodeOptions {
  /** Add [CLS]/[SEP] (default true). */
  addSpecialTokens?: boolean;
  /** true = 'longest_first'. Default: 'longest_first' when maxLength is given, otherwise none. */
  truncation?: TruncationStrategy | boolean;
  /** Counts the special tokens. Default: modelMaxLength. */
  maxLength?: number;
  /** Overlap of consecutive overflowing windows. */
  stride?: number;
  returnOverflowingTokens?: boolean;
  /** true = 'longest'. encode's default is false; encodeBatch's is 'longest'. */
  padding?: 'longest' | 'max_length' | boolean;
  padToMultipleOf?: number;
  paddingSide?: 'right' | 'left';
  truncationSide?: 'right' | 'left';
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** transformers' clean_up_tokenization on the result (default: the config's clean_up_tokenization_spaces). */
  cleanUpTokenizationSpaces?: boolean;
}

/** A text, a [text, textPair] pair, or { text, text_pair } as in the CLI's JSON Lines. */
export type BatchInput = string | readonly [string, string] | { text: string; text_pair?: string | null };

export interface BertTokenizerParts {
  model: WordPiece;
  normalizer: BertNormalizer | null;
  postProcessor: TemplateProcessing;
  decoder: WordPieceDecoder;
  addedTokens: AddedToken[];
  options: BertTokenizerOptions;
}

/** BERT / DistilBERT WordPiece tokenizer giving the same ids, offsets and decode as Hugging Face `tokenizers`. */
export class BertTokenizer {
  readonly model: WordPiece;
  readonly normalizer: BertNormalizer | null;
  readonly preTokenizer = new BertPreTokenizer();
  readonly postProcessor: TemplateProcessing;
  readonly decoder: WordPieceDecoder;
  readonly addedTokens: AddedTokensMatcher;
  readonly modelMaxLength: number;
  readonly unkToken: string;
  readonly clsToken: string;
  readonly sepToken: string;
  readonly padToken: string;
  readonly maskToken: string;
  readonly paddingSide: 'right' | 'left';
  readonly truncationSide: 'right' | 'left';
  readonly cleanUpTokenizationSpaces: boolean;
  private readonly specialIds: Set<number>;
  private tokens: string[] | null = null;
  /** Gives encodings the id → token table without building it before a token string is asked for. */
  private readonly tokenTable = () => this.idToToken;
  private readonly addedTokenList: readonly AddedToken[];
  private readonly asciiClass: Uint8Array;

  constructor(parts: BertTokenizerParts) {
    const o = parts.options;
    this.model = parts.model;
    this.normalizer = parts.normalizer;
    this.postProcessor = parts.postProcessor;
    this.decoder = parts.decoder;
    this.addedTokens = new AddedTokensMatcher(parts.addedTokens);
    this.modelMaxLength = o.modelMaxLength ?? 512;
    this.unkToken = o.unkToken ?? parts.model.options.unkToken;
    this.clsToken = o.clsToken ?? '[CLS]';
    this.sepToken = o.sepToken ?? '[SEP]';
    this.padToken = o.padToken ?? '[PAD]';
    this.maskToken = o.maskToken ?? '[MASK]';
    this.paddingSide = o.paddingSide ?? 'right';
    this.truncationSide = o.truncationSide ?? 'right';
    this.cleanUpTokenizationSpaces = o.cleanUpTokenizationSpaces ?? false;
    this.addedTokenList = parts.addedTokens;
    this.specialIds = new Set(parts.addedTokens.filter((t) => t.special).map((t) => t.id));
    this.asciiClass = new Uint8Array(128).map((_, c) => this.preTokenizer.classOf(c));
  }

  /** Id → token, added tokens included; built on first use (loading needs no string per token). */
  private get idToToken(): string[] {
    if (!this.tokens) {
      this.tokens = [...this.model.idToToken];
      for (const t of this.addedTokenList) this.tokens[t.id] = t.content;
    }
    return this.tokens;
  }

  // ---------------------------------------------------------------- loading

  /** From vocab.txt contents (or its lines): the standard BERT pipeline. */
  static fromVocab(vocab: string | readonly string[], options: BertTokenizerOptions = {}): BertTokenizer {
    const model = new WordPiece(
      typeof vocab === 'string'
        ? WordPiece.packVocabTxt(vocab)
        : new Map(vocab.map((t, i) => [t, i] as const)),
      { unkToken: options.unkToken ?? '[UNK]' },
    );
    const idOf = (t: string) => {
      const id = model.tokenToId(t);
      if (id === undefined) throw new TokenizerError('INVALID_VOCAB', `The vocabulary has no '${t}' token.`);
      return id;
    };
    const specials = [
      options.padToken ?? '[PAD]',
      options.unkToken ?? '[UNK]',
      options.clsToken ?? '[CLS]',
      options.sepToken ?? '[SEP]',
      options.maskToken ?? '[MASK]',
    ];
    return new BertTokenizer({
      model,
      normalizer: new BertNormalizer({
        cleanText: true,
        handleChineseChars: options.tokenizeChineseChars ?? true,
        stripAccents: options.stripAccents ?? null,
        lowercase: options.doLowerCase ?? true,
      }),
      postProcessor: TemplateProcessing.bert(idOf(specials[2]), idOf(specials[3])),
      decoder: new WordPieceDecoder('##', true),
      addedTokens: specials.flatMap((t) => {
        const id = model.tokenToId(t);
        return id === undefined ? [] : [{ id, content: t, special: true }];
      }),
      options,
    });
  }

  /** From a Hugging Face tokenizer.json (current or legacy layout), as text or parsed. */
  static fromTokenizerJson(json: string | TokenizerJson, options: BertTokenizerOptions = {}): BertTokenizer {
    const parsed = typeof json === 'string' ? parseTokenizerJson(json) : { json, vocab: null };
    const j = parsed.json;
    const m = j.model;
    if (
      !m?.vocab ||
      typeof m.vocab !== 'object' ||
      Array.isArray(m.vocab) ||
      (m.type !== undefined && m.type !== 'WordPiece')
    )
      throw new TokenizerError(
        'UNSUPPORTED',
        `tokenizer.json model ${m?.type ?? '(unknown)'} is not WordPiece; only BERT-style tokenizers are supported.`,
      );
    const vocab = parsed.vocab ?? vocabInIdOrder(m.vocab);
    const model = new WordPiece(vocab, {
      unkToken: m.unk_token ?? '[UNK]',
      continuingSubwordPrefix: m.continuing_subword_prefix ?? '##',
      maxInputCharsPerWord: m.max_input_chars_per_word ?? 100,
    });
    const n = j.normalizer;
    if (n && n.type !== 'BertNormalizer')
      throw new TokenizerError(
        'UNSUPPORTED',
        `tokenizer.json normalizer ${n.type} is not supported (BertNormalizer).`,
      );
    if (j.pre_tokenizer && j.pre_tokenizer.type !== 'BertPreTokenizer')
      throw new TokenizerError(
        'UNSUPPORTED',
        `tokenizer.json pre_tokenizer ${j.pre_tokenizer.type} is not supported.`,
      );
    // Like transformers' BertTokenizerFast: explicit config values override the serialized normalizer.
    const normalizerOptions: BertNormalizerOptions = {
      cleanText: n?.clean_text ?? true,
      handleChineseChars: options.tokenizeChineseChars ?? n?.handle_chinese_chars ?? true,
      stripAccents: options.stripAccents !== undefined ? options.stripAccents : (n?.strip_accents ?? null),
      lowercase: options.doLowerCase ?? n?.lowercase ?? true,
    };
    const addedTokens: AddedToken[] = (j.added_tokens ?? []).map((t) => ({
      id: t.id,
      content: t.content,
      special: !!t.special,
      lstrip: !!t.lstrip,
      rstrip: !!t.rstrip,
    }));
    for (const t of addedTokens) model.addToVocab(t.content, t.id);
    const d = j.decoder;
    if (d && d.type !== 'WordPiece')
      throw new TokenizerError(
        'UNSUPPORTED',
        `tokenizer.json decoder ${d.type} is not supported (WordPiece).`,
      );
    const cls = options.clsToken ?? '[CLS]';
    const sep = options.sepToken ?? '[SEP]';
    const idOf = { get: (t: string) => model.tokenToId(t) };
    const postProcessor = j.post_processor
      ? TemplateProcessing.fromJson(j.post_processor, idOf)
      : TemplateProcessing.bert(idOf.get(cls) ?? -1, idOf.get(sep) ?? -1);
    return new BertTokenizer({
      model,
      normalizer: n ? new BertNormalizer(normalizerOptions) : null,
      postProcessor,
      decoder: new WordPieceDecoder(d?.prefix ?? '##', d?.cleanup ?? true),
      addedTokens,
      options: { unkToken: model.options.unkToken, ...options },
    });
  }

  /**
   * From a local folder or a Hub model id: tokenizer.json when present, otherwise vocab.txt; settings from
   * tokenizer_config.json and special_tokens_map.json; `options` override them.
   */
  static async fromPretrained(
    dirOrHubId: string,
    options: HubOptions & BertTokenizerOptions = {},
  ): Promise<BertTokenizer> {
    const repo = await openFolderOrRepo(dirOrHubId, options);
    const readJson = async (f: string) => {
      const p = await repo.optionalPath(f);
      return p ? (JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>) : null;
    };
    const [config, map, tokJsonPath] = await Promise.all([
      readJson('tokenizer_config.json'),
      readJson('special_tokens_map.json'),
      repo.optionalPath('tokenizer.json'),
    ]);
    const merged = optionsFromConfig(config, map, options);
    if (tokJsonPath) return BertTokenizer.fromTokenizerJson(await readFile(tokJsonPath, 'utf8'), merged);
    const vocabPath = await repo.optionalPath('vocab.txt');
    if (!vocabPath)
      throw new TokenizerError('INVALID_VOCAB', `${dirOrHubId} has neither tokenizer.json nor vocab.txt.`);
    return BertTokenizer.fromVocab(await readFile(vocabPath, 'utf8'), merged);
  }

  // ---------------------------------------------------------------- vocabulary

  get vocab(): ReadonlyMap<string, number> {
    return this.model.vocab;
  }
  get vocabSize(): number {
    return this.idToToken.length;
  }
  private tokenId(t: string): number {
    const id = this.model.tokenToId(t);
    if (id === undefined) throw new TokenizerError('INVALID_VOCAB', `The vocabulary has no '${t}' token.`);
    return id;
  }
  get unkTokenId(): number {
    return this.model.unkId;
  }
  get clsTokenId(): number {
    return this.tokenId(this.clsToken);
  }
  get sepTokenId(): number {
    return this.tokenId(this.sepToken);
  }
  get padTokenId(): number {
    return this.tokenId(this.padToken);
  }
  get maskTokenId(): number {
    return this.tokenId(this.maskToken);
  }
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.model.tokenToId(t) ?? this.model.unkId);
  }
  convertIdsToTokens(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => this.idToToken[id] ?? this.invalidId(id));
  }
  private invalidId(id: number): never {
    throw new TokenizerError(
      'INVALID_ID',
      `Token id ${id} is outside the vocabulary (0..${this.vocabSize - 1}).`,
    );
  }
  /** How many tokens [CLS]/[SEP] add for a single text or a pair. */
  numSpecialTokensToAdd(pair = false): number {
    return this.postProcessor.numSpecialTokens(pair);
  }

  // ---------------------------------------------------------------- encoding

  /** Normalizes, splits and WordPiece-encodes one text (no special tokens). */
  tokenizeSequence(text: string): Sequence {
    if (typeof text !== 'string')
      throw new TokenizerError(
        'INVALID_INPUT',
        `Expected a string to encode, got ${text === null ? 'null' : typeof text}.`,
      );
    const seq: Sequence = { ids: [], starts: [], ends: [], words: [] };
    const parts = this.addedTokens.split(text);
    if (parts === null) {
      this.encodeText(text, 0, text.length, seq, 0);
      return seq;
    }
    let word = 0;
    for (let i = 0; i < parts.length; i += 3) {
      const id = parts[i + 2];
      if (id >= 0) {
        seq.ids.push(id);
        seq.starts.push(parts[i]);
        seq.ends.push(parts[i + 1]);
        seq.words.push(word++);
      } else word = this.encodeText(text, parts[i], parts[i + 1], seq, word);
    }
    return seq;
  }

  /** Token strings of a text (no special tokens). */
  tokenize(text: string): string[] {
    return this.tokenizeSequence(text).ids.map((id) => this.idToToken[id]);
  }

  /** The hot loop: normalize text[base, end), split into words, WordPiece each word. Returns the next word index. */
  private encodeText(text: string, base: number, end: number, seq: Sequence, word: number): number {
    const norm = this.normalizer
      ? this.normalizer.normalize(text, base, end)
      : { text: text.slice(base, end), origStart: null, origEnd: null };
    const s = norm.text;
    const n = s.length;
    const { ids, starts, ends, words } = seq;
    const first = ids.length;
    const ascii = this.asciiClass;
    const model = this.model;
    let ws = -1;
    for (let i = 0; i < n; ) {
      const c = s.charCodeAt(i);
      let k: number;
      let len = 1;
      if (c < 128) k = ascii[c];
      else {
        let cp = c;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
            len = 2;
          }
        }
        k = this.preTokenizer.classOf(cp);
      }
      if (k === WORD) {
        if (ws < 0) ws = i;
      } else {
        if (ws >= 0) {
          const before = ids.length;
          model.tokenizeWord(s, ws, i, ids, starts, ends);
          for (let t = before; t < ids.length; t++) words.push(word);
          word++;
          ws = -1;
        }
        if (k === PUNCT) {
          model.tokenizeWord(s, i, i + len, ids, starts, ends);
          words.push(word++);
        }
      }
      i += len;
    }
    if (ws >= 0) {
      const before = ids.length;
      model.tokenizeWord(s, ws, n, ids, starts, ends);
      for (let t = before; t < ids.length; t++) words.push(word);
      word++;
    }
    // Normalized offsets → original UTF-16 offsets.
    const os = norm.origStart;
    const oe = norm.origEnd;
    if (os === null || oe === null) {
      if (base !== 0)
        for (let t = first; t < ids.length; t++) {
          starts[t] += base;
          ends[t] += base;
        }
    } else {
      for (let t = first; t < ids.length; t++) {
        starts[t] = os[starts[t]] + base;
        ends[t] = oe[ends[t] - 1] + base;
      }
    }
    return word;
  }

  private truncationParams(o: EncodeOptions, pair: boolean) {
    const strategy: TruncationStrategy =
      o.truncation === true || (o.truncation === undefined && o.maxLength !== undefined)
        ? 'longest_first'
        : o.truncation === false || o.truncation === undefined
          ? 'do_not_truncate'
          : o.truncation;
    if (!['longest_first', 'only_first', 'only_second', 'do_not_truncate'].includes(strategy))
      throw new TokenizerError(
        'INVALID_OPTION',
        `Unknown truncation '${strategy}': use longest_first, only_first, only_second or do_not_truncate.`,
      );
    const maxLength = o.maxLength ?? this.modelMaxLength;
    if (!Number.isInteger(maxLength) || maxLength < 0)
      throw new TokenizerError(
        'INVALID_OPTION',
        `maxLength must be a non-negative integer, got ${maxLength}.`,
      );
    const added = o.addSpecialTokens === false ? 0 : this.postProcessor.numSpecialTokens(pair);
    if (strategy !== 'do_not_truncate' && maxLength < added)
      throw new TokenizerError(
        'MAX_LENGTH_TOO_SMALL',
        `maxLength ${maxLength} is smaller than the ${added} special tokens of a ${pair ? 'pair' : 'single text'}; use maxLength >= ${added + 1}.`,
      );
    const stride = o.stride ?? 0;
    if (!Number.isInteger(stride) || stride < 0)
      throw new TokenizerError('INVALID_OPTION', `stride must be a non-negative integer, got ${stride}.`);
    return {
      strategy,
      maxLength: maxLength - added,
      stride,
      side: o.truncationSide ?? this.truncationSide,
    };
  }

  /** Truncation, special tokens and overflowing windows, before padding. */
  private encodeUnpadded(text: string, textPair: string | null | undefined, o: EncodeOptions): Encoding {
    const hasPair = textPair !== undefined && textPair !== null;
    const a = this.tokenizeSequence(text);
    const b = hasPair ? this.tokenizeSequence(textPair) : null;
    const params = this.truncationParams(o, hasPair);
    const add = o.addSpecialTokens !== false;
    const cut = truncate(a, b, params);
    const as = cut.a;
    const bs = cut.b;
    const main = this.postProcessor.process(as[0], bs ? bs[0] : null, add, this.tokenTable);
    if (o.returnOverflowingTokens && (as.length > 1 || (bs && bs.length > 1))) {
      // The library's merge order (Encoding::merge_with): windows of A with every window of B, then A's first with the rest of B.
      const nb = bs ? bs.length : 1;
      const combos: [number, number][] = [];
      for (let i = 1; i < as.length; i++) for (let j = 0; j < nb; j++) combos.push([i, j]);
      for (let j = 1; j < nb; j++) combos.push([0, j]);
      main.overflowing = combos.map(([i, j]) =>
        this.postProcessor.process(as[i], bs ? bs[j] : null, add, this.tokenTable),
      );
    }
    return main;
  }

  private padParams(o: EncodeOptions) {
    return { padId: this.padTokenId, padTypeId: 0, side: o.paddingSide ?? this.paddingSide };
  }

  /** Encodes one text or pair. */
  encode(text: string, textPair?: string | null, options: EncodeOptions = {}): Encoding {
    const e = this.encodeUnpadded(text, textPair, options);
    const padding = options.padding === true ? 'longest' : options.padding;
    if (padding) {
      const all = [e, ...(e.overflowing ?? [])];
      const target = this.padTarget(padding, options, all);
      const p = this.padParams(options);
      for (const x of all) padEncoding(x, target, p);
    }
    return e;
  }

  private padTarget(padding: 'longest' | 'max_length', o: EncodeOptions, rows: Encoding[]): number {
    let len = 0;
    if (padding === 'max_length') len = o.maxLength ?? this.modelMaxLength;
    else if (padding === 'longest') for (const r of rows) len = Math.max(len, r.input_ids.length);
    else
      throw new TokenizerError('INVALID_OPTION', `Unknown padding '${padding}': use longest or max_length.`);
    return roundUp(len, o.padToMultipleOf);
  }

  /** Encodes texts or [text, textPair] pairs into padded typed arrays (padding defaults to 'longest'). */
  encodeBatch(inputs: readonly BatchInput[], options: EncodeOptions = {}): BatchEncoding {
    const rows: Encoding[] = [];
    const sample: number[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      const [text, pair] =
        typeof x === 'string' ? [x, null] : 'text' in x ? [x.text, x.text_pair] : [x[0], x[1]];
      const e = this.encodeUnpadded(text, pair, options);
      rows.push(e);
      sample.push(i);
      if (options.returnOverflowingTokens && e.overflowing) {
        for (const ov of e.overflowing) {
          rows.push(ov);
          sample.push(i);
        }
        e.overflowing = undefined;
      }
    }
    const padding = options.padding === undefined || options.padding === true ? 'longest' : options.padding;
    let seqLen = rows.length ? rows[0].input_ids.length : 0;
    if (padding) {
      seqLen = this.padTarget(padding, options, rows);
      const p = this.padParams(options);
      for (const r of rows) padEncoding(r, seqLen, p);
    } else if (rows.some((r) => r.input_ids.length !== seqLen)) {
      throw new TokenizerError(
        'RAGGED_BATCH',
        "Rows have different lengths and padding is off; pass padding: 'longest' (or 'max_length').",
      );
    }
    const size = rows.length * seqLen;
    const input_ids = new Int32Array(size);
    const attention_mask = new Int32Array(size);
    const token_type_ids = new Int32Array(size);
    const special_tokens_mask = new Int32Array(size);
    for (let r = 0; r < rows.length; r++) {
      const e = rows[r];
      const off = r * seqLen;
      input_ids.set(e.input_ids, off);
      attention_mask.set(e.attention_mask, off);
      token_type_ids.set(e.token_type_ids, off);
      special_tokens_mask.set(e.special_tokens_mask, off);
    }
    const out: BatchEncoding = {
      input_ids,
      attention_mask,
      token_type_ids,
      special_tokens_mask,
      shape: [rows.length, seqLen],
      encodings: rows,
    };
    if (options.returnOverflowingTokens) out.overflow_to_sample_mapping = Int32Array.from(sample);
    return out;
  }

  // ---------------------------------------------------------------- decoding

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const t = this.idToToken[id];
      if (t === undefined) this.invalidId(id);
      if (options.skipSpecialTokens && this.specialIds.has(id)) continue;
      tokens.push(t);
    }
    const text = this.decoder.decode(tokens);
    return (options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces)
      ? cleanUpTokenization(text)
      : text;
  }

  batchDecode(batch: readonly ArrayLike<number>[], options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }
}

/** JSON objects iterate integer-like keys ("334") first; rebuild the vocab in id order, like vocab.txt. */
function vocabInIdOrder(obj: Record<string, number>): Map<string, number> {
  const byId: string[] = [];
  let ok = true;
  for (const k in obj) {
    const id = obj[k];
    if (!Number.isInteger(id) || id < 0 || byId[id] !== undefined) ok = false;
    else byId[id] = k;
  }
  if (!ok) return new Map(Object.entries(obj));
  const vocab = new Map<string, number>();
  for (let id = 0; id < byId.length; id++) if (byId[id] !== undefined) vocab.set(byId[id], id);
  return vocab;
}

/**
 * A local folder is read as is (what @distilbert/hub does with one); only a Hub id imports the hub client,
 * whose import alone costs more than loading the tokenizer.
 */
async function openFolderOrRepo(
  dirOrHubId: string,
  options: HubOptions,
): Promise<{ optionalPath(file: string): Promise<string | null> }> {
  const isFile = (p: string) =>
    stat(p).then(
      (s) => s.isFile(),
      () => false,
    );
  if (
    await stat(dirOrHubId).then(
      (s) => s.isDirectory(),
      () => false,
    )
  )
    return { optionalPath: async (f) => ((await isFile(join(dirOrHubId, f))) ? join(dirOrHubId, f) : null) };
  const { openRepo } = await import('@distilbert/hub');
  return openRepo(dirOrHubId, options);
}
