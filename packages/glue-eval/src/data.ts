import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type HubOptions, resolve } from '@distilbert/hub';
import { GlueEvalError } from './errors.js';
import type { Example } from './example.js';
import { readGlueParquet } from './parquet.js';
import type { GlueTask, Split } from './tasks.js';
import { readGlueTsv } from './tsv.js';

export const GLUE_HUB_DATASET = 'nyu-mll/glue';

export interface DataOptions {
  /** A folder in the GLUE distribution's layout (CoLA/dev.tsv, MNLI/dev_matched.tsv, ...). */
  data?: string;
  /** Hub dataset (or a local folder with its layout) used when `data` is not given. */
  dataset?: string;
  /** Hub options for the dataset (revision, cacheDir, offline, token...). */
  hub?: HubOptions;
  limit?: number;
}

export interface TaskData {
  examples: Example[];
  /** The file read (a TSV, or the cached parquet file). */
  file: string;
  format: 'tsv' | 'parquet';
}

/** Path of a task's split in a GLUE folder, or null when the folder has no such file. */
export function glueFilePath(data: string, task: GlueTask, split: Split): string | null {
  const layout = split === 'dev' ? task.dev : task.test;
  if (!layout) return null;
  const p = join(data, task.folder, layout.file);
  return existsSync(p) ? p : null;
}

/** Loads a task's dev or test split from a GLUE folder, or else from the Hub dataset nyu-mll/glue (parquet). */
export async function loadTaskData(
  task: GlueTask,
  split: Split,
  options: DataOptions = {},
): Promise<TaskData> {
  const layout = split === 'dev' ? task.dev : task.test;
  if (!layout) {
    throw new GlueEvalError(
      `${task.displayName} has no labelled ${split} split; it is scored only on the GLUE server.`,
    );
  }
  if (options.data) {
    const file = glueFilePath(options.data, task, split);
    if (!file) {
      throw new GlueEvalError(
        `${join(options.data, task.folder, layout.file)} does not exist. --data must be a folder in the GLUE ` +
          `layout (as written by download_glue_data.py), e.g. DIR/${task.folder}/${layout.file}.`,
      );
    }
    return { examples: await readGlueTsv(file, task, layout, { limit: options.limit }), file, format: 'tsv' };
  }
  const hubSplit = split === 'dev' ? task.hub.dev : task.hub.test;
  if (!hubSplit) throw new GlueEvalError(`${task.displayName} has no ${split} split on the Hub.`);
  const dataset = options.dataset ?? GLUE_HUB_DATASET;
  const name = `${task.hub.config}/${hubSplit}-00000-of-00001.parquet`;
  // The hub package resolves dataset repos with repoType 'dataset' (a local folder is used as is).
  const hubOptions: HubOptions & { repoType: 'dataset' } = { ...options.hub, repoType: 'dataset' };
  let file: string;
  try {
    file = await resolve(dataset, name, hubOptions);
  } catch (error) {
    throw new GlueEvalError(
      `Could not get ${name} of ${dataset}: ${(error as Error).message}. Pass --data DIR with the GLUE TSVs instead.`,
      { cause: error },
    );
  }
  return {
    examples: await readGlueParquet(file, task, { limit: options.limit, labelled: split === 'dev' }),
    file,
    format: 'parquet',
  };
}
