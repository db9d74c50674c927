/**
 * Crash-safe files: write to a temporary file in the same folder, fsync
 * it, rename it over the target (atomic on POSIX), fsync the folder. A
 * crash at any point leaves the old file or the new one, never half of
 * one.
 *
 * Fault injection, for tests of exactly that: a `Faults` hook passed down
 * from `train`'s options, or the environment variable
 *   SGDL_TRAIN_FAULT=<file name>:before-rename
 * (e.g. `record.json:before-rename`), which SIGKILLs the process after the
 * temporary file is written and synced but before the rename.
 */
import {
  closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync,
  rmSync, writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** Test hooks called at the dangerous points of a write. */
export interface Faults {
  /** Called with the target path after the temp file is complete. */
  beforeRename?: (path: string) => void;
}

let counter = 0;

/** Temporary files are `.<name>.<pid>.<n>.tmp` beside the target. */
const TMP = /^\..+\.\d+\.\d+\.tmp$/;

/** A write that failed: names the file, the bytes and the cause (ENOSPC...). */
export class WriteError extends Error {
  constructor(readonly path: string, bytes: number, override readonly cause: unknown) {
    const c = cause as NodeJS.ErrnoException;
    const why = c.code === "ENOSPC" ? "the disk is full"
      : c.code === "EDQUOT" ? "the disk quota is exceeded"
        : c.code === "EACCES" || c.code === "EPERM" ? "permission denied"
          : c.message;
    super(`cannot write ${path} (${bytes} bytes): ${why}; nothing was replaced`);
    this.name = "WriteError";
  }
}

/**
 * Writes `data` to `path` atomically (temp file, fsync, rename). A failed
 * write (a full disk, say) removes its temporary file, leaves the old
 * file as it was and throws a WriteError naming the file.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  faults: Faults = {},
): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, "wx");
    try {
      let off = 0;
      while (off < bytes.length) {
        off += writeSync(fd, bytes, off, bytes.length - off);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new WriteError(path, bytes.length, err);
  }
  faults.beforeRename?.(path);
  envFault(path);
  renameSync(tmp, path);
  syncDir(dir);
}

/** Writes JSON (2-space indent, trailing newline) atomically. */
export function writeJsonAtomic(
  path: string,
  value: unknown,
  faults: Faults = {},
): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, faults);
}

/**
 * Removes temporary files that crashed writers left in `dir`. Call only
 * while holding the run's lock (no one else writes there then).
 */
export function removeStaleTemps(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (TMP.test(name)) {
      rmSync(join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}

function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder; the rename still stands.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function envFault(path: string): void {
  const spec = process.env["SGDL_TRAIN_FAULT"];
  if (spec === undefined || spec === "") return;
  const [file, point] = spec.split(":");
  if (point === "before-rename" && basename(path) === file) {
    process.kill(process.pid, "SIGKILL");
  }
}
