/** Base class of the errors this package throws. */
export class GlueEvalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A data file that does not have the task's layout: names the file and the 1-based line (or parquet row). */
export class GlueDataError extends GlueEvalError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    readonly unit: 'line' | 'row' = 'line',
  ) {
    super(unit === 'line' ? `${file}:${line}: ${reason}` : `${file} (row ${line}): ${reason}`);
  }
}

/** A checkpoint whose labels cannot be matched to the task's labels. */
export class LabelMappingError extends GlueEvalError {}
