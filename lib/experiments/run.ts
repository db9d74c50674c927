/**
 * `runPlan(plan)`: trains every run of a plan in order (or takes it from
 * the run cache), and returns the records grouped as the plan groups
 * them. A diverged run is a result: kept, flagged, drawn. A run that
 * throws (out of memory, missing data) is recorded as a failure and the
 * plan goes on; `result.failures` lists them.
 *
 *   const res = await runPlan(plan("6.1"), { onProgress: (e) => bar(e) });
 *   curves(res.groups["fig4-cifar10-resnet56"].records, "testError");
 *
 * `loadPlan(plan)` reads the records that exist without training (for a
 * report rendered from records).
 */
import {
  cellSignal, configHash, findRecord, type ProgressEvent, type RunRecord, train, type TrainOptions,
} from "../train";
import type { GroupResult, Plan, PlanResult, PlanRun, RunOutcome } from "./types";

/** A trainer event with where it is in the plan. */
export interface PlanProgress extends ProgressEvent {
  /** The group and run being trained (a run shared by groups: its first). */
  group: string;
  label: string;
  /** 1-based position among the plan's distinct runs, and their number. */
  index: number;
  total: number;
}

export interface RunPlanOptions {
  /** Where records live (default $SGDL_RUNS_DIR, else <data>/runs). */
  runsDir?: string;
  /** Train every run again, ignoring cached records (default: true
   * when SGDL_FRESH=1, which `npm run report -- --fresh` sets). */
  fresh?: boolean;
  /**
   * Train nothing: finished records (completed or diverged) are used and
   * every other run is "missing" (default: true when SGDL_CACHED_ONLY=1,
   * which `npm start -- --cached-only` sets).
   */
  cachedOnly?: boolean;
  /** Every trainer event, with the run's place in the plan. */
  onProgress?: (e: PlanProgress) => void;
  /** Print nothing (default: one line per finished run on stderr). */
  quiet?: boolean;
  /** Only these groups (default: all). */
  groups?: string[];
  /** Stops after the current step; the rest is reported "missing". */
  signal?: AbortSignal;
  /** wasm threads (passed to train). */
  threads?: number;
}

interface Job {
  group: string;
  run: PlanRun;
  id: string;
}

function selectGroups(plan: Plan, only: string[] | undefined): string[] {
  const names = Object.keys(plan.groups);
  if (only === undefined) return names;
  const unknown = only.filter((g) => !names.includes(g));
  if (unknown.length > 0) {
    throw new Error(`runPlan: no group ${unknown.map((g) => `"${g}"`).join(", ")} in plan ` +
      `${plan.section}/${plan.profile}; groups: ${names.join(", ")}`);
  }
  return names.filter((n) => only.includes(n));
}

/** The distinct runs of the selected groups, in order (a shared config once). */
function jobsOf(plan: Plan, groups: string[]): Job[] {
  const seen = new Set<string>();
  const jobs: Job[] = [];
  for (const g of groups) {
    for (const run of plan.groups[g]!.runs) {
      const id = configHash(run.config);
      if (seen.has(id)) continue;
      seen.add(id);
      jobs.push({ group: g, run, id });
    }
  }
  return jobs;
}

function outcomeOf(run: PlanRun, record: RunRecord | null, cached: boolean, error: string | null): RunOutcome {
  return {
    run, record, cached, error,
    status: error !== null ? "failed" : record === null ? "missing" : record.status,
  };
}

function assemble(
  plan: Plan, groups: string[], byId: Map<string, RunOutcome>, seconds: number,
): PlanResult {
  const out: Record<string, GroupResult> = {};
  const failures: RunOutcome[] = [];
  const diverged: RunOutcome[] = [];
  const counted = new Set<string>();
  for (const g of groups) {
    const group = plan.groups[g]!;
    const outcomes = group.runs.map((run) => {
      const id = configHash(run.config);
      const o = byId.get(id);
      const mine = o === undefined ? outcomeOf(run, null, false, null) : { ...o, run };
      if (!counted.has(id)) {
        counted.add(id);
        if (mine.status === "failed") failures.push(mine);
        if (mine.status === "diverged") diverged.push(mine);
      }
      return mine;
    });
    const records = outcomes.map((o) => o.record).filter((r): r is RunRecord => r !== null);
    out[g] = { group, records, outcomes };
  }
  return { plan, groups: out, failures, diverged, seconds };
}

