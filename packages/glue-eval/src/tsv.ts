import { readFile } from 'node:fs/promises';
import { GlueDataError } from './errors.js';
import type { Example } from './example.js';
import type { FileLayout, GlueTask } from './tasks.js';

export interface ReadOptions {
  /** Read only the first `limit` examples. */
  limit?: number;
}

/**
 * Reads a GLUE TSV in the official distribution's format: fields split on `\t` only (GLUE files are not
 * quoted, and quotes are part of the text), a leading BOM dropped (MRPC's header has one), texts kept as
 * they are (SST-2's trailing space included). Every line is checked against the layout and the task's
 * labels; the first bad line throws a GlueDataError naming the file and line.
 */
export async function readGlueTsv(
  file: string,
  task: GlueTask,
  layout: FileLayout,
  options: ReadOptions = {},
): Promise<Example[]> {
  const text = await readFile(file, 'utf8');
  return parseGlueTsv(text, file, task, layout, options);
}

export function parseGlueTsv(
  text: string,
  file: string,
  task: GlueTask,
  layout: FileLayout,
  options: ReadOptions = {},
): Example[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // final newline (CoLA's dev file has none)
  let first = 0;
  let width = layout.columns ?? 0;
  let col: (c: string | number | undefined) => number | undefined = (c) => c as number | undefined;
  if (layout.header) {
    if (lines.length === 0) throw new GlueDataError(file, 1, 'the file is empty; expected a header line.');
    const names = stripCr(lines[0]).split('\t');
    const missing = layout.header.filter((h) => !names.includes(h));
    if (missing.length > 0) {
      throw new GlueDataError(
        file,
        1,
        `the header lacks column(s) ${missing.map((m) => `'${m}'`).join(', ')} of ${task.displayName}'s ` +
          `${layout.file}; found ${names.map((n) => `'${n}'`).join(', ')}. Is this the right file for the task?`,
      );
    }
    width = names.length;
    col = (c) => (c === undefined ? undefined : typeof c === 'number' ? c : names.indexOf(c));
    first = 1;
  }
  const a = col(layout.textA)!;
  const b = col(layout.textB);
  const l = col(layout.label);
  const ix = col(layout.index);
  const examples: Example[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for (let i = first; i < lines.length && examples.length < limit; i++) {
    const lineNo = i + 1;
    const fields = stripCr(lines[i]).split('\t');
    if (fields.length !== width) {
      throw new GlueDataError(
        file,
        lineNo,
        `expected ${width} tab-separated columns, found ${fields.length}.`,
      );
    }
    const example: Example = {
      index: ix === undefined ? String(examples.length) : fields[ix],
      textA: fields[a],
      source: `${file}:${lineNo}`,
    };
    if (b !== undefined) example.textB = fields[b];
    if (l !== undefined) example.label = parseLabel(fields[l], task, file, lineNo);
    examples.push(example);
  }
  return examples;
}

/** A label value as written in a GLUE file → class index (or the STS-B score). */
export function parseLabel(raw: string, task: GlueTask, file: string, line: number): number {
  if (task.regression) {
    const v = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 5) {
      throw new GlueDataError(
        file,
        line,
        `'${raw}' is not a ${task.displayName} score (a number from 0 to 5).`,
      );
    }
    return v;
  }
  const k = task.rawLabels.indexOf(raw);
  if (k < 0) {
    throw new GlueDataError(
      file,
      line,
      `unknown ${task.displayName} label '${raw}'; expected one of ${task.rawLabels.map((r) => `'${r}'`).join(', ')}.`,
    );
  }
  return k;
}

// GLUE files have no CR; one saved on Windows would otherwise glue '\r' to the last field (the label).
function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
