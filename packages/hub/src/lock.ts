// Cross-process lock on one blob, so two processes downloading the same file end with one good copy.
// Node has no flock, so this is an O_EXCL lock file holding "pid host"; the holder refreshes its mtime
// while it works. A lock is stale when its process is gone (same host), or else (another host sharing the
// cache, or a lock file left by Python's filelock, which does not delete it) when neither the lock nor the
// file being written (`activity`) has changed for a minute.

import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

const STALE_MS = 60_000;
const POLL_MS = 50;
const HEARTBEAT_MS = 1_000;

export interface Lock {
  /** Marks the lock as alive; cheap to call often. */
  heartbeat(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const mtime = (p: string) =>
  stat(p).then(
    (s) => s.mtimeMs,
    () => 0,
  );

async function isStale(lockPath: string, activity: string): Promise<boolean> {
  try {
    const text = await readFile(lockPath, 'utf8');
    const [pid, host] = text.split(' ');
    if (host === hostname() && Number(pid) > 0) return !alive(Number(pid));
    const lastSign = Math.max(await mtime(lockPath), await mtime(activity));
    return lastSign > 0 && Date.now() - lastSign > STALE_MS;
  } catch {
    return false; // vanished (released) or half-written by its creator: just poll again
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const fh = await open(lockPath, 'wx');
    await fh.writeFile(`${process.pid} ${hostname()}`);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Runs `fn` while holding the lock file `lockPath`, waiting for other holders first. */
export async function withLock<T>(
  lockPath: string,
  activity: string,
  fn: (lock: Lock) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  while (!(await tryCreate(lockPath))) {
    if (await isStale(lockPath, activity)) await unlink(lockPath).catch(() => {});
    else await new Promise((r) => setTimeout(r, POLL_MS));
  }
  let last = Date.now();
  const lock: Lock = {
    heartbeat() {
      const now = Date.now();
      if (now - last < HEARTBEAT_MS) return;
      last = now;
      utimes(lockPath, now / 1000, now / 1000).catch(() => {});
    },
  };
  try {
    return await fn(lock);
  } finally {
    await unlink(lockPath).catch(() => {});
  }
}
