import { readFile } from 'node:fs/promises';
import { GlueEvalError } from './errors.js';
import { parseLabelMap } from './labels.js';
import { getTask, TASK_ORDER } from './tasks.js';

/** One checkpoint to evaluate on one task. */
export interface SuiteEntry {
  task: string;
  model: string;
  revision?: string;
  /** Model label → task label (see `--label-map`). */
  labelMap?: Record<string, string>;
  /** Added implicitly (MNLI-mm with an MNLI model): skipped when the data folder lacks its file. */
  optional?: boolean;
}

type SuiteValue = string | { model: string; revision?: string; labelMap?: string | Record<string, string> };

/**
 * Reads a suite: a JSON object from task name to checkpoint id or folder, or to
 * `{ "model": ..., "revision": ..., "labelMap": ... }`. Entries run in the leaderboard's task order; an MNLI
 * checkpoint is also scored on MNLI-mm unless the suite names a model for it.
 */
export function parseSuite(json: unknown, source = 'suite'): SuiteEntry[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GlueEvalError(`${source} must be a JSON object mapping task names to checkpoints.`);
  }
  const entries: SuiteEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, SuiteValue>)) {
    const task = getTask(name).name;
    const v = typeof value === 'string' ? { model: value } : value;
    if (!v || typeof v.model !== 'string') {
      throw new GlueEvalError(`${source}: '${name}' must name a checkpoint (a string or { "model": ... }).`);
    }
    const entry: SuiteEntry = { task, model: v.model };
    if (v.revision) entry.revision = v.revision;
    if (v.labelMap) entry.labelMap = typeof v.labelMap === 'string' ? parseLabelMap(v.labelMap) : v.labelMap;
    entries.push(entry);
  }
  const mnli = entries.find((e) => e.task === 'mnli');
  if (mnli && !entries.some((e) => e.task === 'mnli-mm'))
    entries.push({ ...mnli, task: 'mnli-mm', optional: true });
  if (mnli && !entries.some((e) => e.task === 'ax')) entries.push({ ...mnli, task: 'ax', optional: true });
  return entries.sort((a, b) => TASK_ORDER.indexOf(a.task as never) - TASK_ORDER.indexOf(b.task as never));
}

export async function readSuite(file: string): Promise<SuiteEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new GlueEvalError(`Cannot read the suite file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseSuite(json, file);
}
