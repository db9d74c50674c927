/**
 * What a run costs before it runs: `estimateSeconds(config)` from
 * measured throughput, so a profile can be sized to a time budget (the
 * cpu profile: all of section 6 overnight on 2 cores).
 *
 * The model: seconds = overhead + epochs x train examples / train rate
 * + evaluated examples / eval rate, where a run with eval.subsetPerClass
 * evaluates the subset each time but the last. Rates come from THROUGHPUT
 * for the engine the estimate is for (default "native"): measured on a
 * 2-core machine of the project's kind with `npm run bench:engine` (train)
 * and forward passes at batch 500 (eval). A model not in the table gets
 * a rate from a cost formula fitted to the wasm rows, scaled for native.
 * Estimates are good to within about a factor of 1.3 on a quiet machine:
 * the measuring machine is shared, and ResNet-20 ranged 220-540 img/s
 * over one afternoon.
 */
import { parseConfig, type TrainConfig, type TrainConfigInput, configHash } from "../train";
import { DATASET_FACTS } from "../data/facts";
import { splitSizes } from "./describe";
import type { Plan } from "./types";

/** One measured throughput. */
export interface Throughput {
  /** modelKey() of the model. */
  model: string;
  /** Batch size it was measured at. */
  batchSize: number;
  /** Training examples (images, clips, tokens) per second. */
  train: number;
  /** Evaluation (forward only) examples per second. */
  eval: number;
  /** How it was measured. */
  note: string;
}

/** The engines estimates are made for. */
export type BudgetEngine = "native" | "wasm";

const NATIVE2 = "native engine, 2 threads, bench:engine median (2026-12)";
const WASM2 = "tfjs wasm, 2 cores shared (load 4-7), 2026-11";

/**
 * Measured throughput per engine and model, on 32x32 inputs (images),
 * 98x40 log-mels (clips) or a 10k vocabulary (tokens).
 */
export const THROUGHPUT: Readonly<Record<BudgetEngine, readonly Throughput[]>> = {
  native: [
    { model: "resnet8", batchSize: 128, train: 960, eval: 4500, note: `${NATIVE2}; Fashion-MNIST 28x28: 970, eval 5,000` },
    { model: "resnet20", batchSize: 128, train: 480, eval: 1450, note: `${NATIVE2}; 220-540 over a day of shared load; the trainer 440-540` },
    { model: "vgg16x0.25", batchSize: 128, train: 700, eval: 3100, note: NATIVE2 },
    { model: "vgg16x0.125", batchSize: 128, train: 1300, eval: 5000, note: NATIVE2 },
    { model: "audio-c20-h1000", batchSize: 64, train: 560, eval: 3200, note: NATIVE2 },
    { model: "awd-lstm2-h200-e100", batchSize: 20, train: 1650, eval: 5000, note: NATIVE2 },
    { model: "awd-lstm3-h200-e100", batchSize: 20, train: 1300, eval: 4000, note: NATIVE2 },
  ],
  wasm: [
    { model: "resnet8", batchSize: 128, train: 165, eval: 800, note: `${WASM2}; 120-175, eval 10k in 12-16 s` },
    { model: "resnet14", batchSize: 128, train: 100, eval: 500, note: `${WASM2}; 67 at load 7` },
    { model: "resnet20", batchSize: 128, train: 70, eval: 300, note: "tfjs wasm, 2 threads, idle: 60-90" },
    { model: "resnet8x1.5", batchSize: 128, train: 110, eval: 500, note: `${WASM2}; 95-165` },
    { model: "resnet8x2", batchSize: 128, train: 45, eval: 250, note: `${WASM2}; 24-35 at load 7` },
    { model: "resnet8x4", batchSize: 128, train: 15, eval: 90, note: `${WASM2}; 12 at load 7` },
    { model: "vgg16x0.125", batchSize: 128, train: 300, eval: 1600, note: `${WASM2}; 200-570` },
    { model: "vgg16", batchSize: 128, train: 13, eval: 60, note: "tfjs wasm, 2 threads (notes/environment.md)" },
    { model: "audio-c20-h1000", batchSize: 64, train: 220, eval: 1000, note: `${WASM2}; 140-245` },
    { model: "awd-lstm2-h200-e100", batchSize: 20, train: 800, eval: 2000, note: `${WASM2}; 600-1300` },
    { model: "awd-lstm3-h200-e100", batchSize: 20, train: 700, eval: 1800, note: `${WASM2}; 700-940` },
  ],
};

