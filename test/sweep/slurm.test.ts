/**
 * The Slurm executor for real, on a one-node cluster started here
 * (scripts/slurm-local.sh: munged, slurmctld and slurmd in a temporary
 * folder). Needs root and the Debian packages slurm-wlm and munge;
 * without them these tests skip and say so.
 *
 * - a smoke sweep (2 lrs x 2 seeds) goes as one job array and every
 *   record lands; submitting again submits nothing;
 * - the local executor with two workers gives the same records;
 * - tasks killed mid-run (scancel, and SIGKILL) are resubmitted
 *   and resume from their checkpoints, ending where an uninterrupted run
 *   ends.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { PROJECT_ROOT } from "../../lib/data";
import type { RunRecord } from "../../lib/train";
import {
  comparable, haveCifar10, type LocalCluster, NO_CIFAR, recordsIn, startLocalSlurm,
  sweepCli, tempDir, waitFor, writeJson,
} from "./helpers";

let cluster: LocalCluster | null = null;
let skip: string | false = haveCifar10() ? false : NO_CIFAR;
if (skip === false) {
  const c = startLocalSlurm();
  if (typeof c === "string") skip = c;
  else cluster = c;
}
const work = tempDir();
/** Per test: generous, for a busy machine (each takes well under a minute alone). */
const LIMIT = 600_000;
after(() => {
  cluster?.stop();
  work.done();
});

/**
 * Runs compared across executors use the wasm engine (always there)
 * with a fixed thread count: its results depend on the thread count.
 */
const ENV = { SGDL_THREADS: "1" };
const slurmEnv = () => ({ ...ENV, ...cluster!.env });

const SPEC = {
  name: "slurm-smoke",
  base: "smoke",
  set: { backend: "wasm" },
  grid: { lr: [0.1, 0.5], seed: [0, 1] },
  slurm: { maxParallel: 2, cpusPerTask: 1, time: "00:10:00" },
};
const runsA = join(work.dir, "runs-slurm");
const sweepsA = join(work.dir, "sweeps-slurm");
const specFile = join(work.dir, "spec.json");

interface StatusJson {
  counts: Record<string, number>;
  runs: Array<{ index: number; id: string | null; state: string }>;
}
interface SubmitJson {
  skipped: number;
  submitted: Array<{ jobId: string; tasks: number[] }>;
  status: StatusJson;
}

before(() => {
  writeJson(specFile, SPEC);
});

test("slurm: a smoke sweep goes as one job array and every record lands", { skip, timeout: LIMIT }, async () => {
  const r = await sweepCli([specFile, "--executor", "slurm", "--wait", "--poll", "0.5", "--json",
    "--runs-dir", runsA, "--sweeps-dir", sweepsA], slurmEnv());
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as SubmitJson;
  assert.equal(out.submitted.length, 1);
  assert.deepEqual(out.submitted[0]!.tasks, [0, 1, 2, 3]);
  assert.deepEqual(out.status.counts["done"], 4, JSON.stringify(out.status));
  const recs = recordsIn(runsA);
  assert.equal(recs.size, 4);
  for (const rec of recs.values()) assert.equal(rec.status, "completed");
  assert.deepEqual(out.status.runs.map((x) => x.id).sort(), [...recs.keys()].sort());
  const logs = readdirSync(join(sweepsA, readdirSync(sweepsA)[0]!, "logs"));
  assert.equal(logs.filter((f) => f.startsWith(`slurm-${out.submitted[0]!.jobId}_`)).length, 4);
});

test("slurm: submitting again submits nothing", { skip, timeout: LIMIT }, async () => {
  const r = await sweepCli([specFile, "--executor", "slurm", "--json",
    "--runs-dir", runsA, "--sweeps-dir", sweepsA], slurmEnv());
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as SubmitJson;
  assert.deepEqual(out.submitted, []);
  assert.equal(out.skipped, 4);
  const sweepDir = join(sweepsA, readdirSync(sweepsA)[0]!);
  assert.deepEqual(readdirSync(join(sweepDir, "slurm")), ["0"]);
  const st = await sweepCli(["status", specFile, "--runs-dir", runsA, "--sweeps-dir", sweepsA], slurmEnv());
  assert.match(st.stdout, /4 runs: 4 done/);
});

test("slurm: records name no machine's folders (they can be copied back)", { skip }, () => {
  for (const [id, rec] of recordsIn(runsA)) {
    const text = JSON.stringify(rec, null, 2);
    for (const p of [PROJECT_ROOT.replace(/\/$/, ""), work.dir, cluster!.dir]) {
      assert.ok(!text.includes(p), `record ${id} names the folder ${p}:\n` +
        text.split("\n").filter((l) => l.includes(p)).join("\n"));
    }
  }
});

