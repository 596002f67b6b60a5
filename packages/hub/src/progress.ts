// A download progress bar for CLIs: `openRepo(id, { onProgress: bar.onProgress })`, then `bar.stop()`.
import cliProgressLib from 'cli-progress';
import type { ProgressEvent } from './settings.js';

export interface CliProgress {
  /** Pass as HubOptions.onProgress. */
  onProgress(event: ProgressEvent): void;
  /** Finishes the bars (call once the load is done, also after an error). */
  stop(): void;
}

export interface CliProgressOptions {
  /** Where bars are drawn (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Draw even when the stream is not a terminal (default false: silent in logs and pipes). */
  noTTYOutput?: boolean;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 1234567 → "1.2 MB". */
export function formatBytes(n: number): string {
  let i = 0;
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${UNITS[i]}`;
}

/** One bar per downloading file, drawn with cli-progress. */
export function cliProgress(options: CliProgressOptions = {}): CliProgress {
  const multi = new cliProgressLib.MultiBar(
    {
      format: '{file} |{bar}| {percentage}% {done}/{size}',
      stream: options.stream ?? process.stderr,
      noTTYOutput: options.noTTYOutput ?? false,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgressLib.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgressLib.SingleBar>();
  return {
    onProgress({ file, loaded, total }) {
      const size = total === undefined ? '?' : formatBytes(total);
      let bar = bars.get(file);
      if (!bar) {
        bar = multi.create(total ?? 0, loaded, { file, done: formatBytes(loaded), size });
        bars.set(file, bar);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(loaded, { file, done: formatBytes(loaded), size });
    },
    stop() {
      multi.stop();
    },
  };
}
