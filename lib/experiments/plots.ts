/**
 * What the section 6 notebooks draw and print, as plain functions: plotly
 * traces for curves and lr sensitivity, table rows in percent, the
 * caption's "where it ran" text, and runPlan with one progress line.
 *
 *   const res = await runPlanWithProgress(p, `6.1 ${profile}`);
 *   const cs = curves(recs, "testError");
 *   await s.figure(name, curveTraces(cs, 1), layout, {
 *     caption: `... (x: diverged); ${whereText(recs)}.`, ... });
 *
 * A diverged run is drawn as an `x` at the top of the axis (`top`), not
 * dropped.
 */
import type { OptimizerName } from "../optim/paper_table";
import { progress } from "../report/progress";
import type { Row } from "../report/table";
import type { PlotTrace } from "../report/types";
import { configHash, type RunRecord } from "../train";
import type { Curve, Sensitivity, SensitivityPoint } from "./analysis";
import { planConfigs } from "./plan";
import { provenanceOf } from "./provenance";
import { runPlan } from "./run";
import type { Plan, PlanResult } from "./types";

/** One color per optimizer, the same in every figure. */
export const OPTIMIZER_COLORS: Record<OptimizerName, string> = {
  adam: "#2ca02c", adadelta: "#9467bd", sgd: "#1f77b4", sgdm: "#ff7f0e", sgdl: "#d62728",
};

/** Colors by position (several lrs of one optimizer). */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

/** The i-th series' color: by position when `byIndex`, else its optimizer's. */
export function traceColor(series: { optimizer: string }, i: number, byIndex = false): string {
  return byIndex ? PALETTE[i % PALETTE.length]!
    : (OPTIMIZER_COLORS as Record<string, string>)[series.optimizer] ?? "#444";
}

/**
 * Curves as traces: the mean over seeds (line), the min-max over seeds
 * (a band, with more than one seed), diverged runs as an `x` at `top`.
 * `byIndex` colors by position (an lr sweep of one optimizer).
 */
export function curveTraces(cs: readonly Curve[], top: number, byIndex = false): PlotTrace[] {
  return cs.flatMap((c, i): PlotTrace[] => {
    const color = traceColor(c, i, byIndex);
    const band: PlotTrace[] = c.runs > 1 && c.x.length > 0 ? [{
      type: "scatter", mode: "lines", legendgroup: c.key, showlegend: false, hoverinfo: "skip",
      x: [...c.x, ...c.x.slice().reverse()], y: [...c.max, ...c.min.slice().reverse()],
      fill: "toself", fillcolor: `${color}33`, line: { width: 0 } }] : [];
    const gone: PlotTrace[] = c.diverged.length === 0 ? [] : [{
      type: "scatter", mode: "markers", name: `${c.label} diverged`, legendgroup: c.key,
      x: c.diverged.map((d) => d.epoch), y: c.diverged.map(() => top),
      marker: { symbol: "x", size: 11, color } }];
    const n = c.runs > 1 ? ` (${c.runs} seeds)` : "";
    return [...band, { type: "scatter", mode: "lines+markers", name: c.label + n,
      legendgroup: c.key, x: c.x, y: c.mean, line: { color, width: 2 }, marker: { size: 5 } },
    ...gone];
  });
}

/**
 * The final metric against the lr (or, with `byFactor`, lr / paper lr),
 * one line per optimizer; an lr at which every run diverged is an `x`
 * at `top`.
 */
export function sensitivityTraces(
  ss: readonly Sensitivity[], top: number, byFactor: boolean,
): PlotTrace[] {
  return ss.flatMap((s, i): PlotTrace[] => {
    const color = traceColor(s, i, false);
    const x = (p: SensitivityPoint) => (byFactor ? p.factor ?? p.lr : p.lr);
    const dead = s.points.filter((p) => p.value === null && p.diverged > 0);
    return [{ type: "scatter", mode: "lines+markers", name: s.label, x: s.points.map(x),
      y: s.points.map((p) => p.value), line: { color }, marker: { size: 7 } },
    ...(dead.length === 0 ? [] : [{ type: "scatter", mode: "markers", name: `${s.label} diverged`,
      x: dead.map(x), y: dead.map(() => top), marker: { symbol: "x", size: 13, color } }])];
  });
}

/** The largest finite value of the curves (where a diverged `x` goes), at least `min`. */
export function curvesTop(cs: readonly Curve[], min: number): number {
  return Math.max(min, ...cs.flatMap((c) => c.max.filter((v) => Number.isFinite(v))));
}

/**
 * Table rows made readable: a column whose name contains "Error" becomes
 * "<name> (%)" in percent with 2 decimals; other numbers keep 4
 * significant digits (integers as they are).
 */
export function readableRows(rows: ReadonlyArray<Record<string, string | number | null>>): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    if (typeof v !== "number") return [k, v];
    if (/Error/.test(k)) return [`${k} (%)`, Number((100 * v).toFixed(2))];
    return [k, Number.isInteger(v) ? v : Number(v.toPrecision(4))];
  })));
}

/** Where runs ran, for a caption: "profile cpu, tfjs wasm (2 threads), CIFAR-10 (real data), seeds 0, 1, 2". */
export function whereText(records: readonly RunRecord[]): string {
  const pv = provenanceOf(records).provenance;
  const seeds = pv.seeds.length === 1 ? `seed ${pv.seeds[0]}` : `seeds ${pv.seeds.join(", ")}`;
  return `profile ${pv.profile}, ${pv.engine}, ${pv.dataset}, ${seeds}`;
}

/**
 * runPlan with one live progress line (`label`), quiet otherwise; the
 * line ends with the count of completed, diverged, failed and unfinished
 * runs, and each failure is printed. A diverged or failed run is a
 * result, not an error.
 */
export async function runPlanWithProgress(plan: Plan, label: string): Promise<PlanResult> {
  const total = new Set(planConfigs(plan).map((c) => configHash(c))).size;
  const bar = progress(label, total);
  const res = await runPlan(plan, {
    quiet: true,
    onProgress: (e) => bar.update(e.index - 1, `${e.label}: epoch ${e.epoch}/${e.epochs}`),
  });
  const seen = new Map<string, string>();
  for (const g of Object.values(res.groups)) {
    for (const o of g.outcomes) seen.set(configHash(o.run.config), o.status);
  }
  const count = (st: string) => [...seen.values()].filter((v) => v === st).length;
  bar.finish(`${seen.size} runs: ${count("completed")} completed, ${count("diverged")} diverged, ` +
    `${count("failed")} failed, ${count("interrupted") + count("missing")} unfinished`);
  for (const f of res.failures) console.log(`FAILED ${f.run.label}: ${f.error}`);
  return res;
}
