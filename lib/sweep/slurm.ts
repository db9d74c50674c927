/**
 * The Slurm executor: the runs still needed go to ONE job array
 * (`sbatch --array=0-(K-1)%max`), whose task t trains the config on line
 * t of the submission's tasks.txt with the train command, writing its
 * record to the shared runs folder. Slurm does the scheduling, the
 * retries are ours: submitting again sends only what has no finished
 * record, and interrupted runs resume from their checkpoints.
 *
 * sbatch runs in the project root, and the batch script starts with
 * `cd "$SLURM_SUBMIT_DIR"`, so the paths in it are relative to the
 * project (absolute only for folders the user put elsewhere). The
 * environment of the submitting shell travels with the job (sbatch's
 * default --export=ALL): PATH, DATA_DIR, SGDL_*.
 */
import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { PROJECT_ROOT } from "../data";
import { newSubmissionDir, projectPath, readSubmissions, type SweepPaths } from "./dir";
import type { SlurmSpec, Sweep } from "./spec";
import { type ActiveTask, clearStaleLocks, type RunStatus } from "./state";

/** Slurm's usual MaxArraySize is 1001 (indices 0-1000). */
export const DEFAULT_ARRAY_LIMIT = 1000;

export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmError";
  }
}

const SLURM_PACKAGES = "on Debian: apt-get install slurm-client (a cluster's " +
  "login node has it); a one-node test cluster: scripts/slurm-local.sh";

/**
 * Whether a Slurm command is on PATH (found, not run: without a cluster
 * configuration even `sbatch --version` fails).
 */
export function haveSlurm(cmd = "sbatch"): boolean {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Single-quotes a word for bash. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The job name: sgdl-<name>-<sweep id> (how squeue finds our tasks). */
export function jobName(sweep: Pick<Sweep, "id" | "name">): string {
  return `sgdl-${sweep.name === `sweep-${sweep.id}` ? "sweep" : sweep.name}-${sweep.id}`;
}

export interface ScriptOptions {
  sweep: Pick<Sweep, "id" | "name">;
  paths: SweepPaths;
  /** The submission folder (holds tasks.txt). */
  submissionDir: string;
  /** Array tasks in this job. */
  size: number;
  slurm: SlurmSpec;
  runsDir: string;
}

/** The batch script of one submission. */
export function batchScript(o: ScriptOptions): string {
  const s = o.slurm;
  const max = s.maxParallel === null ? "" : `%${s.maxParallel}`;
  const opt = (flag: string, v: string | number | null) =>
    v === null ? [] : [`#SBATCH --${flag}=${v}`];
  const logs = projectPath(o.paths.logs);
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=${jobName(o.sweep)}`,
    `#SBATCH --array=0-${o.size - 1}${max}`,
    `#SBATCH --output=${logs}/slurm-%A_%a.out`,
    "#SBATCH --ntasks=1",
    ...opt("cpus-per-task", s.cpusPerTask),
    ...opt("gres", s.gres),
    ...opt("mem", s.mem),
    ...opt("time", s.time),
    ...opt("partition", s.partition),
    ...opt("account", s.account),
    ...opt("qos", s.qos),
    ...opt("constraint", s.constraint),
    ...s.sbatchArgs.map((a) => `#SBATCH ${a}`),
    "",
    `# Sweep ${o.sweep.name} (${o.sweep.id}), written by \`npm run sweep\``,
    "# (lib/sweep/slurm.ts). Array task t trains the config on line t+1",
    "# of tasks.txt; records go to the runs folder, resumable.",
    "set -euo pipefail",
    'cd "${SLURM_SUBMIT_DIR:?run sbatch from the project root}"',
    ...(s.setup.length > 0 ? ["", "# setup (spec slurm.setup)", ...s.setup, ""] : []),
    "# native and wasm compute with the task's CPUs (other engines ignore it)",
    'export SGDL_THREADS="${SGDL_THREADS:-${SGDL_WASM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}}"',
    `tasks=${shQuote(join(projectPath(o.submissionDir), "tasks.txt"))}`,
    'i=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$tasks")',
    '[ -n "$i" ] || { echo "no config for array task' +
      ' $SLURM_ARRAY_TASK_ID in $tasks" >&2; exit 2; }',

    `echo "sweep ${o.sweep.id}: array task $SLURM_ARRAY_TASK_ID of job ` +
      '${SLURM_ARRAY_JOB_ID:-?} trains config $i on $(hostname)"',
    `configs=${shQuote(projectPath(o.paths.configs))}`,
    'exec node --import tsx scripts/train.ts --config "$configs/$i.json" \\',
    `  --runs-dir ${shQuote(projectPath(o.runsDir))}`,
    "",
  ];
  return lines.join("\n");
}

export interface SubmitResult {
  /** The job id, or null for a dry run. */
  jobId: string | null;
  /** Config indices, in array-task order. */
  tasks: number[];
  script: string;
  scriptFile: string;
  /** Stale locks removed before submitting (their holders are gone). */
  staleLocks: string[];
}

export interface SubmitOptions {
  sweep: Sweep;
  paths: SweepPaths;
  /** The runs to submit (needsRun), in sweep order. */
  todo: RunStatus[];
  slurm: SlurmSpec;
  runsDir: string;
  /** Write the script, do not call sbatch. */
  dryRun?: boolean;
  /** Tasks per array job (a cluster's MaxArraySize - 1). */
  arrayLimit?: number;
}

/**
 * Submits the runs as job arrays (one unless there are more than
 * arrayLimit). Stale locks of these runs are removed first
 * (clearStaleLocks).
 */
