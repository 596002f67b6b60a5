/** One GLUE example, from a TSV line or a parquet row. */
export interface Example {
  /** GLUE index (test files, QNLI/RTE/WNLI/STS-B dev) or the 0-based row number. */
  index: string;
  textA: string;
  textB?: string;
  /** Class index in the task's label order, the STS-B score, or undefined for test rows. */
  label?: number;
  /** Where it came from, for error messages: `file:line` or `file#row`. */
  source: string;
}
