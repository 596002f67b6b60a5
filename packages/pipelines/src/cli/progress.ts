import { type CliProgress, cliProgress as hubProgress } from '@distilbert/hub';
import cliProgress from 'cli-progress';

/** Download bars on stderr, one per file (@distilbert/hub's), drawn only when stderr is a terminal. */
export function downloadProgress(): CliProgress {
  // Nothing to draw (and no stray newlines) when stderr is not a terminal.
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  return hubProgress({ stream: process.stderr });
}

/** A bar over inputs for long stdin runs. */
export function inputProgress(total: number): { increment(n: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {bar} {value}/{total} inputs | {eta_formatted} left' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { increment: (n) => bar.increment(n), stop: () => bar.stop() };
}
