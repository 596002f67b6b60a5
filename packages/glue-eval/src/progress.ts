import cliProgress from 'cli-progress';

/** Receives the progress of one task's predictions. */
export interface ProgressReporter {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
}

/** A cli-progress bar on stderr with examples/s and ETA. */
export function progressBar(): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  return {
    start(label, total) {
      started = performance.now();
      bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(8)} [{bar}] {value}/{total} | {rate} ex/s | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { rate: '-' });
    },
    update(done) {
      const seconds = (performance.now() - started) / 1000;
      bar?.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '-' });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
