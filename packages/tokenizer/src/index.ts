export { type AddedToken, AddedTokensMatcher } from './AddedTokens.js';
export { BertNormalizer, type BertNormalizerOptions, type NormalizedText } from './BertNormalizer.js';
export { BertPreTokenizer } from './BertPreTokenizer.js';
export {
  type BatchInput,
  BertTokenizer,
  type BertTokenizerOptions,
  type BertTokenizerParts,
  type DecodeOptions,
  type EncodeOptions,
} from './BertTokenizer.js';
export { type BatchEncoding, Encoding, type EncodingJSON, type Sequence } from './Encoding.js';
export { TokenizerError } from './errors.js';
export { type CliIo, runCli } from './runCli.js';
export { type TemplatePiece, TemplateProcessing } from './TemplateProcessing.js';
export { optionsFromConfig, type TokenizerJson } from './tokenizerConfig.js';
export { longestFirstLengths, type TruncationStrategy, truncationWindows } from './truncation.js';
export { type PackedVocab, WordPiece, type WordPieceOptions } from './WordPiece.js';
export { cleanUpTokenization, WordPieceDecoder } from './WordPieceDecoder.js';
