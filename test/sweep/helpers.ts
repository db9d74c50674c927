/**
 * Test helpers for sweeps: temporary folders, the sweep command run as a
 * child process (as users run it), records compared without their
 * timings, and a one-node Slurm cluster (scripts/slurm-local.sh).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataRoot, PROJECT_ROOT } from "../../lib/data";
import { type RunRecord, TIMING_FIELDS } from "../../lib/train";

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = "sgdl-sweep-"): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/sweep.ts` with `args` (async, so tests can poll meanwhile). */
export function sweepCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "scripts", "sweep.ts"), ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every record under a runs folder, by id. */
export function recordsIn(runsDir: string): Map<string, RunRecord> {
  const out = new Map<string, RunRecord>();
  if (!existsSync(runsDir)) return out;
  for (const id of readdirSync(runsDir).sort()) {
    const f = join(runsDir, id, "record.json");
    if (existsSync(f)) out.set(id, JSON.parse(readFileSync(f, "utf8")) as RunRecord);
  }
  return out;
}

/**
 * What must agree between two trainings of the same config and seed: the
 * record less its wall-time fields, resume marks, engine skips and code.
 */
export function comparable(r: RunRecord): unknown {
  const strip = (m: Record<string, unknown> | null) => {
    if (m === null) return null;
    const c = { ...m };
    for (const k of TIMING_FIELDS) delete c[k];
    return c;
  };
  return {
    id: r.id,
    status: r.status,
    config: r.config,
    profile: r.profile,
    seed: r.seed,
    engine: { backend: r.engine.backend, threads: r.engine.threads, versions: r.engine.versions },
    dataset: r.dataset,
    model: r.model,
    diverged: r.diverged,
    history: r.history.map((m) => strip(m as unknown as Record<string, unknown>)),
    final: strip(r.final as unknown as Record<string, unknown> | null),
  };
}

/** Whether the real CIFAR-10 the smoke preset trains on is there. */
export function haveCifar10(): boolean {
  return existsSync(join(dataRoot(), "cifar10", "cifar-10-batches-bin", "data_batch_1.bin"));
}

export const NO_CIFAR = "CIFAR-10 absent: run `npm run data -- cifar10` (or `npm run setup`) first";

const SLURM_LOCAL = join(PROJECT_ROOT, "scripts", "slurm-local.sh");

export interface LocalCluster {
  /** The environment that points Slurm's commands at it. */
  env: { SLURM_CONF: string };
  dir: string;
  stop: () => void;
}

/**
 * Starts a one-node Slurm cluster in a temporary folder, or returns the
 * reason it cannot (packages missing, not root) for `skip`.
 */
export function startLocalSlurm(): LocalCluster | string {
  const { dir, done } = tempDir("sgdl-slurm-");
  const r = spawnSync("bash", [SLURM_LOCAL, "start", dir], { encoding: "utf8", timeout: 120_000 });
  if (r.status === 3) {
    done();
    return `Slurm tests skipped: ${r.stderr.replace(/^\[slurm-local\] /gm, "").trim()}`;
  }
  const stop = () => {
    spawnSync("bash", [SLURM_LOCAL, "stop", dir], { encoding: "utf8", timeout: 60_000 });
    done();
  };
  if (r.status !== 0) {
    stop();
    throw new Error(`scripts/slurm-local.sh start failed (${r.status}):\n${r.stderr}`);
  }
  return { env: { SLURM_CONF: join(dir, "slurm.conf") }, dir, stop };
}

/** Polls `check` every `ms` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | null | undefined | false,
  timeoutMs = 120_000,
  ms = 200,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, ms));
  }
}
