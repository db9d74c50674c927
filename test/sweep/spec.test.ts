/**
 * Sweep specs, states and submissions without training anything: grid
 * expansion and its order, run ids, strict validation (before anything
 * is submitted), the batch script, and the Slurm executor's mapping of
 * array tasks to the missing runs, against a stand-in `sbatch`.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../../lib/data";
import { BACKENDS } from "../../lib/engine";
import { allPlans, planConfigs } from "../../lib/experiments";
import {
  batchScript, candidateIds, clearStaleLocks, expandSpec, gridPoints, needsRun,
  parseQueue, parseSpec, SpecError, sweepPaths, sweepState, writeSweep,
} from "../../lib/sweep";
import { configHash, parseConfig, preset, type RunStatus as RecordStatus } from "../../lib/train";
import { sweepCli, tempDir, writeJson } from "./helpers";

/** 2 lrs x 2 seeds of the smoke preset, engine pinned (one id each). */
const SMOKE = {
  name: "t",
  base: "smoke",
  set: { backend: "wasm" },
  grid: { lr: [0.1, 0.5], seed: [0, 1] },
};

/** Throws unless `fn` throws a SpecError whose message matches all `res`. */
function rejects(fn: () => unknown, ...res: RegExp[]): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    for (const re of res) assert.match(err.message, re);
    return err.message;
  }
  assert.fail("expected the spec to be rejected");
}

test("the grid expands as a cartesian product, first key slowest, then the points", () => {
  assert.deepEqual(gridPoints({ a: [1, 2], b: ["x", "y", "z"] }), [
    { a: 1, b: "x" }, { a: 1, b: "y" }, { a: 1, b: "z" },
    { a: 2, b: "x" }, { a: 2, b: "y" }, { a: 2, b: "z" },
  ]);
  const s = expandSpec(parseSpec({ ...SMOKE, points: [{ lr: 0.9, seed: 7 }] }));
  assert.deepEqual(s.runs.map((r) => [r.config.optimizer.lr, r.config.seed]),
    [[0.1, 0], [0.1, 1], [0.5, 0], [0.5, 1], [0.9, 7]]);
  assert.deepEqual(s.runs.map((r) => r.index), [0, 1, 2, 3, 4]);
  assert.equal(s.runs[1]!.label, "lr=0.1 seed=1");
  // Same spec, same sweep id; another grid, another.
  assert.equal(expandSpec(parseSpec({ ...SMOKE, points: [{ lr: 0.9, seed: 7 }] })).id, s.id);
  assert.notEqual(expandSpec(parseSpec(SMOKE)).id, s.id);
});

test("run ids are the trainer's content hash; backend auto gives one per engine", () => {
  const s = expandSpec(parseSpec(SMOKE));
  for (const r of s.runs) {
    const want = parseConfig({ ...preset("smoke"), backend: "wasm", seed: r.config.seed,
      optimizer: { ...preset("smoke").optimizer, lr: r.config.optimizer.lr } });
    assert.deepEqual(r.ids, [configHash(want)]);
  }
  const auto = expandSpec(parseSpec({ base: "smoke", grid: { seed: [0] } })).runs[0]!;
  assert.equal(auto.config.backend, "auto");
  assert.equal(auto.ids.length, BACKENDS.length);
  assert.ok(auto.ids.includes(configHash({ ...auto.config, backend: "wasm" })));
  assert.ok(auto.ids.includes(configHash({ ...auto.config, backend: "native" })));
  assert.deepEqual(candidateIds({ ...auto.config, backend: "cpu" }),
    [configHash({ ...auto.config, backend: "cpu" })]);
});

test("keys: lr, preset, set, whole objects, applied in the order written", () => {
  const s = expandSpec(parseSpec({
    base: { ...preset("smoke"), epochs: 5 },
    set: { "dataset.trainPerClass": 10 },
    grid: {
      optimizer: [{ name: "sgdm", lr: 0.1 }, { name: "adam" }],
      "optimizer.weightDecay": [0.001],
    },
    points: [{ preset: "smoke", profile: "cpu" }],
  }));
  const [a, b, c] = s.runs.map((r) => r.config);
  assert.equal(a!.optimizer.name, "sgdm");
  assert.equal(a!.optimizer.weightDecay, 0.001);
  assert.equal(b!.optimizer.name, "adam");
  assert.equal(b!.optimizer.lr, 0.001);
  assert.equal(a!.epochs, 5);
  assert.equal(a!.dataset.name === "cifar10" && a!.dataset.trainPerClass, 10);
  // The preset replaces the base; `set` still applies.
  assert.equal(c!.epochs, preset("smoke").epochs);
  assert.equal(c!.profile, "cpu");
  assert.equal(c!.dataset.name === "cifar10" && c!.dataset.trainPerClass, 10);
});