test("local: two workers give the same records as the Slurm run", { skip, timeout: LIMIT }, async () => {
  const runsB = join(work.dir, "runs-local");
  const r = await sweepCli([specFile, "--workers", "2", "--json",
    "--runs-dir", runsB, "--sweeps-dir", join(work.dir, "sweeps-local")], ENV);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const a = recordsIn(runsA);
  const b = recordsIn(runsB);
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [id, rec] of a) assert.deepEqual(comparable(b.get(id)!), comparable(rec), `run ${id}`);
});

test("slurm: tasks killed mid-run are resubmitted and resume from their checkpoints", { skip, timeout: LIMIT }, async () => {
  const spec = writeJson(join(work.dir, "kill.json"), {
    name: "slurm-kill", base: "smoke", set: { epochs: 5, backend: "wasm" }, grid: { seed: [3, 4] },
    slurm: { maxParallel: 2 },
  });
  const runsK = join(work.dir, "runs-kill");
  const dirs = ["--runs-dir", runsK, "--sweeps-dir", join(work.dir, "sweeps-kill")];
  const sub = await sweepCli([spec, "--executor", "slurm", "--json", ...dirs], slurmEnv());
  assert.equal(sub.code, 0, sub.stderr);
  const job = (JSON.parse(sub.stdout) as SubmitJson).submitted[0]!;
  assert.deepEqual(job.tasks, [0, 1]);

  /** The record of seed `seed` once it is interrupted with an epoch done. */
  const checkpointed = (seed: number) => () =>
    [...recordsIn(runsK).values()].find((r) =>
      r.seed === seed && r.status === "interrupted" && r.history.length >= 1);
  const scancel = (...a: string[]) => {
    const r = spawnSync("scancel", a, { env: { ...process.env, ...cluster!.env }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  };
  // Task 0: scancel (SIGTERM, then SIGKILL after KillWait; the trainer
  // stops at a step). Task 1: its trainer SIGKILLed, as by the OOM
  // killer or a crashed node (no goodbye: the lock file stays behind).
  await waitFor("seed 3's first checkpoint", checkpointed(3), 180_000);
  scancel(`${job.jobId}_0`);
  const r4 = await waitFor("seed 4's first checkpoint", checkpointed(4), 180_000);
  const lock = JSON.parse(readFileSync(join(runsK, r4.id, "lock"), "utf8")) as { pid: number };
  process.kill(lock.pid, "SIGKILL");
  const stopped = await waitFor("both tasks to end", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/sweep.ts", "status", spec, "--json", ...dirs],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...slurmEnv() }, encoding: "utf8" });
    const st = JSON.parse(r.stdout) as StatusJson;
    return st.runs.every((x) => x.state === "interrupted") ? st : null;
  }, 120_000, 500);
  const before = recordsIn(runsK);
  for (const rec of before.values()) assert.ok(rec.history.length < 5, "a task finished before it was killed");
  assert.equal(existsSync(join(runsK, stopped.runs[1]!.id!, "lock")), true, "SIGKILL left no lock?");

  const again = await sweepCli([spec, "--executor", "slurm", "--wait", "--poll", "0.5", "--json", ...dirs], slurmEnv());
  assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
  const out = JSON.parse(again.stdout) as SubmitJson;
  assert.deepEqual(out.submitted.map((x) => x.tasks), [[0, 1]]);
  assert.equal(out.status.counts["done"], 2);
  const done = recordsIn(runsK);
  for (const [id, rec] of done) {
    assert.equal(rec.status, "completed");
    assert.equal(rec.history.length, 5);
    assert.deepEqual(rec.resumedAt, [before.get(id)!.history.length], `run ${id} did not resume`);
  }
  const logDir = join(work.dir, "sweeps-kill", readdirSync(join(work.dir, "sweeps-kill"))[0]!, "logs");
  for (const t of [0, 1]) {
    const log = readFileSync(join(logDir, `slurm-${out.submitted[0]!.jobId}_${t}.out`), "utf8");
    assert.match(log, /resumed from the checkpoint after epoch \d/);
  }

  // The resumed runs end exactly where uninterrupted ones do.
  const runsU = join(work.dir, "runs-uninterrupted");
  const u = await sweepCli([spec, "--workers", "2", "--runs-dir", runsU,
    "--sweeps-dir", join(work.dir, "sweeps-uninterrupted")], ENV);
  assert.equal(u.code, 0, `${u.stdout}\n${u.stderr}`);
  const whole = recordsIn(runsU);
  for (const [id, rec] of done) {
    assert.deepEqual(comparable(rec), comparable(whole.get(id) as RunRecord), `run ${id}`);
  }
});
