import { badInput, badModel, PipelineError } from '../errors.js';
import {
  type QaAnswer,
  type QaSpan,
  questionAnsweringPostprocess,
} from '../postprocess/questionAnswering.js';
import type { EncodingLike } from '../types.js';
import { Pipeline, rowsOf } from './Pipeline.js';

export interface QaInput {
  question: string;
  context: string;
}

export interface QuestionAnsweringOptions {
  /** Answers to return (default 1). */
  top_k?: number;
  /** Tokens shared by consecutive windows of a long context (default min(max_seq_len / 2, 128)). */
  doc_stride?: number;
  /** Longest answer in tokens (default 15). */
  max_answer_len?: number;
  /** Tokens per window, question included (default min(model_max_length, 384)). */
  max_seq_len?: number;
  /** Also consider "no answer" ({score, start: 0, end: 0, answer: ''}). Default false. */
  handle_impossible_answer?: boolean;
  /** Widen answers to whole words (default true). */
  align_to_words?: boolean;
}

export type QuestionAnsweringOutput = QaAnswer | QaAnswer[];

/** Python's QuestionAnsweringPipeline: long contexts are split into overlapping windows. */
export class QuestionAnsweringPipeline extends Pipeline {
  readonly task = 'question-answering';

  async call(
    inputs: QaInput | readonly QaInput[],
    options: QuestionAnsweringOptions = {},
  ): Promise<QuestionAnsweringOutput | QuestionAnsweringOutput[]> {
    const examples = Array.isArray(inputs) ? [...(inputs as QaInput[])] : [inputs as QaInput];
    if (examples.length === 0) throw badInput('question-answering needs at least one {question, context}.');
    const maxSeqLen = options.max_seq_len ?? Math.min(this.maxLength, 384);
    const docStride = options.doc_stride ?? Math.min(Math.floor(maxSeqLen / 2), 128);
    if (docStride > maxSeqLen) {
      throw badInput(`\`doc_stride\` (${docStride}) is larger than \`max_seq_len\` (${maxSeqLen})`);
    }
    const windows: EncodingLike[] = [];
    const owner: number[] = [];
    examples.forEach((example, i) => {
      for (const key of ['question', 'context'] as const) {
        if (!example || typeof example[key] !== 'string') {
          throw badInput(
            `question-answering takes {question, context} objects of strings (${key} is missing).`,
          );
        }
        if (example[key].length === 0) throw badInput(`\`${key}\` cannot be empty`);
      }
      let enc: EncodingLike;
      try {
        enc = this.tokenizer.encode(example.question, example.context, {
          truncation: 'only_second',
          maxLength: maxSeqLen,
          stride: docStride,
          returnOverflowingTokens: true,
        });
      } catch (error) {
        throw new PipelineError(
          'INPUT_TOO_LONG',
          `The question leaves no room for the context in ${maxSeqLen}-token windows with doc_stride ${docStride}: shorten the question or raise max_seq_len (${(error as Error).message}).`,
        );
      }
      for (const w of [enc, ...(enc.overflowing ?? [])]) {
        windows.push(w);
        owner.push(i);
      }
    });
    const logits = await this.forwardRows(windows, async (output, batch, rows) => {
      if (!output.start_logits || !output.end_logits) {
        throw badModel('The model returned no start/end logits: load it as DistilBertForQuestionAnswering.');
      }
      const start = await rowsOf(output.start_logits);
      const end = await rowsOf(output.end_logits);
      void batch;
      return rows.map((r, j) => ({
        encoding: windows[r],
        startLogits: start(j).slice(0, windows[r].input_ids.length),
        endLogits: end(j).slice(0, windows[r].input_ids.length),
      }));
    });
    const results = examples.map((example, i) =>
      questionAnsweringPostprocess(
        logits.filter((_, w) => owner[w] === i) as QaSpan[],
        example.context,
        this.special.cls,
        options,
      ),
    );
    // Python unwraps a list of one example.
    return results.length === 1 ? results[0] : results;
  }
}
