/**
 * A lock file per run, so two processes asked for the same run never
 * both train it: the first creates `<run>/lock` with O_EXCL and writes
 * its pid and host name; the others wait until it is gone, then find
 * the record. A lock whose pid is dead on this host (the holder was
 * killed) is stale and broken; a lock from another host is only waited
 * for (up to the timeout), since its pid cannot be checked.
 */
import {
  closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken (for people reading it). */
  since: string;
}

export class LockTimeoutError extends Error {
  constructor(path: string, holder: LockInfo | null, ms: number) {
    const who = holder === null
      ? "an unknown process"
      : `pid ${holder.pid} on ${holder.hostname} (since ${holder.since})`;
    super(`timed out after ${(ms / 1000).toFixed(0)} s waiting for ${path}, ` +
      `held by ${who}; if that process is gone, delete the lock file`);
    this.name = "LockTimeoutError";
  }
}

export interface LockOptions {
  /** Give up after this long (default: 24 h). */
  timeoutMs?: number;
  /** How often to look again (default 250 ms). */
  pollMs?: number;
  /** Called once when the lock is found taken, with its holder. */
  onWait?: (holder: LockInfo | null) => void;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

/** A lock file unreadable for this long was left half-written. */
const UNREADABLE_STALE_MS = 30_000;

const held = new Set<string>();
let exitHook = false;

/** Takes the lock at `path`, waiting while another live process has it. */
export async function acquireLock(
  path: string,
  opts: LockOptions = {},
): Promise<Lock> {
  const timeoutMs = opts.timeoutMs ?? 24 * 3600_000;
  const pollMs = opts.pollMs ?? 250;
  const t0 = Date.now();
  let told = false;
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    const info = tryCreate(path);
    if (info !== null) return makeLock(path, info);
    const holder = readLock(path);
    if (isStale(path, holder)) {
      breakStale(path, holder);
      continue;
    }
    if (!told) {
      told = true;
      opts.onWait?.(holder);
    }
    if (Date.now() - t0 > timeoutMs) {
      throw new LockTimeoutError(path, holder, timeoutMs);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The lock's holder, or null if absent or unreadable. */
export function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<LockInfo>;
    if (typeof v.pid === "number" && typeof v.hostname === "string") {
      return { pid: v.pid, hostname: v.hostname, since: String(v.since) };
    }
  } catch {
    // absent, or being written
  }
  return null;
}

/** Whether a process with this pid exists on this machine. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the lock at `path` is held by a live process (or another host). */
export function isLockHeld(path: string): boolean {
  const holder = readLock(path);
  if (holder === null) {
    try {
      statSync(path);
    } catch {
      return false;
    }
    return !isStale(path, null);
  }
  return !isStale(path, holder);
}

function tryCreate(path: string): LockInfo | null {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw err;
  }
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
  };
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return info;
}

function isStale(path: string, holder: LockInfo | null): boolean {
  if (holder === null) {
    // Absent (gone meanwhile: retry at once) or half-written.
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_STALE_MS;
    } catch {
      return true;
    }
  }
  return holder.hostname === hostname() && !isAlive(holder.pid);
}

/**
 * Removes a stale lock. Two waiters may find the same stale lock; a
 * second lock file (`<path>.break`, O_EXCL) lets only one of them remove
 * it, after checking the file still holds the stale content (and not a
 * fresh lock someone took meanwhile).
 */
function breakStale(path: string, seen: LockInfo | null): void {
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, "wx");
  } catch {
    // Someone else is breaking it; a breaker left by a crash expires.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > UNREADABLE_STALE_MS) {
        rmSync(breaker, { force: true });
      }
    } catch {
      // gone already
    }
    return;
  }
  closeSync(fd);
  try {
    const now = readLock(path);
    const same = JSON.stringify(now) === JSON.stringify(seen);
    if (same && isStale(path, now)) rmSync(path, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

function makeLock(path: string, info: LockInfo): Lock {
  held.add(path);
  if (!exitHook) {
    exitHook = true;
    // A process that exits (not killed) while holding locks frees them.
    process.on("exit", () => {
      for (const p of held) releaseIfOurs(p, process.pid);
    });
  }
  return {
    path,
    info,
    release() {
      if (!held.delete(path)) return;
      releaseIfOurs(path, info.pid);
    },
  };
}

function releaseIfOurs(path: string, pid: number): void {
  const now = readLock(path);
  if (now !== null && now.pid === pid && now.hostname === hostname()) {
    rmSync(path, { force: true });
  }
}
