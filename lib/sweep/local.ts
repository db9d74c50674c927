/**
 * The local executor: a bounded pool of worker processes, each running
 * the train command (`node --import tsx scripts/train.ts --config
 * <configs/i.json> --runs-dir <runs>`) on one config at a time, its
 * output in logs/local-<i>.log. A failed run is reported and the sweep
 * goes on. Each worker's engine gets cores / workers threads
 * ($SGDL_THREADS, unless set), so the pool does not oversubscribe
 * the machine.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../data";
import { configFile, localLog, type SweepPaths } from "./dir";
import type { SweepRun } from "./spec";

export interface LocalResult {
  run: SweepRun;
  /** The train command's exit status (130: interrupted), null if killed. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  ok: boolean;
  seconds: number;
  log: string;
  /** The last lines of the log when it failed. */
  tail: string;
}

export interface LocalOptions {
  paths: SweepPaths;
  runsDir: string;
  /** Worker processes (default: one per core, at most the runs). */
  workers?: number;
  /** Stops launching, and sends SIGTERM to running workers. */
  signal?: AbortSignal;
  /** Called when a run starts and ends. */
  onStart?: (run: SweepRun, worker: number) => void;
  onEnd?: (result: LocalResult, done: number, total: number) => void;
}

/** The pool size: --workers, else the cores, at most the runs. */
export function poolSize(runs: number, workers?: number): number {
  return Math.max(1, Math.min(runs, workers ?? availableParallelism()));
}

/** Runs the configs with a pool of train processes. */
export async function runLocal(runs: SweepRun[], o: LocalOptions): Promise<LocalResult[]> {
  const n = poolSize(runs.length, o.workers);
  const threads = process.env["SGDL_THREADS"] ?? process.env["SGDL_WASM_THREADS"] ??
    String(Math.max(1, Math.floor(availableParallelism() / n)));
  const queue = [...runs];
  const results: LocalResult[] = [];
  const children = new Set<ReturnType<typeof spawn>>();
  const stop = () => children.forEach((c) => c.kill("SIGTERM"));
  o.signal?.addEventListener("abort", stop, { once: true });
  const worker = async (w: number) => {
    for (;;) {
      if (o.signal?.aborted === true) return;
      const run = queue.shift();
      if (run === undefined) return;
      o.onStart?.(run, w);
      const r = await trainOne(run, o, threads, children);
      results.push(r);
      o.onEnd?.(r, results.length, runs.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: n }, (_, w) => worker(w)));
  } finally {
    o.signal?.removeEventListener("abort", stop);
  }
  return results.sort((a, b) => a.run.index - b.run.index);
}

function trainOne(
  run: SweepRun,
  o: LocalOptions,
  threads: string,
  children: Set<ReturnType<typeof spawn>>,
): Promise<LocalResult> {
  const log = localLog(o.paths, run.index);
  const fd = openSync(log, "a");
  writeSync(fd, `== sweep run ${run.index}: ${run.label}\n`);
  const t0 = performance.now();
  const args = [
    "--import", "tsx", join(PROJECT_ROOT, "scripts", "train.ts"),
    "--config", configFile(o.paths, run.index), "--runs-dir", o.runsDir,
  ];
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", fd, fd],
      // Its own process group: a terminal's Ctrl-C reaches the sweep,
      // which passes on one SIGTERM (a second signal would stop the
      // trainer without its goodbye).
      detached: true,
      env: { ...process.env, SGDL_THREADS: threads },
    });
    children.add(child);
    let ended = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, why?: string) => {
      if (ended) return;
      ended = true;
      children.delete(child);
      if (why !== undefined) writeSync(fd, `${why}\n`);
      closeSync(fd);
      const ok = exitCode === 0;
      resolveRun({
        run, exitCode, signal, ok, seconds: (performance.now() - t0) / 1000, log,
        tail: ok ? "" : tailOf(log, 5),
      });
    };
    child.once("error", (err) => finish(null, null, `could not start: ${err.message}`));
    child.once("exit", (code, sig) => finish(code, sig));
  });
}

/** The last `n` non-empty lines of a file. */
export function tailOf(path: string, n: number): string {
  try {
    return readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "")
      .slice(-n).join("\n");
  } catch {
    return "";
  }
}