/**
 * How much faster native is than wasm for a model with no row (the
 * formula below is fitted to the wasm rows): ResNet-20 6.9x, ResNet-8
 * 5.8x, the audio net 2.5x, the LSTM 2.1x, measured; 3 is conservative.
 */
const NATIVE_SPEEDUP_UNMEASURED = 3;

/** Seconds per run besides epochs: engine, model build, data from the process cache. */
export const RUN_OVERHEAD_SECONDS = 3;

/** A short key for a model spec: "resnet8", "resnet8x2", "vgg16x0.125", ... */
export function modelKey(m: TrainConfig["model"]): string {
  const w = (x: number) => (x === 1 ? "" : `x${x}`);
  switch (m.kind) {
    case "resnet":
      return `resnet${6 * m.n + 2}${w(m.width)}`;
    case "vgg16":
      return `vgg16${w(m.width)}`;
    case "densenet":
      return `densenet${m.depth}-k${m.growthRate}${m.bottleneck ? "" : "-plain"}`;
    case "audio":
      return `audio-c${m.channels}-h${m.hidden.join("-")}`;
    case "awd-lstm":
      return `awd-lstm${m.numLayers}-h${m.hiddenSize}-e${m.embeddingSize}`;
    case "custom":
      return `custom-${m.name}`;
  }
}

/**
 * Milliseconds per training example from a cost formula, for models
 * not in THROUGHPUT. Fitted to the rows above: ResNet a + b n w^2
 * (conv cost grows with blocks and the square of the width), VGG-16 the
 * same in w, DenseNet-BC scaled from VGG-16's cost by depth and growth
 * (similar FLOPs at L=100, k=12), the audio net by its conv and dense
 * sizes, AWD-LSTM by its per-token multiply-adds.
 */
function formulaMs(m: TrainConfig["model"]): number {
  switch (m.kind) {
    case "resnet":
      return 1.7 + 4.2 * m.n * m.width * m.width;
    case "vgg16":
      return 2.6 + 74.4 * m.width * m.width;
    case "densenet":
      return 77 * (m.depth / 100) * (m.growthRate / 12) ** 2;
    case "audio": {
      const rel = (m.channels / 20) ** 2 * 0.5 + ((m.hidden[0] ?? 1000) / 1000) * 0.5;
      return 4.5 * rel;
    }
    case "awd-lstm": {
      const h = m.hiddenSize;
      const e = m.embeddingSize;
      let macs = 10_000 * e;
      for (let l = 0; l < m.numLayers; l++) {
        const out = l === m.numLayers - 1 ? e : h;
        const inp = l === 0 ? e : h;
        macs += 4 * (inp + out) * out;
      }
      // awd-lstm2-h200-e100: ~1.25 ms per token, ~1.4 M multiply-adds.
      return 0.6 + 0.65 * (macs / 1.4e6);
    }
    case "custom":
      return 5;
  }
}

/** Train and eval rates for a config's model (examples per second). */
export function throughputOf(
  cfg: TrainConfig, engine: BudgetEngine = "native",
): { train: number; eval: number; measured: boolean } {
  const key = modelKey(cfg.model);
  const row = THROUGHPUT[engine].find((t) => t.model === key);
  const speed = engine === "native" ? NATIVE_SPEEDUP_UNMEASURED : 1;
  const base = row === undefined
    ? { train: speed * 1000 / formulaMs(cfg.model), eval: speed * 5000 / formulaMs(cfg.model) }
    : { train: row.train, eval: row.eval };
  // Image cost scales with pixels (centre crops in smoke runs).
  const d = cfg.dataset;
  const px = "crop" in d && d.crop !== null ? (32 * 32) / (d.crop * d.crop) : 1;
  // Small batches pay the per-step overhead on fewer examples.
  const per = cfg.model.kind === "awd-lstm" ? 1 : Math.min(1, (cfg.microBatch ?? cfg.batchSize) / 32) ** 0.5;
  return { train: base.train * px * per, eval: base.eval * px, measured: row !== undefined };
}

