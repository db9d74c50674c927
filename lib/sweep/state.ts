/**
 * Where each run of a sweep stands, from what is on disk (records and
 * lock files in the runs folder, the sweep folder's attempts) and, when
 * Slurm is there, from squeue:
 *
 *   done         a completed record
 *   diverged     a diverged record (a result too: drawn, not re-run)
 *   running      a live lock, or a running Slurm task of this sweep
 *   pending      a queued Slurm task of this sweep
 *   interrupted  an "interrupted" record (killed or stopped after a
 *                checkpoint): resubmitting resumes it
 *   failed       attempted (a submission or a local log names it), no
 *                record and nothing running
 *   missing      never attempted
 *
 * A config with backend "auto" is done when any engine's record of it
 * is (a sweep run on a GPU cluster and copied back counts here).
 */
import { existsSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import {
  isAlive, type LockInfo, readLock, readRecord, RecordError, recordPath,
  type RunRecord, runDirOf,
} from "../train";
import { localLog, readSubmissions, type SweepPaths } from "./dir";
import type { Sweep, SweepRun } from "./spec";

export type RunState =
  | "done" | "diverged" | "running" | "pending" | "interrupted" | "failed" | "missing";

export const RUN_STATES: readonly RunState[] = [
  "done", "diverged", "running", "pending", "interrupted", "failed", "missing",
];

/** A task of this sweep that Slurm still knows (queued or running). */
export interface ActiveTask {
  /** "<job>_<task>" */
  jobTask: string;
  /** Slurm's state: PENDING, RUNNING, COMPLETING, ... */
  state: string;
  /** Node list or the reason it waits. */
  where: string;
}

export interface RunStatus {
  run: SweepRun;
  state: RunState;
  /**
   * The record's (or lock's) run id; else the run's id when its backend
   * is named, null for "auto" (the engine where it runs decides).
   */
  id: string | null;
  record: RunRecord | null;
  /** The record file, when there is one. */
  recordFile: string | null;
  lock: LockInfo | null;
  /** The lock file, when there is one. */
  lockFile: string | null;
  task: ActiveTask | null;
  /** One line for people: why this state. */
  note: string;
}

export interface StateOptions {
  runsDir: string;
  /** Active Slurm tasks by config index; null when squeue is unknown. */
  active: Map<number, ActiveTask> | null;
  /**
   * Short names of the nodes running any job of this user (busyHosts);
   * null when unknown. A lock from another host counts as live unless
   * Slurm says no job of ours runs there.
   */
  busyHosts?: Set<string> | null;
}

/** Reads a record, turning unreadable ones into a note. */
function tryRecord(dir: string): { record: RunRecord | null; problem: string | null } {
  try {
    return { record: readRecord(dir), problem: null };
  } catch (err) {
    if (err instanceof RecordError) return { record: null, problem: err.message };
    throw err;
  }
}

/** The state of every run of the sweep, in sweep order. */
export function sweepState(sweep: Sweep, paths: SweepPaths, opts: StateOptions): RunStatus[] {
  // Dry runs (no job id) were never attempts.
  const submitted = new Set(readSubmissions(paths).flatMap((s) => s.jobId === null ? [] : s.tasks));
  return sweep.runs.map((run) => runState(run, paths, submitted, opts));
}

function runState(
  run: SweepRun,
  paths: SweepPaths,
  submitted: Set<number>,
  opts: StateOptions,
): RunStatus {
  let interrupted: { id: string; record: RunRecord } | null = null;
  let lock: { id: string; info: LockInfo | null; file: string } | null = null;
  const problems: string[] = [];
  for (const id of run.ids) {
    const dir = runDirOf(id, opts.runsDir);
    const { record, problem } = tryRecord(dir);
    if (problem !== null) problems.push(problem);
    if (record !== null && record.status !== "interrupted") {
      const state = record.status === "completed" ? "done" : "diverged";
      return {
        run, state, id, record, recordFile: recordPath(dir), lock: null, lockFile: null, task: null,
        note: state === "done" ? resultNote(record) : `diverged: ${record.diverged?.reason ?? "?"}`,
      };
    }
    if (record !== null && interrupted === null) interrupted = { id, record };
    const lockFile = join(dir, "lock");
    if (lock === null && existsSync(lockFile)) {
      lock = { id, info: readLock(lockFile), file: lockFile };
    }
  }
  const id = interrupted?.id ?? lock?.id ?? (run.ids.length === 1 ? run.ids[0]! : null);
  const base = {
    run, id, record: interrupted?.record ?? null,
    recordFile: interrupted === null ? null : recordPath(runDirOf(interrupted.id, opts.runsDir)),
    lock: lock?.info ?? null,
    lockFile: lock?.file ?? null,
  };
  const task = opts.active?.get(run.index) ?? null;
  if (task !== null) {
    const pending = task.state === "PENDING" || task.state === "CONFIGURING";
    return {
      ...base, task, state: pending ? "pending" : "running",
      note: `Slurm task ${task.jobTask} ${task.state.toLowerCase()} (${task.where})`,
    };
  }
  if (lock !== null) {
    const h = lock.info;
    const here = h !== null && h.hostname === hostname();
    const busy = opts.busyHosts ?? null;
    const live = h === null || (here ? isAlive(h.pid)
      : opts.active === null || busy === null || busy.has(h.hostname.split(".")[0]!));
    if (live) {
      return {
        ...base, task: null, state: "running",
        note: h === null ? "lock present" : `lock held by pid ${h.pid} on ${h.hostname}`,
      };
    }
    problems.push(h === null ? "stale lock" : `stale lock of pid ${h.pid} on ${h.hostname}`);
  }
  const extra = problems.length > 0 ? `; ${problems.join("; ")}` : "";
  if (interrupted !== null) {
    const epochs = interrupted.record.history.length;
    return {
      ...base, task: null, state: "interrupted",
      note: `interrupted after epoch ${epochs}/${interrupted.record.config.epochs}` +
        `: run the sweep again to resume${extra}`,
    };
  }
  if (submitted.has(run.index) || existsSync(localLog(paths, run.index))) {
    return {
      ...base, task: null, state: "failed",
      note: `no record after an attempt (see logs)${extra}`,
    };
  }
  return { ...base, task: null, state: "missing", note: `not run yet${extra}` };
}

/** "test error 85.00%" or "test perplexity 120.3". */
export function resultNote(r: RunRecord): string {
  const f = r.final;
  if (f === null) return r.status;
  if (f.testPerplexity !== null) return `test perplexity ${f.testPerplexity.toFixed(2)}`;
  if (f.testError !== null) return `test error ${(100 * f.testError).toFixed(2)}%`;
  return r.status;
}

/** Whether a run still needs training (the ones to run or submit). */
export function needsRun(s: RunStatus): boolean {
  return s.state === "interrupted" || s.state === "failed" || s.state === "missing";
}

/** Counts by state, in RUN_STATES order. */
export function countStates(states: RunStatus[]): Record<RunState, number> {
  const out = Object.fromEntries(RUN_STATES.map((s) => [s, 0])) as Record<RunState, number>;
  for (const s of states) out[s.state]++;
  return out;
}

/**
 * Removes the locks of runs that need training but whose lock holder is
 * gone: a killed task on another node (its pid cannot be checked from
 * here, so the trainer would wait for it), seen to be stale because no
 * task of this sweep runs the run and no job of this user runs on that
 * node. Locks on this host the trainer breaks itself. Returns what was
 * removed, for the log.
 */
export function clearStaleLocks(todo: RunStatus[]): string[] {
  const out: string[] = [];
  for (const s of todo) {
    if (!needsRun(s) || s.lock === null || s.lockFile === null) continue;
    if (s.lock.hostname === hostname()) continue;
    rmSync(s.lockFile, { force: true });
    out.push(`${s.id} (pid ${s.lock.pid} on ${s.lock.hostname})`);
  }
  return out;
}
