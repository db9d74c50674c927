/**
 * Sweeps: many configs of the trainer, on this machine or as one Slurm
 * job array (docs/sweeps.md).
 *
 *   npm run sweep -- sweep.json                      # local, one worker per core
 *   npm run sweep -- sweep.json --workers 2
 *   npm run sweep -- sweep.json --executor slurm --gres gpu:1 --time 04:00:00
 *   npm run sweep -- status sweep.json               # done, running, failed, missing
 *   npm run sweep -- list sweep.json                 # the expanded configs only
 *   npm run sweep -- cancel sweep.json               # scancel the sweep's jobs
 *
 * Runs with a finished record (completed or diverged) are skipped; the
 * rest (missing, failed, interrupted) run or are submitted, and
 * interrupted ones resume from their checkpoints. Run it again after a
 * failure: only what is missing goes.
 *
 * Options: --runs-dir DIR (records; default $SGDL_RUNS_DIR, <data>/runs),
 * --sweeps-dir DIR (default $SGDL_SWEEPS_DIR, <data>/sweeps), --json.
 * local: --workers N. slurm (override the spec's "slurm"): --partition,
 * --account, --qos, --gres, --cpus-per-task, --mem, --time,
 * --constraint, --max-parallel, --sbatch-arg ARG, --setup LINE (both
 * repeatable), --dry-run (write the batch script, submit nothing),
 * --wait (return when the sweep's tasks have left the queue).
 *
 * Exit status: 0 done (or submitted), 1 some runs failed, 2 a bad spec
 * or arguments (nothing ran), 3 Slurm is not available.
 */
import { parseArgs } from "node:util";
import {
  activeTasks, cancelSweep, formatStatus, haveSlurm, loadSpec, needsRun,
  type PreparedSweep, prepareSweep, projectPath, resultNote, runLocal,
  SlurmError, type SlurmSpec, SlurmSpecSchema, SpecError, statusJson, submitArray,
  summaryLine, sweepStatus,
} from "../lib/sweep";
import { readRecord, runDirOf } from "../lib/train";

const COMMANDS = ["run", "status", "list", "cancel"] as const;
type Command = (typeof COMMANDS)[number];