/** How many times the test split is evaluated: every k epochs and after the last. */
export function evaluations(cfg: TrainConfig): number {
  const k = cfg.eval.every;
  const n = Math.floor(cfg.epochs / k);
  return cfg.epochs % k === 0 ? n : n + 1;
}

/** Test examples evaluated over a run: the subset each time but the last. */
export function evaluatedExamples(cfg: TrainConfig): number {
  const { test } = splitSizes(cfg);
  const n = evaluations(cfg);
  const per = cfg.eval.subsetPerClass;
  if (per === undefined) return n * test;
  const classes = DATASET_FACTS[cfg.dataset.name].classes ?? 1;
  return (n - 1) * Math.min(test, per * classes) + test;
}

/** Estimated wall seconds of one run (training and evaluation) on 2 cores. */
export function estimateSeconds(
  config: TrainConfigInput | TrainConfig, engine: BudgetEngine = "native",
): number {
  const cfg = parseConfig(config);
  const { train } = splitSizes(cfg);
  const rate = throughputOf(cfg, engine);
  return RUN_OVERHEAD_SECONDS + cfg.epochs * train / rate.train +
    evaluatedExamples(cfg) / rate.eval;
}

export interface PlanEstimate {
  /** Seconds of every distinct config, counted once. */
  seconds: number;
  /** Distinct configs (a config in two groups trains once). */
  runs: number;
  /** Seconds per group; a config shared with an earlier group counts 0 there. */
  groups: Array<{ name: string; runs: number; newRuns: number; seconds: number }>;
}

/**
 * Estimated seconds of plans, each distinct config once (the run cache
 * trains a config shared by two groups, or two sections, once).
 */
export function estimatePlans(plans: readonly Plan[]): PlanEstimate {
  const seen = new Set<string>();
  const groups: PlanEstimate["groups"] = [];
  let seconds = 0;
  for (const plan of plans) {
    for (const g of Object.values(plan.groups)) {
      let s = 0;
      let fresh = 0;
      for (const r of g.runs) {
        const id = configHash(r.config);
        if (seen.has(id)) continue;
        seen.add(id);
        fresh++;
        s += estimateSeconds(r.config);
      }
      const name = plans.length > 1 ? `${plan.section}/${g.name}` : g.name;
      groups.push({ name, runs: g.runs.length, newRuns: fresh, seconds: s });
      seconds += s;
    }
  }
  return { seconds, runs: seen.size, groups };
}

/** estimatePlans for one plan. */
export function estimatePlan(plan: Plan): PlanEstimate {
  return estimatePlans([plan]);
}

/** One row per group of a plan: what it runs and what it costs (for a notebook table). */
export interface PlanSummaryRow {
  group: string;
  figure: string;
  title: string;
  data: string;
  runs: number;
  /** Runs not shared with an earlier group. */
  newRuns: number;
  seeds: string;
  /** Estimated minutes of fresh training on 2 cores. */
  minutes: number;
}

export function planSummary(plan: Plan): PlanSummaryRow[] {
  const est = estimatePlan(plan).groups;
  return Object.values(plan.groups).map((g, i) => ({
    group: g.name,
    figure: g.paperFigure,
    title: g.title,
    data: g.data,
    runs: g.runs.length,
    newRuns: est[i]!.newRuns,
    seeds: [...new Set(g.runs.map((r) => r.seed))].join(", "),
    minutes: Math.round(est[i]!.seconds / 6) / 10,
  }));
}
