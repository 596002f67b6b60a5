// Shared by every benchmark: prints a table and appends it, with machine, versions and command, to BENCHMARKS.md.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_MD = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

export function machine() {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
}

/** rows: array of arrays (first row = header). */
export function markdownTable(rows) {
  const [head, ...body] = rows;
  const line = (r) => `| ${r.map(String).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/**
 * Prints the section and appends it to BENCHMARKS.md.
 * @param {{ title: string, command: string, rows: unknown[][], versions?: Record<string,string>, notes?: string[] }} r
 */
export function report({ title, command, rows, versions = {}, notes = [] }) {
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const vers = Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const text = [
    `## ${title}`,
    '',
    `${when} UTC · \`${command}\` · ${machine()}${vers ? ` · ${vers}` : ''}`,
    '',
    markdownTable(rows),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    '',
    '',
  ].join('\n');
  console.log(`\n${text}`);
  if (!process.env.BENCH_NO_APPEND) {
    if (!existsSync(BENCHMARKS_MD))
      writeFileSync(
        BENCHMARKS_MD,
        '# Benchmarks\n\nAppended by `pnpm bench`; newest last. Ratios are measured within one run.\n\n',
      );
    appendFileSync(BENCHMARKS_MD, text);
  }
}

export function versionOf(pkg) {
  try {
    const p = fileURLToPath(import.meta.resolve(`${pkg}/package.json`));
    return JSON.parse(readFileSync(p, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Runs fn repeatedly for at least `minMs` (after `warmup` calls); returns seconds per call (median of rounds). */
export async function timeIt(fn, { minMs = 1000, warmup = 1, rounds = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const per = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    do {
      await fn();
      n++;
    } while (performance.now() - t0 < minMs / rounds);
    per.push((performance.now() - t0) / n / 1000);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}
