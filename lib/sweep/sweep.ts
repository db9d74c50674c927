/**
 * A sweep from spec to records, for the command (scripts/sweep.ts) and
 * notebooks alike:
 *
 *   const s = prepareSweep(loadSpec("sweeps/smoke.json"));
 *   const todo = sweepStatus(s).filter(needsRun);
 *   await runLocal(todo.map((t) => t.run), { paths: s.paths, runsDir: s.runsDir });
 *   console.log(formatStatus(s, sweepStatus(s)));
 */
import { runsDir as defaultRunsDir } from "../train";
import { type SweepPaths, writeSweep } from "./dir";
import { activeTasks, busyHosts, SlurmError } from "./slurm";
import { expandSpec, type Sweep, type SweepSpec } from "./spec";
import { countStates, type RunStatus, sweepState } from "./state";

export interface PreparedSweep extends Sweep {
  paths: SweepPaths;
  /** The runs folder records go to (absolute). */
  runsDir: string;
}

export interface PrepareOptions {
  /** Default: $SGDL_RUNS_DIR, else <data>/runs. */
  runsDir?: string;
  /** Default: $SGDL_SWEEPS_DIR, else <data>/sweeps. */
  sweepsDir?: string;
}

/** Expands and validates the spec, then writes the sweep folder. */
export function prepareSweep(spec: SweepSpec, o: PrepareOptions = {}): PreparedSweep {
  const sweep = expandSpec(spec);
  const paths = writeSweep(sweep, o.sweepsDir);
  return { ...sweep, paths, runsDir: defaultRunsDir(o.runsDir) };
}

/**
 * Every run's state. `slurm`: ask squeue (true: it must answer, else
 * SlurmError), do not (false), or ask if it is there and answers
 * ("auto"; otherwise locks alone say what runs).
 */
export function sweepStatus(s: PreparedSweep, slurm: boolean | "auto" = "auto"): RunStatus[] {
  let active: ReturnType<typeof activeTasks> = null;
  if (slurm !== false) {
    try {
      active = activeTasks(s, s.paths);
    } catch (err) {
      if (slurm === true || !(err instanceof SlurmError)) throw err;
    }
    if (slurm === true && active === null) {
      throw new SlurmError("squeue not found: cannot ask Slurm what runs");
    }
  }
  const busy = active === null ? null : busyHosts();
  return sweepState(s, s.paths, { runsDir: s.runsDir, active, busyHosts: busy });
}

/** "4 runs: 2 done, 1 running, 1 missing" (zero counts left out). */
export function summaryLine(states: RunStatus[]): string {
  const c = countStates(states);
  const parts = [
    `${c.done} done`,
    ...(c.diverged > 0 ? [`${c.diverged} diverged`] : []),
    ...(c.running > 0 ? [`${c.running} running`] : []),
    ...(c.pending > 0 ? [`${c.pending} pending`] : []),
    ...(c.interrupted > 0 ? [`${c.interrupted} interrupted`] : []),
    ...(c.failed > 0 ? [`${c.failed} failed`] : []),
    ...(c.missing > 0 ? [`${c.missing} missing`] : []),
  ];
  return `${states.length} run${states.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

/**
 * The status table: every run (or, past `maxRows`, only those not
 * done), with index, run id, state, point and a note.
 */
export function formatStatus(s: Sweep, states: RunStatus[], maxRows = 60): string {
  const rows = states.length <= maxRows ? states
    : states.filter((t) => t.state !== "done" && t.state !== "diverged");
  const w = Math.max(5, ...rows.map((t) => t.run.label.length));
  const lines = [
    `sweep ${s.name} (${s.id}): ${summaryLine(states)}`,
    ...(rows.length < states.length ? [`(showing the ${rows.length} not finished)`] : []),
    ...rows.map((t) =>
      `${String(t.run.index).padStart(4)}  ${(t.id ?? "auto").padEnd(12)}  ${t.state.padEnd(11)} ` +
      `${t.run.label.padEnd(w)}  ${t.note}`),
  ];
  return lines.join("\n");
}

/** JSON for scripts: counts and one object per run. */
export function statusJson(s: PreparedSweep, states: RunStatus[]): unknown {
  return {
    sweep: s.id,
    name: s.name,
    counts: countStates(states),
    runs: states.map((t) => ({
      index: t.run.index,
      id: t.id,
      state: t.state,
      point: t.run.point,
      label: t.run.label,
      record: t.recordFile,
      lock: t.lock,
      task: t.task,
      note: t.note,
    })),
  };
}
