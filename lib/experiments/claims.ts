/**
 * The claims of the paper's section 6 (MISSION "Claims to check"), each
 * as a function from run records to {claim, paper, ours, verdict,
 * reason, evidence}:
 * - claimLargerLrHelps:       a larger lr helps vanilla SGD (Fig. 3);
 * - claimSgdlMatchesOrBeats:  SGDL matches or beats SGDM and the adaptive
 *                             methods (Fig. 4, 5, 6, 7);
 * - claimSgdlBeatsSgdmBest:   on ImageNet32 SGDL beats SGDM by ~0.5% best
 *                             accuracy (Fig. 5);
 * - claimSgdlBeatsSgd:        SGDL far outperforms vanilla SGD (Fig. 6);
 * - claimAdamEarlyNotLate:    Adam is fastest early but ends worse than
 *                             SGDL on the LSTM (Fig. 7);
 * - claimAdadeltaPoor:        AdaDelta does poorly (Fig. 5, 7).
 * `sectionClaims(result)` applies the ones that fit each group of a
 * plan's result. Verdicts come from `verdict` (verdict.ts): a
 * difference counts only beyond the seed spread.
 */
import type { Verdict } from "../report/types";
import {
  OPTIMIZER_LABELS, type OptimizerName, PAPER_EXPERIMENTS, type PaperExperiment,
} from "../optim/paper_table";
import { PAPER_CLAIMS, PAPER_FIGURES, type RunClaimKind } from "../paper";
import type { RunRecord } from "../train";
import {
  bestValue, finalStats, finalTable, finalValue, type MetricName, metricValue, type TableRow,
} from "./analysis";
import { fmtLr, pct } from "../report/numbers";
import { type Stats, summarize } from "./stats";
import type { GroupResult, PlanGroup, PlanResult } from "./types";
import { allOf, verdict, type VerdictOptions, type VerdictResult } from "./verdict";

export interface ClaimResult {
  /** Unique across the report: letters, digits, '.', '_', '-'. */
  id: string;
  /** The claim in a few words. */
  claim: string;
  /** What the paper says, in a sentence (its numbers where it gives any). */
  paper: string;
  /** What we found, in a sentence with numbers and the setting. */
  ours: string;
  verdict: Verdict;
  /** Why this verdict: the comparisons behind it, one clause each. */
  reason: string;
  /** The numbers behind it, as table rows. */
  evidence: TableRow[];
}

interface ClaimOptions {
  /** Id prefix, e.g. the plan group's name. */
  id?: string;
}

/** "ResNet-8 on CIFAR-10 (real data), seeds 0, 1, 2". */
export function settingOf(records: readonly RunRecord[]): string {
  const r = records[0];
  if (r === undefined) return "no runs";
  const seeds = [...new Set(records.map((x) => x.seed))].sort((a, b) => a - b);
  const e = r.config.epochs;
  return `${r.model.name} on ${r.dataset.label}, ${e} epoch${e === 1 ? "" : "s"}, ` +
    `seed${seeds.length === 1 ? "" : "s"} ${seeds.join(", ")} (profile ${r.profile})`;
}

function idOf(prefix: string | undefined, name: string): string {
  return (prefix === undefined ? name : `${prefix}-${name}`).replace(/[^A-Za-z0-9._-]+/g, "-");
}

function notRun(id: string, claim: string, paper: string, what: string): ClaimResult {
  return { id, claim, paper, ours: `not run: ${what}`, verdict: "not run", reason: what, evidence: [] };
}

function of(records: readonly RunRecord[], o: OptimizerName): RunRecord[] {
  return records.filter((r) => r.config.optimizer.name === o);
}

/** Stats of a metric's final (or best) value over an optimizer's completed runs. */
function statsOf(
  records: readonly RunRecord[], o: OptimizerName, metric: MetricName, which: "final" | "best" = "final",
): Stats | null {
  return summarize(of(records, o).map((r) => (which === "final" ? finalValue(r, metric) : bestValue(r, metric))));
}

function divergedNote(records: readonly RunRecord[], o: OptimizerName): string | null {
  const mine = of(records, o);
  const d = mine.filter((r) => r.status === "diverged").length;
  return d === 0 ? null : `${OPTIMIZER_LABELS[o]} diverged in ${d} of ${mine.length} runs`;
}

