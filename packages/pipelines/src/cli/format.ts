// Human-readable output of each task (the --json flag prints the Python-shaped objects instead).

type Row = Record<string, unknown>;

const num = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : String(x));

/** One result of any task as aligned text lines. */
export function formatResult(task: string, result: unknown): string {
  if (task === 'feature-extraction') {
    const t = result as { dims: readonly number[]; data: Float32Array };
    const head = Array.from(t.data.subarray(0, 6), (x) => x.toFixed(4)).join(', ');
    return `tensor [${t.dims.join(', ')}]: [${head}${t.data.length > 6 ? ', ...' : ''}]`;
  }
  if (task === 'zero-shot-classification') {
    const r = result as { sequence: string; labels: string[]; scores: number[] };
    return r.labels.map((l, i) => `${num(r.scores[i])}  ${l}`).join('\n');
  }
  const rows = (Array.isArray(result) ? result : [result]) as unknown[];
  if (rows.length > 0 && Array.isArray(rows[0])) {
    // fill-mask with several masks: one block per mask.
    return rows.map((block, i) => `mask ${i + 1}:\n${formatResult(task, block)}`).join('\n');
  }
  return (rows as Row[])
    .map((r) => {
      if (task === 'fill-mask') return `${num(r.score)}  ${String(r.token_str).padEnd(12)}  ${r.sequence}`;
      if (task === 'question-answering')
        return `${num(r.score)}  ${JSON.stringify(r.answer)}  [${r.start}, ${r.end})`;
      if (task === 'token-classification') {
        return `${String(r.entity_group ?? r.entity).padEnd(8)}  ${num(r.score)}  ${JSON.stringify(r.word)}  [${r.start}, ${r.end})`;
      }
      return `${num(r.score)}  ${r.label}`;
    })
    .join('\n');
}