test("points that are the same run are run once", () => {
  const s = expandSpec(parseSpec({ ...SMOKE, points: [{ lr: 0.5, seed: 1 }, { seed: 0, lr: 0.1 }] }));
  assert.equal(s.runs.length, 4);
  assert.deepEqual(s.duplicates.map((d) => d.sameAs), [3, 0]);
});

test("a spec with an unknown key is rejected, naming the key", () => {
  rejects(() => parseSpec({ ...SMOKE, grd: { seed: [0] } }), /grd: unknown key "grd"/);
  rejects(() => parseSpec({ ...SMOKE, slurm: { gress: "gpu:1" } }), /slurm\.gress: unknown key "gress"/);
  rejects(() => parseSpec({ ...SMOKE, slurm: { time: "four hours" } }), /time: e\.g\./);
  // An unknown config key in the grid: the trainer's schema names it,
  // and the message says which points it affects.
  rejects(() => expandSpec(parseSpec({ ...SMOKE, grid: { "optimizer.lrr": [0.1, 0.2] } })),
    /optimizer\.lrr: unknown key "lrr"/, /all 2 points/);
  rejects(() => expandSpec(parseSpec({ ...SMOKE, grid: { lr: [0.1, -1] } })),
    /optimizer\.lr/, /point lr=-1/);
  rejects(() => parseSpec({ ...SMOKE, base: "smok" }), /base: unknown preset "smok"/);
  rejects(() => parseSpec({ grid: { seed: [0] } }), /base: required/);
});

test("an empty grid, or an empty list of values, is rejected", () => {
  rejects(() => parseSpec({ base: "smoke" }), /grid: empty, and no points/);
  rejects(() => parseSpec({ base: "smoke", grid: {} }), /grid: empty/);
  rejects(() => parseSpec({ base: "smoke", grid: { seed: [] } }), /grid\.seed: empty list/);
});

/** A stand-in for sbatch/squeue: logs its calls, answers job 4242. */
function fakeSlurm(dir: string): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const log = join(dir, "sbatch-calls.txt");
  const script = (body: string) => `#!/bin/sh\n${body}\n`;
  writeFileSync(join(bin, "sbatch"), script(
    `[ "$1" = --version ] && { echo "slurm 0.0"; exit 0; }\n` +
    `echo "$@" >> '${log}'\necho 4242`));
  writeFileSync(join(bin, "squeue"), script(`[ "$1" = --version ] && echo "slurm 0.0"; exit 0`));
  chmodSync(join(bin, "sbatch"), 0o755);
  chmodSync(join(bin, "squeue"), 0o755);
  return {
    env: { PATH: `${bin}:${process.env["PATH"] ?? ""}` },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
  };
}

/** A minimal record the trainer's reader accepts. */
function fakeRecord(runsDir: string, id: string, status: RecordStatus, epochs = 2): void {
  const dir = join(runsDir, id);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, "record.json"), {
    schemaVersion: 1, id, status, config: { epochs }, history: status === "interrupted" ? [{}] : [{}, {}],
    final: null, diverged: status === "diverged" ? { reason: "loss is NaN" } : null, resumedAt: [],
  });
}

