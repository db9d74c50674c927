/**
 * lib/experiments: the deep-learning experiments of the paper's section
 * 6 as plans of runs at three sizes, the runner, and the analysis a
 * notebook cell calls (each returns plain data ready to plot or
 * tabulate).
 *
 * - plan:       plan(section, profile) -> named figure groups of train
 *               configs + the paper's settings beside ours; allPlans,
 *               planConfigs, runConfig, paperConfig, paperLr
 * - scales:     the cpu and smoke reductions (data, model, epochs, ...)
 * - settings:   settingRows (the "reductions" table)
 * - budget:     estimateSeconds(config), estimatePlan(s), planSummary,
 *               THROUGHPUT (measured examples/s per engine and model)
 * - run:        runPlan (train or load from cache, grouped; diverged
 *               runs kept, failures listed), loadPlan (records only)
 * - analysis:   curves, finalStats, finalTable, lrSensitivity,
 *               timeToTarget, topK, perplexity, seriesOf
 * - stats:      summarize (mean, std, min, max, n)
 * - verdict:    verdict (supported / not supported / inconclusive with
 *               a one-line reason), allOf
 * - claims:     one judge per claim of section 6 and Table 1, dispatched
 *               by lib/paper's figure declarations (groupClaims,
 *               sectionClaims), claimInput (for lib/report's claim)
 * - views:      recordsOf(result, kind), lrSensitivityOf(result)
 * - provenance: provenanceOf(records) -> one line + lib/report Provenance
 * - describe:   dataset sizes, one-line descriptions of configs
 *   (number formats: lib/report's numbers, re-exported: fmtLr, pct, points)
 * - plots:      curveTraces, sensitivityTraces (plotly traces, diverged
 *               runs as 'x'), curvesTop, readableRows, whereText,
 *               runPlanWithProgress (runPlan with a progress line)
 * - notebook:   claimBook (a section's claims and the figures that are
 *               their evidence), curveFigures (metric-by-epoch figures),
 *               reductionsTable (the paper's settings beside ours)
 * - figures:    openSection (a section 6 notebook: trains or loads its
 *               plan, then one call per figure of the paper as lib/paper
 *               declares it, verdicts under it), planText
 * - try_lr:     tryLr (the try-a-learning-rate notebook: one run at any
 *               lr, trained with live progress, drawn beside the cached)
 */
export { allPlans, paperConfig, paperLr, plan, planConfigs, runConfig } from "./plan";
export { sectionScale } from "./scales";
export type { Scale, SectionScale } from "./scales";
export { settingRows } from "./settings";
export {
  estimatePlan, estimatePlans, estimateSeconds, evaluations, modelKey, planSummary,
  evaluatedExamples, RUN_OVERHEAD_SECONDS, THROUGHPUT, throughputOf, type BudgetEngine,
} from "./budget";
export type { PlanEstimate, PlanSummaryRow, Throughput } from "./budget";
export { loadPlan, runPlan } from "./run";
export type { PlanProgress, RunPlanOptions } from "./run";
export {
  bestValue, curves, defaultMetrics, finalStats, finalTable, finalValue, lrSensitivity,
  metricValue, perplexity, seriesOf, timeToTarget, topK,
} from "./analysis";
export type {
  Curve, DivergedRun, FinalStats, MetricName, PerplexityRow, RunToTarget, Sensitivity,
  SensitivityPoint, Series, SeriesToTarget, TableRow, TimeToTarget, TopKRow,
} from "./analysis";
export { diffStdError, summarize } from "./stats";
export type { Stats } from "./stats";
export { allOf, verdict } from "./verdict";
export type { VerdictOptions, VerdictResult } from "./verdict";
export {
  claimAdadeltaPoor, claimAdamEarlyNotLate, claimInput, claimLargerLrHelps,
  claimConstantStep, claimSgdlBeatsSgd, claimSgdlBeatsSgdmBest, claimSgdlLrRule, claimSgdlMatchesOrBeats, groupClaims,
  sectionClaims, settingOf,
} from "./claims";
export type { ClaimResult } from "./claims";
export { lrSensitivityOf, recordsOf } from "./views";
export { commitText, engineText, provenanceOf } from "./provenance";
export type { RunProvenance } from "./provenance";
export {
  describeData, describeEval, describeModel, describeOptimizer, describeSchedule,
  splitSizes,
} from "./describe";
export { fmtLr, pct, points } from "../report/numbers";
export {
  curvesTop, curveTraces, OPTIMIZER_COLORS, PALETTE, readableRows, runPlanWithProgress,
  sensitivityTraces, traceColor, whereText,
} from "./plots";
export { claimBook, curveFigures, reductionsTable } from "./notebook";
export type { ClaimBook, CurveFigure, CurveFigureOptions } from "./notebook";
export { openSection, planText, sectionView } from "./figures";
export type { SectionView } from "./figures";
export { PROFILES, SECTIONS } from "./types";
export { tryLr } from "./try_lr";
export type { TryLr, TryLrOptions, TryLrResult } from "./try_lr";
export type {
  DataOrigin, GroupKind, GroupResult, MetricKind, Plan, PlanGroup, PlanResult, PlanRun, Profile,
  RunOutcome, SectionId, SettingRow,
} from "./types";