function usage(msg: string): never {
  process.stderr.write(`sweep: ${msg}\n` +
    "usage: npm run sweep -- [run|status|list|cancel] <spec.json> " +
    "[--executor local|slurm] [--workers N] [--runs-dir DIR] [--json] " +
    "[slurm options; see scripts/sweep.ts]\n");
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      executor: { type: "string", short: "e", default: "local" },
      workers: { type: "string", short: "w" },
      "runs-dir": { type: "string" },
      "sweeps-dir": { type: "string" },
      json: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      wait: { type: "boolean", default: false },
      poll: { type: "string", default: "2" },
      partition: { type: "string" },
      account: { type: "string" },
      qos: { type: "string" },
      gres: { type: "string" },
      "cpus-per-task": { type: "string" },
      mem: { type: "string" },
      time: { type: "string" },
      constraint: { type: "string" },
      "max-parallel": { type: "string" },
      "sbatch-arg": { type: "string", multiple: true, default: [] },
      setup: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (err) {
  usage((err as Error).message);
}
const args = parsed.values;
if (args.help) {
  process.stdout.write("see the header of scripts/sweep.ts and docs/sweeps.md\n");
  process.exit(0);
}
const pos = parsed.positionals;
const command: Command = (COMMANDS as readonly string[]).includes(pos[0] ?? "")
  ? pos.shift() as Command : "run";
if (pos.length !== 1) {
  usage(pos.length === 0 ? "a spec file is required" : `one spec file, got ${pos.join(" ")}`);
}
const executor = args.executor;
if (executor !== "local" && executor !== "slurm") usage(`--executor local|slurm, got ${executor}`);

const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a whole number >= 1, got ${v}`);
  return n;
};
const workers = int("workers", args.workers);
const pollSeconds = Number(args.poll);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

let s: PreparedSweep;
let slurm: SlurmSpec;
try {
  const spec = loadSpec(pos[0]!);
  s = prepareSweep(spec, {
    ...(args["runs-dir"] !== undefined && { runsDir: args["runs-dir"] }),
    ...(args["sweeps-dir"] !== undefined && { sweepsDir: args["sweeps-dir"] }),
  });
  slurm = slurmOptions(spec.slurm);
} catch (e) {
  if (e instanceof SpecError) {
    err(`sweep: ${pos[0]}: ${e.message}`);
    err("sweep: nothing was run or submitted");
    process.exit(2);
  }
  throw e;
}
for (const d of s.duplicates) {
  err(`sweep: point ${d.label} is the same run as config ${d.sameAs}; running it once`);
}

/** The spec's Slurm resources with the flags on top, validated. */
function slurmOptions(fromSpec: SlurmSpec): SlurmSpec {
  const flags: Record<string, unknown> = {};
  const str = ["partition", "account", "qos", "gres", "mem", "time", "constraint"] as const;
  for (const k of str) if (args[k] !== undefined) flags[k] = args[k];
  const cpus = int("cpus-per-task", args["cpus-per-task"]);
  if (cpus !== undefined) flags["cpusPerTask"] = cpus;
  const max = int("max-parallel", args["max-parallel"]);
  if (max !== undefined) flags["maxParallel"] = max;
  if (args["sbatch-arg"].length > 0) {
    flags["sbatchArgs"] = [...fromSpec.sbatchArgs, ...args["sbatch-arg"]];
  }
  if (args.setup.length > 0) flags["setup"] = [...fromSpec.setup, ...args.setup];
  const r = SlurmSpecSchema.safeParse({ ...fromSpec, ...flags });
  if (!r.success) {
    throw new SpecError(r.error.issues.map((i) => `slurm.${i.path.join(".")}: ${i.message}`));
  }
  return r.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

switch (command) {
  case "list": {
    if (args.json) {
      out(JSON.stringify({
        sweep: s.id, name: s.name, dir: projectPath(s.paths.root),
        runs: s.runs.map((r) => ({ index: r.index, ids: r.ids, label: r.label, point: r.point })),
      }, null, 2));
    } else {
      out(`sweep ${s.name} (${s.id}): ${s.runs.length} configs in ${projectPath(s.paths.configs)}`);
      for (const r of s.runs) {
        const id = r.ids.length === 1 ? r.ids[0]! : "auto";
        out(`${String(r.index).padStart(4)}  ${id.padEnd(12)}  ${r.label}`);
      }
    }
    process.exit(0);
  }
  case "status": {
    const states = sweepStatus(s);
    out(args.json ? JSON.stringify(statusJson(s, states), null, 2) : formatStatus(s, states));
    process.exit(0);
  }
  case "cancel": {
    if (!haveSlurm("scancel")) {
      err("sweep: scancel not found: cancel needs Slurm");
      process.exit(3);
    }
    cancelSweep(s);
    out(`cancelled the Slurm tasks of sweep ${s.name} (${s.id}); ` +
      "their checkpoints stay, so resubmitting resumes them");
    process.exit(0);
  }
  case "run":
    break;
}

if (executor === "slurm") {
  const dry = args["dry-run"];
  if (!dry && !haveSlurm("sbatch")) {
    err("sweep: sbatch not found: --executor slurm runs on a Slurm login node " +
      "(Debian: apt-get install slurm-client; a one-node test cluster: " +
      "apt-get install slurm-wlm munge, then scripts/slurm-local.sh start)");
    process.exit(3);
  }
  let states;
  try {
    states = sweepStatus(s, dry ? "auto" : true);
  } catch (e) {
    if (!(e instanceof SlurmError)) throw e;
    err(`sweep: ${e.message}; nothing was submitted`);
    process.exit(3);
  }
  const todo = states.filter(needsRun);
  const skipped = states.length - todo.length;
  if (!args.json) out(`sweep ${s.name} (${s.id}): ${summaryLine(states)}`);
  const subs = submitArray({
    sweep: s, paths: s.paths, todo, slurm, runsDir: s.runsDir, dryRun: dry,
  });
  for (const l of subs.flatMap((x) => x.staleLocks)) {
    err(`sweep: removed the stale lock of ${l}: no task of this sweep runs it`);
  }
  if (!args.json) {
    if (subs.length === 0) {
      out(`nothing to submit: all ${states.length} runs are done, diverged, running or pending`);
    }
    for (const x of subs) {
      const max = slurm.maxParallel === null ? "" : `%${slurm.maxParallel}`;
      const what = `array 0-${x.tasks.length - 1}${max} (${x.tasks.length} runs)`;
      out(x.jobId === null
        ? `dry run: ${what}, script ${projectPath(x.scriptFile)}`
        : `submitted job ${x.jobId}: ${what}; script ${projectPath(x.scriptFile)}, ` +
          `logs ${projectPath(s.paths.logs)}/slurm-${x.jobId}_<task>.out`);
    }
    if (subs.length > 0 && !args.wait && !dry) out(`follow it: npm run sweep -- status ${pos[0]}`);
  }
  if (args.wait && !dry && subs.length > 0) {
    let last = "";
    for (;;) {
      const active = activeTasks(s, s.paths);
      const left = active === null ? 0 : active.size;
      const line = summaryLine(sweepStatus(s, active !== null));
      if (line !== last && !args.json) err(`sweep: ${line}`);
      last = line;
      if (left === 0) break;
      await sleep(pollSeconds * 1000);
    }
  }
  const after = sweepStatus(s);
  if (args.json) {
    out(JSON.stringify({
      executor, skipped,
      submitted: subs.map((x) => ({
        jobId: x.jobId, tasks: x.tasks, script: projectPath(x.scriptFile),
      })),
      status: statusJson(s, after),
    }, null, 2));
  } else if (args.wait) {
    out(formatStatus(s, after));
  }
  const bad = after.filter((t) => t.state === "failed" || t.state === "interrupted");
  process.exit(args.wait && bad.length > 0 ? 1 : 0);
}

// ---------------------------------------------------------------- local
const states = sweepStatus(s);
const todo = states.filter(needsRun);
if (!args.json) out(`sweep ${s.name} (${s.id}): ${summaryLine(states)}`);
const running = states.filter((t) => t.state === "running" || t.state === "pending");
for (const t of running) err(`sweep: skipping ${t.run.label}: ${t.note}`);
if (todo.length === 0 && !args.json) {
  out(`nothing to run: all ${states.length} runs are done, diverged or running`);
}
const ac = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (ac.signal.aborted) process.exit(130);
    err(`sweep: ${sig}: stopping the workers (they save their progress)`);
    ac.abort();
  });
}
const t0 = performance.now();
const results = await runLocal(todo.map((t) => t.run), {
  paths: s.paths,
  runsDir: s.runsDir,
  ...(workers !== undefined ? { workers }
    : s.spec.workers !== null ? { workers: s.spec.workers } : {}),
  signal: ac.signal,
  onEnd: (r, done, total) => {
    if (args.json) return;
    const rec = r.run.ids.map((id) => readRecord(runDirOf(id, s.runsDir)))
      .find((x) => x !== null) ?? null;
    const secs = `${r.seconds.toFixed(1)} s`;
    const what = r.ok && rec !== null
      ? `${rec.status}${rec.status === "completed" ? `, ${resultNote(rec)}` : ""} (${secs})`
      : r.exitCode === 130 ? `interrupted (${secs}; resumes next time)`
        : `FAILED (exit ${r.exitCode ?? r.signal}, ${secs}); log ${projectPath(r.log)}:\n    ` +
          r.tail.split("\n").join("\n    ");
    out(`[${done}/${total}] ${rec?.id ?? "-"} ${r.run.label}: ${what}`);
  },
});
const after = sweepStatus(s);
const failed = results.filter((r) => !r.ok);
if (args.json) {
  out(JSON.stringify({
    executor,
    seconds: (performance.now() - t0) / 1000,
    results: results.map((r) => ({
      index: r.run.index, ok: r.ok, exitCode: r.exitCode, seconds: r.seconds,
      log: projectPath(r.log),
    })),
    status: statusJson(s, after),
  }, null, 2));
} else {
  out(formatStatus(s, after));
  if (failed.length > 0) {
    out(`${failed.length} run(s) did not finish; run the sweep again to retry or resume them`);
  }
}
process.exit(failed.length > 0 ? 1 : 0);
