/**
 * Pure functions from run records to plain data a notebook plots or
 * tabulates: curves by epoch (mean and spread over seeds), final
 * metrics, lr sensitivity, time to a target, top-1/top-5, perplexity.
 * Records are grouped into series by optimizer (and by lr when one
 * optimizer appears at several lrs: Fig. 3, lr grids). Errors are
 * fractions (0.25 = 25%).
 *
 * Diverged runs are kept: a curve shows them up to where they stopped
 * (`diverged` lists them, `n` per epoch counts the runs behind each
 * point); final statistics use completed runs only and count the
 * diverged ones beside them.
 */
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, type OptimizerName } from "../optim/paper_table";
import type { MetricName } from "../paper";
import type { EpochMetrics, RunRecord } from "../train";
import { fmtLr } from "../report/numbers";
import { type Stats, summarize } from "./stats";

/** A per-epoch metric of the records' history. */
export type { MetricName };

/** The value of a metric in one epoch's row (null when not measured). */
export function metricValue(m: EpochMetrics, metric: MetricName): number | null {
  const v = m[metric];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Records of one optimizer (and lr, when needed): one line of a figure. */
export interface Series {
  /** "sgdl", or "sgd@0.4" when the optimizer comes at several lrs. */
  key: string;
  /** "SGDL", "SGD lr 0.4". */
  label: string;
  optimizer: OptimizerName;
  /** The lr (the first record's when the series mixes lrs). */
  lr: number;
  records: RunRecord[];
}

/**
 * Splits records into series, in Table 1's optimizer order, then by lr.
 * `by`: "optimizer" (all lrs of an optimizer together), "lr" (one series
 * per optimizer and lr) or "auto" (by lr only for an optimizer that
 * comes at several lrs).
 */
export function seriesOf(
  records: readonly RunRecord[],
  by: "auto" | "optimizer" | "lr" = "auto",
): Series[] {
  const out: Series[] = [];
  for (const o of OPTIMIZER_NAMES) {
    const mine = records.filter((r) => r.config.optimizer.name === o);
    if (mine.length === 0) continue;
    const lrs = [...new Set(mine.map((r) => r.config.optimizer.lr))].sort((a, b) => a - b);
    const split = by === "lr" || (by === "auto" && lrs.length > 1);
    if (!split) {
      out.push({
        key: o, label: OPTIMIZER_LABELS[o], optimizer: o, lr: mine[0]!.config.optimizer.lr,
        records: sortBySeed(mine),
      });
      continue;
    }
    for (const lr of lrs) {
      out.push({
        key: `${o}@${fmtLr(lr)}`, label: `${OPTIMIZER_LABELS[o]} lr ${fmtLr(lr)}`,
        optimizer: o, lr, records: sortBySeed(mine.filter((r) => r.config.optimizer.lr === lr)),
      });
    }
  }
  return out;
}

function sortBySeed(rs: RunRecord[]): RunRecord[] {
  return [...rs].sort((a, b) => a.seed - b.seed);
}

/** Where a run diverged. */
export interface DivergedRun {
  seed: number;
  lr: number;
  /** The epoch in which it diverged (1-based). */
  epoch: number;
  reason: string;
}

function divergedOf(records: readonly RunRecord[]): DivergedRun[] {
  return records.filter((r) => r.status === "diverged").map((r) => ({
    seed: r.seed,
    lr: r.config.optimizer.lr,
    epoch: r.diverged?.epoch ?? r.history.length + 1,
    reason: r.diverged?.reason ?? "diverged",
  }));
}

/** One line of a figure: a metric by epoch, mean and spread over seeds. */
export interface Curve {
  key: string;
  label: string;
  optimizer: OptimizerName;
  lr: number;
  metric: MetricName;
  /** Epochs (1-based) where at least one run measured the metric. */
  x: number[];
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  /** Runs behind each point (fewer after a run diverged). */
  n: number[];
  /** Runs in the series, their seeds, and the diverged ones. */
  runs: number;
  seeds: number[];
  diverged: DivergedRun[];
}

/** A metric by epoch per series (default: test error). */
export function curves(
  records: readonly RunRecord[],
  metric: MetricName = "testError",
  by: "auto" | "optimizer" | "lr" = "auto",
): Curve[] {
  return seriesOf(records, by).map((s) => {
    const epochs = [...new Set(s.records.flatMap((r) =>
      r.history.filter((m) => metricValue(m, metric) !== null).map((m) => m.epoch)))]
      .sort((a, b) => a - b);
    const c: Curve = {
      key: s.key, label: s.label, optimizer: s.optimizer, lr: s.lr, metric,
      x: [], mean: [], std: [], min: [], max: [], n: [],
      runs: s.records.length, seeds: s.records.map((r) => r.seed),
      diverged: divergedOf(s.records),
    };
    for (const e of epochs) {
      const st = summarize(s.records.map((r) => {
        const row = r.history.find((m) => m.epoch === e);
        return row === undefined ? null : metricValue(row, metric);
      }));
      if (st === null) continue;
      c.x.push(e);
      c.mean.push(st.mean);
      c.std.push(st.std);
      c.min.push(st.min);
      c.max.push(st.max);
      c.n.push(st.n);
    }
    return c;
  });
}

/** The final (and best) value of a metric per series, over completed runs. */
export interface FinalStats {
  key: string;
  label: string;
  optimizer: OptimizerName;
  lr: number;
  metric: MetricName;
  runs: number;
  completed: number;
  diverged: number;
  /** Interrupted runs (not finished; left out). */
  interrupted: number;
  seeds: number[];
  /** The metric after the last epoch. */
  final: Stats | null;
  /** The lowest value over the evaluated epochs (the paper's "best accuracy"). */
  best: Stats | null;
  divergedRuns: DivergedRun[];
}

/** The value of a metric after the last epoch of a completed run. */
export function finalValue(r: RunRecord, metric: MetricName): number | null {
  if (r.status !== "completed") return null;
  const last = r.history.at(-1);
  return last === undefined ? null : metricValue(last, metric);
}

/** The lowest value of a metric over a completed run's epochs. */
export function bestValue(r: RunRecord, metric: MetricName): number | null {
  if (r.status !== "completed") return null;
  const vs = r.history.map((m) => metricValue(m, metric)).filter((v): v is number => v !== null);
  return vs.length === 0 ? null : Math.min(...vs);
}

export function finalStats(
  records: readonly RunRecord[],
  metric: MetricName = "testError",
  by: "auto" | "optimizer" | "lr" = "auto",
): FinalStats[] {
  return seriesOf(records, by).map((s) => ({
    key: s.key, label: s.label, optimizer: s.optimizer, lr: s.lr, metric,
    runs: s.records.length,
    completed: s.records.filter((r) => r.status === "completed").length,
    diverged: s.records.filter((r) => r.status === "diverged").length,
    interrupted: s.records.filter((r) => r.status === "interrupted").length,
    seeds: s.records.map((r) => r.seed),
    final: summarize(s.records.map((r) => finalValue(r, metric))),
    best: summarize(s.records.map((r) => bestValue(r, metric))),
    divergedRuns: divergedOf(s.records),
  }));
}

/** A flat row of finalTable: plain numbers and strings. */
export type TableRow = Record<string, string | number | null>;

/** The default metrics of a table: errors for classifiers, perplexities for language models. */
export function defaultMetrics(records: readonly RunRecord[]): MetricName[] {
  const has = (m: MetricName) => records.some((r) => r.history.some((h) => metricValue(h, m) !== null));
  if (has("testPerplexity") || has("trainPerplexity")) return ["trainPerplexity", "testPerplexity"];
  const out: MetricName[] = ["trainError", "testError"];
  if (has("testTop5Error")) out.push("testTop5Error");
  return out;
}

/**
 * The final-metrics table: one row per series, for each metric its mean,
 * std, min and max over completed seeds (columns `testError`,
 * `testErrorStd`, `testErrorMin`, `testErrorMax`), and for test metrics
 * the best epoch's mean (`bestTestError`).
 */
export function finalTable(
  records: readonly RunRecord[],
  metrics: readonly MetricName[] = defaultMetrics(records),
): TableRow[] {
  const series = seriesOf(records);
  const perMetric = metrics.map((m) => finalStats(records, m));
  return series.map((s, i) => {
    const row: TableRow = {
      optimizer: s.label, lr: s.lr, runs: s.records.length,
      diverged: s.records.filter((r) => r.status === "diverged").length,
      seeds: s.records.map((r) => r.seed).join(", "),
    };
    metrics.forEach((m, j) => {
      const f = perMetric[j]![i]!;
      row[m] = f.final?.mean ?? null;
      row[`${m}Std`] = f.final?.std ?? null;
      row[`${m}Min`] = f.final?.min ?? null;
      row[`${m}Max`] = f.final?.max ?? null;
      if (m.startsWith("test")) row[`best${m[0]!.toUpperCase()}${m.slice(1)}`] = f.best?.mean ?? null;
    });
    return row;
  });
}

/** One lr of a sensitivity curve. */
export interface SensitivityPoint {
  lr: number;
  /** lr / the optimizer's paper lr (null when not given). */
  factor: number | null;
  /** Mean final metric of the completed runs (null: all diverged). */
  value: number | null;
  std: number | null;
  /** Completed runs behind `value`. */
  n: number;
  runs: number;
  /** Runs at this lr that diverged: drawn as such, not dropped. */
  diverged: number;
}

export interface Sensitivity {
  optimizer: OptimizerName;
  label: string;
  paperLr: number | null;
  points: SensitivityPoint[];
  /** The grid's best lr (lowest mean final metric), null if all diverged. */
  best: { lr: number; value: number } | null;
}

/**
 * Final metric against lr, per optimizer (the lr-sensitivity figure).
 * `paperLr` gives each optimizer's reference lr, for `factor`.
 */
export function lrSensitivity(
  records: readonly RunRecord[],
  metric: MetricName = "testError",
  paperLr: Partial<Record<OptimizerName, number>> = {},
): Sensitivity[] {
  const out: Sensitivity[] = [];
  for (const o of OPTIMIZER_NAMES) {
    const series = seriesOf(records.filter((r) => r.config.optimizer.name === o), "lr");
    if (series.length === 0) continue;
    const ref = paperLr[o] ?? null;
    const points = series.map((s): SensitivityPoint => {
      const st = summarize(s.records.map((r) => finalValue(r, metric)));
      return {
        lr: s.lr,
        factor: ref === null ? null : Number((s.lr / ref).toPrecision(6)),
        value: st?.mean ?? null,
        std: st?.std ?? null,
        n: st?.n ?? 0,
        runs: s.records.length,
        diverged: s.records.filter((r) => r.status === "diverged").length,
      };
    });
    let best: Sensitivity["best"] = null;
    for (const p of points) {
      if (p.value !== null && (best === null || p.value < best.value)) best = { lr: p.lr, value: p.value };
    }
    out.push({ optimizer: o, label: OPTIMIZER_LABELS[o], paperLr: ref, points, best });
  }
  return out;
}

/** When one run first reached the target. */
export interface RunToTarget {
  key: string;
  label: string;
  optimizer: OptimizerName;
  lr: number;
  seed: number;
  status: RunRecord["status"];
  /** First epoch with metric <= target (null: never). */
  epoch: number | null;
  /** Cumulative wall seconds (training and evaluation) at that epoch. */
  seconds: number | null;
  /** Cumulative training seconds only (evaluation cadences differ). */
  trainSeconds: number | null;
}

export interface SeriesToTarget {
  key: string;
  label: string;
  optimizer: OptimizerName;
  lr: number;
  runs: number;
  /** Runs that reached the target. */
  reached: number;
  /** Over the runs that reached it. */
  epochs: Stats | null;
  seconds: Stats | null;
  trainSeconds: Stats | null;
}

export interface TimeToTarget {
  metric: MetricName;
  target: number;
  runs: RunToTarget[];
  series: SeriesToTarget[];
}

/**
 * Epochs and seconds until a run first reaches `target` (metric <=
 * target: errors, perplexities, losses). Default target: the mean final
 * value of SGDM (what the baseline ends with), else the median of the
 * series' mean finals.
 */
export function timeToTarget(
  records: readonly RunRecord[],
  metric: MetricName = "testError",
  target: number | null = null,
): TimeToTarget {
  const goal = target ?? defaultTarget(records, metric);
  const series = seriesOf(records);
  const runs: RunToTarget[] = [];
  const agg: SeriesToTarget[] = series.map((s) => {
    const mine = s.records.map((r): RunToTarget => {
      let train = 0;
      let hit: RunToTarget | null = null;
      for (const m of r.history) {
        train += m.epochSeconds;
        const v = metricValue(m, metric);
        if (v !== null && v <= goal) {
          hit = {
            key: s.key, label: s.label, optimizer: s.optimizer, lr: s.lr, seed: r.seed,
            status: r.status, epoch: m.epoch, seconds: m.wallSeconds, trainSeconds: train,
          };
          break;
        }
      }
      return hit ?? {
        key: s.key, label: s.label, optimizer: s.optimizer, lr: s.lr, seed: r.seed,
        status: r.status, epoch: null, seconds: null, trainSeconds: null,
      };
    });
    runs.push(...mine);
    return {
      key: s.key, label: s.label, optimizer: s.optimizer, lr: s.lr, runs: mine.length,
      reached: mine.filter((m) => m.epoch !== null).length,
      epochs: summarize(mine.map((m) => m.epoch)),
      seconds: summarize(mine.map((m) => m.seconds)),
      trainSeconds: summarize(mine.map((m) => m.trainSeconds)),
    };
  });
  return { metric, target: goal, runs, series: agg };
}

function defaultTarget(records: readonly RunRecord[], metric: MetricName): number {
  const fs = finalStats(records, metric, "optimizer");
  const sgdm = fs.find((f) => f.optimizer === "sgdm")?.final?.mean;
  if (sgdm !== undefined) return sgdm;
  const means = fs.map((f) => f.final?.mean).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (means.length === 0) return Number.NEGATIVE_INFINITY;
  return means[Math.floor((means.length - 1) / 2)]!;
}

/** What identifies a series (one optimizer and lr) in a summary row. */
export interface SeriesInfo {
  key: string;
  label: string;
  optimizer: OptimizerName;
  lr: number;
  runs: number;
  diverged: number;
}

/** Top-1 and top-5 test error per series, final and best (Fig. 5). */
export interface TopKRow extends SeriesInfo {
  top1: Stats | null;
  top5: Stats | null;
  bestTop1: Stats | null;
  bestTop5: Stats | null;
}

export function topK(records: readonly RunRecord[]): TopKRow[] {
  const t1 = finalStats(records, "testError");
  const t5 = finalStats(records, "testTop5Error");
  return t1.map((a, i) => ({
    key: a.key, label: a.label, optimizer: a.optimizer, lr: a.lr, runs: a.runs,
    diverged: a.diverged, top1: a.final, top5: t5[i]!.final, bestTop1: a.best, bestTop5: t5[i]!.best,
  }));
}

/** Train and test perplexity per series, final and best (Fig. 7). */
export interface PerplexityRow extends SeriesInfo {
  train: Stats | null;
  test: Stats | null;
  bestTest: Stats | null;
}

export function perplexity(records: readonly RunRecord[]): PerplexityRow[] {
  const tr = finalStats(records, "trainPerplexity");
  const te = finalStats(records, "testPerplexity");
  return te.map((t, i) => ({
    key: t.key, label: t.label, optimizer: t.optimizer, lr: t.lr, runs: t.runs,
    diverged: t.diverged, train: tr[i]!.final, test: t.final, bestTest: t.best,
  }));
}