/** More than half of an optimizer's runs diverged. */
function mostlyDiverged(records: readonly RunRecord[], o: OptimizerName): boolean {
  const mine = of(records, o);
  return mine.length > 0 && mine.filter((r) => r.status === "diverged").length * 2 > mine.length;
}

type Unit = NonNullable<VerdictOptions["unit"]>;

function unitOf(metric: MetricName): Unit {
  return metric.includes("Perplexity") ? "perplexity" : metric.includes("Error") ? "error" : "raw";
}

function show(s: Stats | null, unit: Unit): string {
  if (s === null) return "n/a";
  const f = (x: number) => (unit === "error" ? pct(x) : unit === "perplexity" ? x.toFixed(1) : x.toPrecision(4));
  return s.n > 1 ? `${f(s.mean)} ± ${f(s.std)}` : f(s.mean);
}

function joinReasons(vs: ReadonlyArray<VerdictResult | string | null>): string {
  return vs.filter((v): v is VerdictResult | string => v !== null)
    .map((v) => (typeof v === "string" ? v : `${v.verdict}: ${v.reason}`)).join("; ");
}

/**
 * Fig. 3: vanilla SGD with a larger lr ends with a lower test error.
 * Compares the final test error of the runs with lr >= `split` (default
 * 0.5: 0.6, 0.8, 1.0) with those below (0.2, 0.4), every run a sample
 * (so the spread covers lr-to-lr differences too). Diverged large-lr
 * runs are counted against the claim if most of them diverged.
 */
export function claimLargerLrHelps(
  records: readonly RunRecord[], opts: ClaimOptions & { split?: number } = {},
): ClaimResult {
  const split = opts.split ?? 0.5;
  const id = idOf(opts.id, "larger-lr-helps-sgd");
  const { claim, paper } = PAPER_CLAIMS["larger-lr-helps-sgd"];
  const sgd = of(records, "sgd");
  const small = sgd.filter((r) => r.config.optimizer.lr < split);
  const large = sgd.filter((r) => r.config.optimizer.lr >= split);
  if (small.length === 0 || large.length === 0) {
    return notRun(id, claim, paper, `needs SGD runs with lr below and above ${split}`);
  }
  const fin = (rs: RunRecord[]) => summarize(rs.map((r) => finalValue(r, "testError")));
  const lrs = (rs: RunRecord[]) => [...new Set(rs.map((r) => fmtLr(r.config.optimizer.lr)))].join(", ");
  const v = verdict(fin(large), fin(small), { a: `lr ${lrs(large)}`, b: `lr ${lrs(small)}` }, { unit: "error" });
  const bad = large.filter((r) => r.status === "diverged").length;
  let result = v.verdict;
  let extra: string | null = null;
  if (bad > 0) {
    extra = `${bad} of ${large.length} large-lr runs diverged`;
    if (bad * 2 > large.length) result = "not supported";
  }
  const evidence = finalTable(sgd, ["trainError", "testError"]);
  const byLr = evidence.map((r) => `lr ${r["lr"]}: ${r["testError"] === null ? "diverged" : pct(r["testError"] as number)}`);
  return {
    id, claim, paper,
    ours: `Final test error by lr: ${byLr.join(", ")} (${settingOf(sgd)}).`,
    verdict: result, reason: joinReasons([v, extra]), evidence,
  };
}

/**
 * Fig. 4-7: SGDL's final test metric matches or beats SGDM's, Adam's and
 * AdaDelta's (each "noWorse"; all must hold). `tolerance`: a difference
 * that counts as a match (default: 0.5 points of error, the size of the
 * paper's own ImageNet32 margin; 1% of the baseline for perplexity).
 */
