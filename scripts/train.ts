/**
 * Trains one config (or returns its cached record) and prints where the
 * record is.
 *
 *   npm run train -- --config smoke
 *   npm run train -- --config my-run.json --set optimizer.lr=0.8 --set seed=1
 *   npm run train -- --config smoke --force        # train again
 *   npm run train -- --list                        # the presets
 *
 * --config: a preset name (lib/train/presets.ts) or a JSON file.
 * --set key.path=value: overrides (value is JSON, else a string);
 *   unknown keys are errors that name them.
 * --runs-dir DIR: where records go (default $SGDL_RUNS_DIR, <data>/runs).
 * --wait-timeout SECONDS: how long to wait for another process training
 *   the same run (default: a day).
 * --quiet: no progress output. --json: print the record as JSON.
 *
 * Exit status: 0 when the run completed or diverged (a diverged run is a
 * result), 130 when interrupted (Ctrl-C; the next call resumes from the
 * last checkpoint), 2 for a bad config or arguments, 1 for other errors.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  applyOverrides, ConfigError, parseConfig, PRESETS, preset, recordPath,
  runDirOf, train,
} from "../lib/train";

function usage(msg: string): never {
  process.stderr.write(`train: ${msg}\n` +
    "usage: npm run train -- --config <preset|file.json> [--set key=value ...] " +
    "[--force] [--runs-dir DIR] [--wait-timeout S] [--quiet] [--json] | --list\n");
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      config: { type: "string", short: "c" },
      set: { type: "string", multiple: true, default: [] },
      force: { type: "boolean", default: false },
      "runs-dir": { type: "string" },
      "wait-timeout": { type: "string" },
      quiet: { type: "boolean", short: "q", default: false },
      json: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  usage((err as Error).message);
}

if (args.list) {
  for (const [name, p] of Object.entries(PRESETS)) {
    process.stdout.write(`${name.padEnd(40)} ${p.about}\n`);
  }
  process.exit(0);
}
if (args.config === undefined) usage("--config is required");
const waitTimeout = args["wait-timeout"] === undefined ? undefined : Number(args["wait-timeout"]);
if (waitTimeout !== undefined && !(waitTimeout >= 0)) {
  usage(`--wait-timeout must be a number of seconds, got ${args["wait-timeout"]}`);
}

function loadInput(ref: string): unknown {
  if (ref in PRESETS) return preset(ref);
  if (existsSync(ref)) {
    try {
      return JSON.parse(readFileSync(ref, "utf8"));
    } catch (err) {
      usage(`${ref} is not valid JSON: ${(err as Error).message}`);
    }
  }
  usage(`"${ref}" is neither a preset (--list shows them) nor a file`);
}

let config;
try {
  config = parseConfig(applyOverrides(loadInput(args.config), args.set));
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`train: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

// Ctrl-C / SIGTERM: stop at the next step, record "interrupted", keep
// the checkpoint. A second Ctrl-C exits at once.
const ac = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write(`\ntrain: ${sig}: stopping after this step\n`);
    ac.abort();
  });
}

let record;
try {
  record = await train(config, {
    force: args.force,
    quiet: args.quiet,
    signal: ac.signal,
    ...(args["runs-dir"] !== undefined && { runsDir: args["runs-dir"] }),
    ...(waitTimeout !== undefined && { waitTimeoutMs: 1000 * waitTimeout }),
  });
} catch (err) {
  // Print the message, not a stack through the wasm module's source.
  const e = err as Error;
  process.stderr.write(`train: ${e.name}: ${e.message}\n`);
  if (process.env["SGDL_DEBUG"]) process.stderr.write(`${e.stack}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
const path = recordPath(runDirOf(record.id, args["runs-dir"]));
if (args.json) {
  process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
} else {
  const f = record.final;
  const result = f === null
    ? ""
    : f.testPerplexity !== null
      ? `, test perplexity ${f.testPerplexity.toFixed(2)}`
      : f.testError !== null
        ? `, test error ${(100 * f.testError).toFixed(2)}%`
        : "";
  const where = record.diverged === null
    ? ""
    : ` at epoch ${record.diverged.epoch}, step ${record.diverged.step} ` +
      `(${record.diverged.reason})`;
  process.stdout.write(`${record.status}${where}${result}\n${path}\n`);
}
process.exit(record.status === "interrupted" ? 130 : 0);