test("a bad spec is rejected by the command before anything is submitted", async () => {
  const t = tempDir();
  try {
    const fake = fakeSlurm(t.dir);
    const dirs = ["--runs-dir", join(t.dir, "runs"), "--sweeps-dir", join(t.dir, "sweeps")];
    for (const [spec, re] of [
      [{ ...SMOKE, grid: { "optimizer.lrr": [0.1] } }, /optimizer\.lrr: unknown key "lrr"/],
      [{ ...SMOKE, colour: "blue" }, /colour: unknown key "colour"/],
      [{ base: "smoke", grid: {} }, /grid: empty/],
    ] as const) {
      const file = writeJson(join(t.dir, "bad.json"), spec);
      const r = await sweepCli([file, "--executor", "slurm", ...dirs], fake.env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.match(r.stderr, /nothing was run or submitted/);
    }
    assert.deepEqual(fake.calls(), []);
    assert.equal(existsSync(join(t.dir, "sweeps")), false);
  } finally {
    t.done();
  }
});

test("the batch script: one array, the resources, paths relative to the project", () => {
  const s = expandSpec(parseSpec({
    ...SMOKE,
    slurm: {
      gres: "gpu:1", cpusPerTask: 4, mem: "16G", time: "04:00:00", partition: "gpu",
      account: "proj42", maxParallel: 3, sbatchArgs: ["--exclusive"], setup: ["module load nodejs/20"],
    },
  }));
  const paths = sweepPaths(s, join(PROJECT_ROOT, "data", "sweeps"));
  const text = batchScript({
    sweep: s, paths, submissionDir: join(paths.slurm, "0"), size: 4, slurm: s.spec.slurm,
    runsDir: join(PROJECT_ROOT, "data", "runs"),
  });
  for (const line of [
    "#SBATCH --array=0-3%3", "#SBATCH --gres=gpu:1", "#SBATCH --cpus-per-task=4",
    "#SBATCH --mem=16G", "#SBATCH --time=04:00:00", "#SBATCH --partition=gpu",
    "#SBATCH --account=proj42", "#SBATCH --exclusive", "module load nodejs/20",
    `#SBATCH --job-name=sgdl-t-${s.id}`,
    `#SBATCH --output=data/sweeps/${s.id}/logs/slurm-%A_%a.out`,
    `tasks=data/sweeps/${s.id}/slurm/0/tasks.txt`,
    "--runs-dir data/runs",
  ]) assert.ok(text.includes(line), `missing ${line} in\n${text}`);
  assert.ok(!text.includes(PROJECT_ROOT), "the script names this machine's folders");
  assert.ok(text.includes(`configs=data/sweeps/${s.id}/configs\n`), text);
  assert.ok(text.includes('exec node --import tsx scripts/train.ts --config "$configs/$i.json"'));
});

test("squeue lines, one per array task", () => {
  assert.deepEqual(parseQueue("17|0|RUNNING|localhost\n17|3|PENDING|(JobArrayTaskLimit)\nbad\n"), [
    { jobId: "17", task: 0, state: "RUNNING", where: "localhost" },
    { jobId: "17", task: 3, state: "PENDING", where: "(JobArrayTaskLimit)" },
  ]);
});

test("run states come from records, locks and Slurm's queue", () => {
  const t = tempDir();
  try {
    const runsDir = join(t.dir, "runs");
    const s = expandSpec(parseSpec({ ...SMOKE, grid: { seed: [0, 1, 2, 3, 4, 5, 6] } }));
    const paths = writeSweep(s, join(t.dir, "sweeps"));
    const id = (i: number) => s.runs[i]!.ids[0]!;
    fakeRecord(runsDir, id(0), "completed");
    fakeRecord(runsDir, id(1), "diverged");
    fakeRecord(runsDir, id(2), "interrupted");
    // 3: a live lock (ours); 4: a lock from another node, no task active.
    const lock = (i: number, h: string, pid: number) => {
      mkdirSync(join(runsDir, id(i)), { recursive: true });
      writeJson(join(runsDir, id(i), "lock"), { pid, hostname: h, since: "-" });
    };
    lock(3, hostname(), process.pid);
    lock(4, "node-17.cluster", 12345);
    // 5: attempted (a local log), nothing left; 6: never run.
    writeFileSync(join(paths.logs, "local-5.log"), "== it crashed\n");
    const states = sweepState(s, paths, { runsDir, active: new Map(), busyHosts: new Set(["node-3"]) });
    assert.deepEqual(states.map((x) => x.state),
      ["done", "diverged", "interrupted", "running", "missing", "failed", "missing"]);
    assert.match(states[4]!.note, /stale lock of pid 12345 on node-17\.cluster/);
    // Without squeue, a lock from another node may be live: running;
    // the same if a job of ours runs on that node.
    assert.equal(sweepState(s, paths, { runsDir, active: null })[4]!.state, "running");
    const busy = new Set(["node-17"]);
    assert.equal(sweepState(s, paths, { runsDir, active: new Map(), busyHosts: busy })[4]!.state, "running");
    // A queued task of this sweep.
    const active = new Map([[6, { jobTask: "9_1", state: "PENDING", where: "(Priority)" }]]);
    assert.equal(sweepState(s, paths, { runsDir, active })[6]!.state, "pending");
    // Stale locks of runs to (re)submit are removed; live ones stay.
    const removed = clearStaleLocks(states.filter(needsRun));
    assert.deepEqual(removed, [`${id(4)} (pid 12345 on node-17.cluster)`]);
    assert.equal(existsSync(join(runsDir, id(4), "lock")), false);
    assert.equal(existsSync(join(runsDir, id(3), "lock")), true);
  } finally {
    t.done();
  }
});

test("backend auto: any engine's finished record counts", () => {
  const t = tempDir();
  try {
    const runsDir = join(t.dir, "runs");
    const s = expandSpec(parseSpec({ base: "smoke", grid: { seed: [0, 1] } }));
    const paths = writeSweep(s, join(t.dir, "sweeps"));
    const gpu = configHash({ ...s.runs[1]!.config, backend: "node-gpu" });
    fakeRecord(runsDir, gpu, "completed");
    const states = sweepState(s, paths, { runsDir, active: new Map() });
    assert.deepEqual(states.map((x) => [x.state, x.id]), [["missing", null], ["done", gpu]]);
  } finally {
    t.done();
  }
});

test("slurm: only the missing runs are submitted, array task t -> config tasks[t]", async () => {
  const t = tempDir();
  try {
    const fake = fakeSlurm(t.dir);
    const runsDir = join(t.dir, "runs");
    const dirs = ["--runs-dir", runsDir, "--sweeps-dir", join(t.dir, "sweeps")];
    const specFile = writeJson(join(t.dir, "spec.json"), { ...SMOKE, slurm: { maxParallel: 2 } });
    const s = expandSpec(parseSpec(JSON.parse(readFileSync(specFile, "utf8"))));
    fakeRecord(runsDir, s.runs[0]!.ids[0]!, "completed");
    fakeRecord(runsDir, s.runs[2]!.ids[0]!, "diverged");
    fakeRecord(runsDir, s.runs[3]!.ids[0]!, "interrupted");

    const r = await sweepCli([specFile, "--executor", "slurm", "--json", ...dirs], fake.env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { skipped: number; submitted: Array<{ jobId: string; tasks: number[] }> };
    assert.equal(out.skipped, 2);
    assert.deepEqual(out.submitted.map((x) => [x.jobId, x.tasks]), [["4242", [1, 3]]]);
    const sub = join(sweepPaths(s, join(t.dir, "sweeps")).slurm, "0");
    assert.equal(readFileSync(join(sub, "tasks.txt"), "utf8"), "1\n3\n");
    assert.equal(readFileSync(join(sub, "job-id"), "utf8"), "4242\n");
    assert.match(readFileSync(join(sub, "job.sbatch"), "utf8"), /#SBATCH --array=0-1%2\n/);
    assert.deepEqual(fake.calls(), [`--parsable ${join(sub, "job.sbatch")}`]);
    // The configs the tasks read are there, and are the sweep's configs.
    for (const i of [1, 3]) {
      const cfg = JSON.parse(readFileSync(join(sweepPaths(s, join(t.dir, "sweeps")).configs, `${i}.json`), "utf8"));
      assert.equal(configHash(cfg), s.runs[i]!.ids[0]);
    }

    // Once everything has a finished record, nothing is submitted.
    fakeRecord(runsDir, s.runs[1]!.ids[0]!, "completed");
    fakeRecord(runsDir, s.runs[3]!.ids[0]!, "completed");
    const again = await sweepCli([specFile, "--executor", "slurm", ...dirs], fake.env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to submit: all 4 runs are done/);
    assert.equal(fake.calls().length, 1);
    assert.deepEqual(readdirSync(sweepPaths(s, join(t.dir, "sweeps")).slurm), ["0"]);

    const st = await sweepCli(["status", specFile, ...dirs], fake.env);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /4 runs: 3 done, 1 diverged/);
  } finally {
    t.done();
  }
});

test("plan: a profile's section plans as a sweep, each distinct config once", () => {
  const s = expandSpec(parseSpec({ name: "smoke-profile", plan: { profile: "smoke" } }));
  const want = new Set(allPlans("smoke").flatMap((p) => planConfigs(p))
    .map((c) => configHash(parseConfig(c))));
  assert.equal(s.runs.length, want.size);
  assert.ok(s.runs.every((r) => want.has(configHash(r.config))));
  assert.match(s.runs[0]!.label, /^6\.1 fig3-cifar10: SGD lr 0\.2$/);
  const only = expandSpec(parseSpec({ plan: { profile: "smoke", sections: ["6.3"] } }));
  assert.ok(only.runs.length > 0 && only.runs.every((r) => r.label.startsWith("6.3 ")));
  const g = expandSpec(parseSpec({ plan: { profile: "smoke", groups: ["fig6-speech-commands-lenet5"] } }));
  assert.ok(g.runs.length > 0 && g.runs.every((r) => r.label.startsWith("6.3 fig6")));
  assert.throws(() => expandSpec(parseSpec({ plan: { profile: "smoke", groups: ["fig9"] } })),
    /plan\.groups: no group "fig9" in the selected plans; groups: fig3-cifar10, /);
  assert.throws(() => parseSpec({ plan: { profile: "gpu" } }), /plan\.profile/);
  assert.throws(() => parseSpec({ plan: { profile: "cpu", sections: ["7"] } }), /plan\.sections/);
});

test("grid and set keys cannot reach a prototype", () => {
  for (const spec of [
    { base: "smoke", grid: { "__proto__.x": [1] } },
    { base: "smoke", set: { "constructor.prototype.x": 1 }, grid: { seed: [0] } },
  ]) {
    assert.throws(() => expandSpec(parseSpec(spec)), /is not a config key/);
  }
  assert.equal(({} as Record<string, unknown>)["x"], undefined);
});