export function claimSgdlMatchesOrBeats(
  records: readonly RunRecord[],
  opts: ClaimOptions & { metric?: MetricName; tolerance?: number } = {},
): ClaimResult {
  const metric = opts.metric ?? "testError";
  const unit = unitOf(metric);
  const id = idOf(opts.id, "sgdl-matches-or-beats");
  const { claim, paper } = PAPER_CLAIMS["sgdl-matches-or-beats"];
  const sgdl = statsOf(records, "sgdl", metric);
  if (of(records, "sgdl").length === 0) return notRun(id, claim, paper, "no SGDL runs");
  const others: OptimizerName[] = ["sgdm", "adam", "adadelta"];
  const vs: VerdictResult[] = [];
  for (const o of others) {
    if (of(records, o).length === 0) continue;
    const b = statsOf(records, o, metric);
    const tol = opts.tolerance ?? (unit === "perplexity" ? 0.01 * (b?.mean ?? 0) : 0.005);
    vs.push(verdict(sgdl, b, { a: "SGDL", b: OPTIMIZER_LABELS[o] }, { claim: "noWorse", tolerance: tol, unit }));
  }
  let result = allOf(vs);
  const dn = divergedNote(records, "sgdl");
  if (mostlyDiverged(records, "sgdl")) result = "not supported";
  const parts = (["sgdl", ...others] as OptimizerName[])
    .filter((o) => of(records, o).length > 0)
    .map((o) => `${OPTIMIZER_LABELS[o]} ${show(statsOf(records, o, metric), unit)}`);
  return {
    id, claim, paper,
    ours: `Final ${label(metric)}: ${parts.join(", ")} (${settingOf(records)}).`,
    verdict: result, reason: joinReasons([...vs, dn]),
    evidence: finalTable(records),
  };
}

function label(metric: MetricName): string {
  return metric.replace(/([A-Z])/g, " $1").toLowerCase().replace("top5", "top-5");
}

/**
 * Fig. 5: SGDL's best top-1 accuracy beats SGDM's "slightly about 0.5%"
 * (the best epoch's test error, lower is better).
 */
export function claimSgdlBeatsSgdmBest(records: readonly RunRecord[], opts: ClaimOptions = {}): ClaimResult {
  const id = idOf(opts.id, "sgdl-beats-sgdm-best-top1");
  const { claim, paper } = PAPER_CLAIMS["sgdl-beats-sgdm-best-top1"];
  if (of(records, "sgdl").length === 0 || of(records, "sgdm").length === 0) {
    return notRun(id, claim, paper, "needs SGDL and SGDM runs");
  }
  const a = statsOf(records, "sgdl", "testError", "best");
  const b = statsOf(records, "sgdm", "testError", "best");
  const v = verdict(a, b, { a: "SGDL", b: "SGDM" }, { unit: "error" });
  const top5 = finalStats(records, "testTop5Error");
  const t5 = top5.map((f) => `${f.label} ${show(f.best, "error")}`).join(", ");
  return {
    id, claim, paper,
    ours: `Best top-1 test error: SGDL ${show(a, "error")}, SGDM ${show(b, "error")}; best top-5: ${t5} ` +
      `(${settingOf(records)}).`,
    verdict: v.verdict, reason: joinReasons([v, divergedNote(records, "sgdl")]),
    evidence: finalTable(records, ["trainError", "testError", "testTop5Error"]),
  };
}

/** Fig. 6: SGDL "outperforms vanilla SGD exceedingly" (final test error). */
export function claimSgdlBeatsSgd(
  records: readonly RunRecord[], opts: ClaimOptions & { metric?: MetricName } = {},
): ClaimResult {
  const metric = opts.metric ?? "testError";
  const unit = unitOf(metric);
  const id = idOf(opts.id, "sgdl-beats-sgd");
  const { claim, paper } = PAPER_CLAIMS["sgdl-beats-sgd"];
  if (of(records, "sgdl").length === 0 || of(records, "sgd").length === 0) {
    return notRun(id, claim, paper, "needs SGDL and SGD runs");
  }
  const a = statsOf(records, "sgdl", metric);
  const b = statsOf(records, "sgd", metric);
  const v = verdict(a, b, { a: "SGDL", b: "SGD" }, { unit });
  return {
    id, claim, paper,
    ours: `Final ${label(metric)}: SGDL ${show(a, unit)}, SGD ${show(b, unit)} (${settingOf(records)}).`,
    verdict: mostlyDiverged(records, "sgdl") ? "not supported" : v.verdict,
    reason: joinReasons([v, divergedNote(records, "sgdl")]),
    evidence: finalTable(records),
  };
}

/** The metric at the first epoch every run of the records evaluated. */
function firstEvalEpoch(records: readonly RunRecord[], metric: MetricName): number | null {
  const firsts = records.map((r) => r.history.find((m) => metricValue(m, metric) !== null)?.epoch);
  const known = firsts.filter((e): e is number => e !== undefined);
  return known.length === 0 ? null : Math.max(...known);
}