function pctText(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : `${(100 * x).toFixed(2)}%`;
}

function describeOutcome(o: RunOutcome): string {
  if (o.status === "failed") return `FAILED: ${o.error}`;
  const r = o.record;
  if (r === null) return "missing";
  const f = r.final;
  const metric = f === null ? "no epoch finished"
    : f.testPerplexity !== null ? `test ppl ${f.testPerplexity.toFixed(1)}`
    : `test error ${pctText(f.testError)}`;
  const where = r.status === "diverged" && r.diverged !== null ? ` at epoch ${r.diverged.epoch}` : "";
  return `${r.status}${where}, ${metric}${o.cached ? " (cached)" : ""}`;
}

/** Trains (or loads from the cache) every run of the plan, in order. */
export async function runPlan(plan: Plan, opts: RunPlanOptions = {}): Promise<PlanResult> {
  const t0 = performance.now();
  const groups = selectGroups(plan, opts.groups);
  const jobs = jobsOf(plan, groups);
  // `npm run report -- --fresh` sets SGDL_FRESH=1 in every kernel.
  const fresh = opts.fresh ?? process.env["SGDL_FRESH"] === "1";
  if (!fresh && (opts.cachedOnly ?? process.env["SGDL_CACHED_ONLY"] === "1")) {
    const loaded = await loadPlan(plan, { ...opts, finishedOnly: true });
    if (opts.quiet !== true) {
      const missing = Object.values(loaded.groups).flatMap((g) => g.outcomes)
        .filter((o) => o.status === "missing").length;
      process.stderr.write(`${plan.section} ${plan.profile}: cached runs only` +
        `${missing === 0 ? "" : `; ${missing} not trained yet (shown as missing)`}\n`);
    }
    return loaded;
  }
  const byId = new Map<string, RunOutcome>();
  // An interrupted notebook cell stops the plan too (train() stops its run).
  const signal = opts.signal ?? cellSignal();
  for (const [i, job] of jobs.entries()) {
    if (signal?.aborted === true) break;
    let cached = false;
    const trainOpts: TrainOptions = {
      quiet: true,
      ...(opts.runsDir !== undefined && { runsDir: opts.runsDir }),
      ...(fresh && { force: true }),
      ...(opts.signal !== undefined && { signal: opts.signal }),
      ...(opts.threads !== undefined && { threads: opts.threads }),
      onProgress: (e) => {
        if (e.phase === "cached") cached = true;
        opts.onProgress?.({ ...e, group: job.group, label: job.run.label, index: i + 1, total: jobs.length });
      },
    };
    let outcome: RunOutcome;
    try {
      const record = await train(job.run.config, trainOpts);
      outcome = outcomeOf(job.run, record, cached, null);
    } catch (err) {
      outcome = outcomeOf(job.run, null, false, err instanceof Error ? err.message : String(err));
    }
    byId.set(job.id, outcome);
    if (opts.quiet !== true) {
      process.stderr.write(`[${i + 1}/${jobs.length}] ${job.group} ${job.run.label}: ` +
        `${describeOutcome(outcome)}\n`);
    }
  }
  return assemble(plan, groups, byId, (performance.now() - t0) / 1000);
}

/**
 * The records of a plan that exist (any status; `finishedOnly`: only
 * completed and diverged ones, the rest "missing"), without training.
 */
export async function loadPlan(
  plan: Plan, opts: Pick<RunPlanOptions, "runsDir" | "groups"> & { finishedOnly?: boolean } = {},
): Promise<PlanResult> {
  const t0 = performance.now();
  const groups = selectGroups(plan, opts.groups);
  const byId = new Map<string, RunOutcome>();
  for (const job of jobsOf(plan, groups)) {
    let outcome: RunOutcome;
    try {
      const found = await findRecord(job.run.config,
        opts.runsDir === undefined ? {} : { runsDir: opts.runsDir });
      const finished = found?.status === "completed" || found?.status === "diverged";
      const record = opts.finishedOnly === true && !finished ? null : found;
      outcome = outcomeOf(job.run, record, record !== null, null);
    } catch (err) {
      outcome = outcomeOf(job.run, null, false, err instanceof Error ? err.message : String(err));
    }
    byId.set(job.id, outcome);
  }
  return assemble(plan, groups, byId, (performance.now() - t0) / 1000);
}