export function submitArray(o: SubmitOptions): SubmitResult[] {
  const limit = o.arrayLimit ?? DEFAULT_ARRAY_LIMIT;
  if (o.todo.length === 0) return [];
  const staleLocks = o.dryRun === true ? [] : clearStaleLocks(o.todo);
  const out: SubmitResult[] = [];
  for (let start = 0; start < o.todo.length; start += limit) {
    const chunk = o.todo.slice(start, start + limit);
    const { dir } = newSubmissionDir(o.paths);
    const tasks = chunk.map((s) => s.run.index);
    writeFileSync(join(dir, "tasks.txt"), `${tasks.join("\n")}\n`);
    const script = batchScript({
      sweep: o.sweep, paths: o.paths, submissionDir: dir, size: tasks.length,
      slurm: o.slurm, runsDir: o.runsDir,
    });
    const scriptFile = join(dir, "job.sbatch");
    writeFileSync(scriptFile, script);
    chmodSync(scriptFile, 0o755);
    let jobId: string | null = null;
    if (o.dryRun !== true) {
      jobId = sbatch(scriptFile);
      writeFileSync(join(dir, "job-id"), `${jobId}\n`);
    }
    out.push({ jobId, tasks, script, scriptFile, staleLocks: start === 0 ? staleLocks : [] });
  }
  return out;
}

/** Runs sbatch in the project root; returns the job id. */
function sbatch(scriptFile: string): string {
  const r = spawnSync("sbatch", ["--parsable", scriptFile], {
    cwd: PROJECT_ROOT, encoding: "utf8", timeout: 120_000,
  });
  if (r.error !== undefined) {
    throw new SlurmError(`sbatch could not run (${r.error.message}); ${SLURM_PACKAGES}`);
  }
  if (r.status !== 0) {
    throw new SlurmError(`sbatch failed (exit ${r.status}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  const id = r.stdout.trim().split("\n").pop()?.split(";")[0]?.trim() ?? "";
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch said "${r.stdout.trim()}", not a job id`);
  return id;
}

/** One line of `squeue -r -o "%F|%K|%T|%R"`. */
export interface QueueLine {
  jobId: string;
  task: number;
  state: string;
  where: string;
}

/** Parses squeue's `%F|%K|%T|%R` lines (one per array task with -r). */
export function parseQueue(text: string): QueueLine[] {
  const out: QueueLine[] = [];
  for (const line of text.split("\n")) {
    const [jobId, task, state, ...rest] = line.trim().split("|");
    if (jobId === undefined || task === undefined || state === undefined) continue;
    if (!/^\d+$/.test(jobId) || !/^\d+$/.test(task)) continue;
    out.push({ jobId, task: Number(task), state, where: rest.join("|") });
  }
  return out;
}

/**
 * The sweep's tasks Slurm still has, by config index; null when squeue
 * is not installed (then locks alone say what runs). Throws SlurmError
 * when squeue fails (no cluster configured, controller down).
 */
export function activeTasks(sweep: Sweep, paths: SweepPaths): Map<number, ActiveTask> | null {
  if (!haveSlurm("squeue")) return null;
  const r = spawnSync("squeue", ["-h", "-r", `--name=${jobName(sweep)}`, "-o", "%F|%K|%T|%R"], {
    encoding: "utf8", timeout: 60_000,
  });
  if (r.error !== undefined || r.status !== 0) {
    const why = r.error?.message ?? (r.stderr.trim().split("\n").pop() || `exit ${r.status}`);
    throw new SlurmError(`squeue failed: ${why}`);
  }
  const byJob = new Map(readSubmissions(paths).flatMap((s) =>
    s.jobId === null ? [] : [[s.jobId, s.tasks] as const]));
  const out = new Map<number, ActiveTask>();
  for (const q of parseQueue(r.stdout)) {
    const tasks = byJob.get(q.jobId);
    const index = tasks?.[q.task];
    if (index === undefined) continue;
    const prev = out.get(index);
    // A running task wins over a queued one of a later submission.
    if (prev === undefined || prev.state !== "RUNNING") {
      out.set(index, { jobTask: `${q.jobId}_${q.task}`, state: q.state, where: q.where });
    }
  }
  return out;
}

/**
 * The nodes where any job of this user is running (short host names),
 * or null if Slurm cannot say. A lock from a node not in it has no live
 * trainer (trainers on a cluster run inside jobs).
 */
export function busyHosts(): Set<string> | null {
  if (!haveSlurm("squeue") || !haveSlurm("scontrol")) return null;
  const q = spawnSync("squeue", ["--me", "-h", "-t", "RUNNING,COMPLETING", "-o", "%N"], {
    encoding: "utf8", timeout: 60_000,
  });
  if (q.error !== undefined || q.status !== 0) return null;
  const lists = q.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const out = new Set<string>();
  if (lists.length === 0) return out;
  const h = spawnSync("scontrol", ["show", "hostnames", lists.join(",")], {
    encoding: "utf8", timeout: 60_000,
  });
  if (h.error !== undefined || h.status !== 0) return null;
  for (const name of h.stdout.split("\n")) if (name.trim() !== "") out.add(shortHost(name.trim()));
  return out;
}

/** "node01.cluster.local" -> "node01". */
export function shortHost(name: string): string {
  return name.split(".")[0] ?? name;
}

/** Cancels the sweep's jobs (scancel by job name). */
export function cancelSweep(sweep: Sweep): void {
  const r = spawnSync("scancel", [`--name=${jobName(sweep)}`], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) {
    throw new SlurmError(`scancel failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
}