/**
 * Fig. 7: Adam is the fastest at first (lowest test perplexity at the
 * first evaluated epoch, against every other optimizer) but ends worse
 * than SGDL (final test perplexity). Both parts must hold.
 */
export function claimAdamEarlyNotLate(
  records: readonly RunRecord[], opts: ClaimOptions & { metric?: MetricName } = {},
): ClaimResult {
  const metric = opts.metric ?? "testPerplexity";
  const unit = unitOf(metric);
  const id = idOf(opts.id, "adam-fast-early-worse-late");
  const { claim, paper } = PAPER_CLAIMS["adam-fast-early-worse-late"];
  if (of(records, "adam").length === 0 || of(records, "sgdl").length === 0) {
    return notRun(id, claim, paper, "needs Adam and SGDL runs");
  }
  const epoch = firstEvalEpoch(records, metric);
  const at = (o: OptimizerName) => summarize(of(records, o).map((r) => {
    const m = r.history.find((h) => h.epoch === epoch);
    return m === undefined ? null : metricValue(m, metric);
  }));
  const early: VerdictResult[] = [];
  const earlyText: string[] = [];
  for (const o of ["sgd", "sgdm", "adadelta", "sgdl"] as OptimizerName[]) {
    if (of(records, o).length === 0) continue;
    const v = verdict(at("adam"), at(o), { a: "Adam", b: OPTIMIZER_LABELS[o] }, { unit });
    early.push(v);
    earlyText.push(`${OPTIMIZER_LABELS[o]} ${show(at(o), unit)}`);
  }
  const late = verdict(statsOf(records, "sgdl", metric), statsOf(records, "adam", metric),
    { a: "SGDL", b: "Adam" }, { unit });
  return {
    id, claim, paper,
    ours: `${label(metric)} at epoch ${epoch}: Adam ${show(at("adam"), unit)} vs ${earlyText.join(", ")}; ` +
      `final: SGDL ${show(statsOf(records, "sgdl", metric), unit)}, Adam ${show(statsOf(records, "adam", metric), unit)} ` +
      `(${settingOf(records)}).`,
    verdict: allOf([...early, late]),
    reason: joinReasons([
      ...early.map((v) => `early (epoch ${epoch}) ${v.verdict}: ${v.reason}`),
      `final ${late.verdict}: ${late.reason}`, divergedNote(records, "sgdl"),
    ]),
    evidence: finalTable(records),
  };
}

/**
 * Fig. 5, 7: AdaDelta does poorly: its final test metric is worse than
 * both SGDL's and SGDM's.
 */
export function claimAdadeltaPoor(
  records: readonly RunRecord[], opts: ClaimOptions & { metric?: MetricName } = {},
): ClaimResult {
  const metric = opts.metric ?? "testError";
  const unit = unitOf(metric);
  const id = idOf(opts.id, "adadelta-poor");
  const { claim, paper } = PAPER_CLAIMS["adadelta-poor"];
  if (of(records, "adadelta").length === 0) return notRun(id, claim, paper, "no AdaDelta runs");
  const ad = statsOf(records, "adadelta", metric);
  const vs = (["sgdl", "sgdm"] as OptimizerName[])
    .filter((o) => of(records, o).length > 0)
    .map((o) => verdict(statsOf(records, o, metric), ad, { a: OPTIMIZER_LABELS[o], b: "AdaDelta" }, { unit }));
  // AdaDelta diverging is "doing poorly" too.
  const result = mostlyDiverged(records, "adadelta") ? "supported" : allOf(vs);
  return {
    id, claim, paper,
    ours: `Final ${label(metric)}: AdaDelta ${show(ad, unit)}, SGDL ${show(statsOf(records, "sgdl", metric), unit)}, ` +
      `SGDM ${show(statsOf(records, "sgdm", metric), unit)} (${settingOf(records)}).`,
    verdict: result, reason: joinReasons([...vs, divergedNote(records, "adadelta")]),
    evidence: finalTable(records),
  };
}

/** The judge of each kind of claim about a group's runs (lib/paper's ClaimKind). */
const JUDGES: Readonly<Record<
  RunClaimKind,
  (records: readonly RunRecord[], opts: { id: string; metric: MetricName }) => ClaimResult
