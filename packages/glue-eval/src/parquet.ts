import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { GlueDataError } from './errors.js';
import type { Example } from './example.js';
import type { GlueTask } from './tasks.js';

/** Text columns of each config of the Hub dataset nyu-mll/glue. */
const HUB_COLUMNS: Record<string, [string, string?]> = {
  cola: ['sentence'],
  sst2: ['sentence'],
  mrpc: ['sentence1', 'sentence2'],
  stsb: ['sentence1', 'sentence2'],
  qqp: ['question1', 'question2'],
  mnli: ['premise', 'hypothesis'],
  qnli: ['question', 'sentence'],
  rte: ['sentence1', 'sentence2'],
  wnli: ['sentence1', 'sentence2'],
  ax: ['premise', 'hypothesis'],
};

/**
 * Reads one split of nyu-mll/glue as Hugging Face datasets stores it: text columns, `label` (the ClassLabel
 * index in the task's label order, -1 on test splits; a float score for STS-B) and `idx`.
 */
export async function readGlueParquet(
  file: string,
  task: GlueTask,
  options: { limit?: number; labelled: boolean },
): Promise<Example[]> {
  const [a, b] = HUB_COLUMNS[task.hub.config];
  const columns = [a, ...(b ? [b] : []), 'label', 'idx'];
  const buffer = await asyncBufferFromFile(file);
  const rows = await parquetReadObjects({
    file: buffer,
    columns,
    ...(options.limit !== undefined ? { rowEnd: options.limit } : {}),
  });
  return rows.map((row, r) => {
    const where = r + 1;
    for (const c of columns) {
      if (!(c in row) || row[c] === null || row[c] === undefined) {
        throw new GlueDataError(
          file,
          where,
          `column '${c}' is missing or null (${task.displayName}).`,
          'row',
        );
      }
    }
    const example: Example = { index: String(row.idx), textA: String(row[a]), source: `${file}#${where}` };
    if (b) example.textB = String(row[b]);
    if (options.labelled) example.label = checkLabel(Number(row.label), task, file, where);
    return example;
  });
}

function checkLabel(v: number, task: GlueTask, file: string, row: number): number {
  if (task.regression) {
    if (!Number.isFinite(v) || v < 0 || v > 5) {
      throw new GlueDataError(file, row, `label ${v} is not a score from 0 to 5.`, 'row');
    }
    return v;
  }
  if (!Number.isInteger(v) || v < 0 || v >= task.labels.length) {
    throw new GlueDataError(
      file,
      row,
      `label ${v} is not a class index of ${task.displayName} (0..${task.labels.length - 1}).`,
      'row',
    );
  }
  return v;
}
