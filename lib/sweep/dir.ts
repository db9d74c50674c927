/**
 * The sweep folder, `<sweeps>/<sweep id>/` (default `<data>/sweeps`,
 * or $SGDL_SWEEPS_DIR, or the `sweepsDir` option):
 *
 *   sweep.json          the expansion: index, point, run ids (no times)
 *   spec.json           the validated spec
 *   configs/<i>.json    config i, normalised: what `scripts/train.ts
 *                       --config` trains
 *   slurm/<n>/          submission n: tasks.txt (line t = the config of
 *                       array task t), job.sbatch, job-id
 *   logs/               slurm-<job>_<task>.out, local-<i>.log
 *
 * Records never go here: they go to the runs folder (lib/train), where
 * notebooks find them whoever trained them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { dataRoot, PROJECT_ROOT } from "../data";
import { writeJsonAtomic } from "../train";
import type { Sweep } from "./spec";

export interface SweepPaths {
  root: string;
  configs: string;
  logs: string;
  slurm: string;
}

/** The sweeps folder: option, then $SGDL_SWEEPS_DIR, then `<data>/sweeps`. */
export function sweepsDir(dir?: string): string {
  if (dir !== undefined && dir !== "") return resolve(dir);
  const env = process.env["SGDL_SWEEPS_DIR"];
  if (env !== undefined && env !== "") return resolve(env);
  return join(dataRoot(), "sweeps");
}

export function sweepPaths(sweep: Pick<Sweep, "id">, dir?: string): SweepPaths {
  const root = join(sweepsDir(dir), sweep.id);
  return {
    root,
    configs: join(root, "configs"),
    logs: join(root, "logs"),
    slurm: join(root, "slurm"),
  };
}

export function configFile(paths: SweepPaths, index: number): string {
  return join(paths.configs, `${index}.json`);
}

export function localLog(paths: SweepPaths, index: number): string {
  return join(paths.logs, `local-${index}.log`);
}

/** Writes sweep.json, spec.json and every config (unchanged files stay). */
export function writeSweep(sweep: Sweep, dir?: string): SweepPaths {
  const paths = sweepPaths(sweep, dir);
  mkdirSync(paths.configs, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const put = (path: string, value: unknown) => {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    if (existsSync(path) && readFileSync(path, "utf8") === text) return;
    writeJsonAtomic(path, value);
  };
  put(join(paths.root, "spec.json"), sweep.spec);
  put(join(paths.root, "sweep.json"), {
    id: sweep.id,
    name: sweep.name,
    runs: sweep.runs.map((r) => ({ index: r.index, label: r.label, point: r.point, ids: r.ids })),
    duplicates: sweep.duplicates,
  });
  for (const r of sweep.runs) put(configFile(paths, r.index), r.config);
  return paths;
}

/** One Slurm submission of the sweep, as written when it was submitted. */
export interface Submission {
  /** Its number in slurm/ (0, 1, ...). */
  n: number;
  dir: string;
  /** Config index of each array task. */
  tasks: number[];
  /** Slurm's job id, or null if sbatch failed or has not answered. */
  jobId: string | null;
}

/** The sweep's submissions, oldest first. */
export function readSubmissions(paths: SweepPaths): Submission[] {
  if (!existsSync(paths.slurm)) return [];
  const out: Submission[] = [];
  for (const name of readdirSync(paths.slurm)) {
    if (!/^\d+$/.test(name)) continue;
    const dir = join(paths.slurm, name);
    const tasksFile = join(dir, "tasks.txt");
    if (!existsSync(tasksFile)) continue;
    const tasks = readFileSync(tasksFile, "utf8").split("\n").filter((l) => l !== "").map(Number);
    const idFile = join(dir, "job-id");
    const jobId = existsSync(idFile) ? readFileSync(idFile, "utf8").trim() || null : null;
    out.push({ n: Number(name), dir, tasks, jobId });
  }
  return out.sort((a, b) => a.n - b.n);
}

/**
 * Claims the next submission folder (mkdir is atomic, so two submitters
 * never share one).
 */
export function newSubmissionDir(paths: SweepPaths): { n: number; dir: string } {
  mkdirSync(paths.slurm, { recursive: true });
  const used = readdirSync(paths.slurm).filter((n) => /^\d+$/.test(n)).map(Number);
  for (let n = used.length === 0 ? 0 : Math.max(...used) + 1; ; n++) {
    const dir = join(paths.slurm, String(n));
    try {
      mkdirSync(dir);
      return { n, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}

/**
 * A path as a task sees it from the project root: relative when inside
 * the project (so scripts and messages name no machine's folders),
 * absolute otherwise (a results folder the user chose).
 */
export function projectPath(path: string): string {
  const rel = relative(PROJECT_ROOT, resolve(path));
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? resolve(path) : rel;
}