>> = {
  "larger-lr-helps-sgd": (rs, o) => claimLargerLrHelps(rs, { id: o.id }),
  "sgdl-matches-or-beats": claimSgdlMatchesOrBeats,
  "sgdl-beats-sgdm-best-top1": (rs, o) => claimSgdlBeatsSgdmBest(rs, { id: o.id }),
  "sgdl-beats-sgd": claimSgdlBeatsSgd,
  "adam-fast-early-worse-late": claimAdamEarlyNotLate,
  "adadelta-poor": claimAdadeltaPoor,
};

/** The test metric a group's claims compare: perplexity for language models, else error. */
function claimMetric(group: PlanGroup): MetricName {
  return group.metric === "perplexity" ? "testPerplexity" : "testError";
}

/** The claims about one group of runs: those its figure (lib/paper) is the evidence for. */
export function groupClaims(g: GroupResult): ClaimResult[] {
  const kinds = PAPER_FIGURES[g.group.figure].claims;
  return kinds.map((k) => JUDGES[k](g.records, { id: g.group.name, metric: claimMetric(g.group) }));
}

/**
 * Every claim that applies to a plan's results, group by group, as
 * each group's figure declares (lib/paper's PAPER_FIGURES). Ids are
 * prefixed with the group name.
 */
export function sectionClaims(result: PlanResult): ClaimResult[] {
  return Object.values(result.groups).flatMap(groupClaims);
}

/**
 * Table 1 and A.3.1: SGDL's lr is at least 10 times SGDM's in every
 * experiment the paper reports (a claim about the paper's own numbers).
 */
export function claimSgdlLrRule(experiments: readonly PaperExperiment[] = PAPER_EXPERIMENTS): ClaimResult {
  const { claim, paper } = PAPER_CLAIMS["sgdl-lr-rule"];
  const ratios = experiments.map((e) => e.optimizers.sgdl.lr / e.optimizers.sgdm.lr);
  const low = experiments.filter((_, i) => ratios[i]! < 10 - 1e-9);
  const shown = [...new Set(ratios.map((r) => Number(r.toPrecision(4))))].sort((a, b) => a - b);
  return {
    id: "table1-sgdl-lr-rule", claim, paper,
    ours: `The paper's SGDL / SGDM lr ratios are ${shown.join(", ")} over its ${experiments.length} experiments.`,
    verdict: experiments.length === 0 ? "not run" : low.length === 0 ? "supported" : "not supported",
    reason: low.length === 0 ? "every one is at least 10" : `below 10: ${low.map((e) => e.id).join(", ")}`,
    evidence: experiments.map((e, i) => ({ experiment: e.id, "SGDL lr / SGDM lr": Number(ratios[i]!.toPrecision(4)) })),
  };
}

/**
 * A claim in the form lib/report's `section(...).claim` takes:
 * `s.claim(claimInput(c, ["fig4-test-error"]))`.
 */
export function claimInput(c: ClaimResult, evidence: string[] = []): {
  id: string; paper: string; ours: string; verdict: Verdict; evidence: string[];
} {
  return { id: c.id, paper: c.paper, ours: `${c.ours} ${c.reason}.`, verdict: c.verdict, evidence };
}

/**
 * The toolchain notebook's claim (Theorem 2 on a quadratic with
 * interpolation and unit-norm components): the run at `lr` converges,
 * its final squared error below `tol` times its first. Inconclusive at
 * lr >= 2, where the theorem promises nothing.
 */
export function claimConstantStep(
  errors: readonly number[], lr: number, profile: string, tol = 1e-3,
): ClaimResult {
  const { claim, paper } = PAPER_CLAIMS["constant-step-converges"];
  const first = errors[0];
  const last = errors[errors.length - 1];
  if (first === undefined || last === undefined) {
    return notRun("toolchain-constant-step", claim, paper, "no steps were run");
  }
  const converged = last < tol * first;
  return {
    id: "toolchain-constant-step", claim, paper,
    ours: `At lr = ${lr} the squared error fell from ${first.toExponential(2)} ` +
      `to ${last.toExponential(2)} in ${errors.length} steps (profile ${profile}).`,
    verdict: lr >= 2 ? "inconclusive" : converged ? "supported" : "not supported",
    reason: lr >= 2 ? "lr is at or above the threshold 2, where the theorem says nothing"
      : `the final error is ${converged ? "below" : "not below"} ${tol} times the first`,
    evidence: [{ lr, "first ||x - x*||^2": first, "final ||x - x*||^2": last }],
  };
}
