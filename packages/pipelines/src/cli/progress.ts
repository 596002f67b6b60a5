import cliProgress from 'cli-progress';

/** Download bars on stderr, one per file (drawn only when stderr is a terminal). */
export function downloadProgress(): {
  onProgress: (e: { file: string; loaded: number; total: number | undefined }) => void;
  stop(): void;
} {
  // Nothing to draw (and no stray newlines) when stderr is not a terminal.
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {file} | {value}/{total} bytes',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress({ file, loaded, total }) {
      let bar = bars.get(file);
      if (!bar) {
        bar = multi.create(total ?? 0, 0, { file });
        bars.set(file, bar);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(loaded, { file });
    },
    stop: () => multi.stop(),
  };
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
