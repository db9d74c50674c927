/**
 * Lists the run records: id, status, profile, model, dataset,
 * optimizer, lr, seed, epochs done, final test error or perplexity.
 *
 *   npm run runs
 *   npm run runs -- --json              # the records, as a JSON array
 *   npm run runs -- --runs-dir DIR      # default $SGDL_RUNS_DIR, <data>/runs
 *
 * A run being trained right now (its lock held by a live process) shows
 * as "running"; one killed mid-way as "interrupted" (training it again
 * resumes from its checkpoint).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  isLockHeld, readRecord, type RunRecord, runsDir,
} from "../lib/train";

const { values: args } = parseArgs({
  options: {
    "runs-dir": { type: "string" },
    json: { type: "boolean", default: false },
  },
  strict: true,
});

const root = runsDir(args["runs-dir"]);
const ids = existsSync(root) ? readdirSync(root).sort() : [];
const records: RunRecord[] = [];
const rows: string[][] = [];
const problems: string[] = [];
for (const id of ids) {
  const dir = join(root, id);
  let r: RunRecord | null;
  try {
    r = readRecord(dir);
  } catch (err) {
    problems.push(`${id}: ${(err as Error).message}`);
    continue;
  }
  const running = isLockHeld(join(dir, "lock"));
  if (r === null) {
    if (running) rows.push([id, "running", "", "", "", "", "", "", "0", ""]);
    continue;
  }
  records.push(r);
  const c = r.config;
  const f = r.final;
  const result = f === null
    ? "-"
    : f.testPerplexity !== null
      ? `ppl ${f.testPerplexity.toFixed(2)}`
      : f.testError !== null
        ? `err ${(100 * f.testError).toFixed(2)}%`
        : "-";
  const status = running && r.status === "interrupted" ? "running" : r.status;
  rows.push([
    id,
    status + (r.diverged === null ? "" : ` @${r.diverged.epoch}:${r.diverged.step}`),
    r.profile,
    r.model.name,
    r.dataset.standIn === null ? r.dataset.name : `${r.dataset.name}*`,
    c.optimizer.name,
    String(c.optimizer.lr),
    String(r.seed),
    `${r.history.length}/${c.epochs}`,
    result,
  ]);
}

if (args.json) {
  process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
} else if (rows.length === 0) {
  process.stdout.write(`no runs in ${root}\n`);
} else {
  const header = ["id", "status", "profile", "model", "dataset", "optimizer",
    "lr", "seed", "epochs", "final test"];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  for (const r of all) {
    process.stdout.write(`${r.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd()}\n`);
  }
  process.stdout.write(`${records.length} record(s) in ${root}` +
    `${records.some((r) => r.dataset.standIn !== null) ? "; * stand-in data" : ""}\n`);
}
for (const p of problems) process.stderr.write(`runs: unreadable: ${p}\n`);
