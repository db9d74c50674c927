/**
 * One-line views of a plan's result for notebook cells: the records of
 * every group of a kind, and the lr sensitivity with each optimizer's
 * paper lr filled in from the plan.
 *
 *   lrSensitivityOf(res)    // Sensitivity[] over the lr-grid groups
 */
import type { OptimizerName } from "../optim/paper_table";
import type { RunRecord } from "../train";
import { lrSensitivity, type MetricName, type Sensitivity } from "./analysis";
import type { GroupKind, PlanResult } from "./types";

/** The records of every group of a kind, each record once. */
export function recordsOf(result: PlanResult, kind: GroupKind): RunRecord[] {
  const seen = new Set<string>();
  const out: RunRecord[] = [];
  for (const g of Object.values(result.groups)) {
    if (g.group.kind !== kind) continue;
    for (const r of g.records) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
  }
  return out;
}

/** lrSensitivity over the result's lr-grid groups, factors relative to each paper lr. */
export function lrSensitivityOf(result: PlanResult, metric: MetricName = "testError"): Sensitivity[] {
  const paperLr: Partial<Record<OptimizerName, number>> = {};
  for (const g of Object.values(result.groups)) {
    const o = g.group.runs[0]?.optimizer;
    if (g.group.kind === "lr-grid" && o !== undefined && g.group.paperLr !== null) paperLr[o] = g.group.paperLr;
  }
  return lrSensitivity(recordsOf(result, "lr-grid"), metric, paperLr);
}
