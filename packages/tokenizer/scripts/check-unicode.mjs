// Compares our per-code-point BertNormalizer and BertPreTokenizer with the Rust library (npm `tokenizers`)
// on every Unicode code point. Run after a build: node scripts/check-unicode.mjs
import tokenizers from 'tokenizers';
import { BertNormalizer, BertPreTokenizer } from '../dist/index.js';

const refPre = tokenizers.bertPreTokenizer();
const pre = new BertPreTokenizer();
const diffs = [];
const uncased = { cleanText: true, handleChineseChars: true, lowercase: true };
const cased = { cleanText: true, handleChineseChars: true, lowercase: false, stripAccents: false };
for (const options of [uncased, cased]) {
  const ref = tokenizers.bertNormalizer(options);
  const ours = new BertNormalizer(options);
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const want = ref.normalizeString(ch);
    const got = ours.mapCodePoint(cp);
    if (want !== got)
      diffs.push(`U+${cp.toString(16)} normalize want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    // Pre-tokenizer class: "a<ch>b" splits into 3 words (punct), 2 (space) or 1 (word).
    const words = refPre.preTokenizeString(`a${ch}b`).length;
    const k = pre.classOf(cp);
    const mine = k === 2 ? 3 : k === 1 ? 2 : 1;
    if (words !== mine) diffs.push(`U+${cp.toString(16)} pre-tokenizer want ${words} words got ${mine}`);
  }
}
console.log(diffs.length ? diffs.join('\n') : 'all code points agree');
console.log(`${diffs.length} differences`);
