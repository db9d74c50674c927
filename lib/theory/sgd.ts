/**
 * SGD with a constant step (SGD-CS, the paper's eq. 2) on a finite sum,
 * and Monte Carlo over seeded runs:
 *   x_{k+1} = x_k - alpha (1/m) sum_{j=1..m} grad f_{xi_k^(j)}(x_k),
 * with the m indices drawn uniformly with replacement (the paper's i.i.d.
 * xi_k^(j)) or without replacement within a step.
 */
import { Rng } from "../data/rng";
import type { FiniteSum } from "./problems";
import { mean, quantileSorted } from "./stats";

export interface SgdOptions {
  alpha: number;
  /** Mini-batch size m. */
  batch: number;
  sampling: "with-replacement" | "without-replacement";
  steps: number;
  /** Runs stop (and report Infinity) once ||x_k - x*||^2 exceeds this. */
  divergeAt?: number;
}

/**
 * One run from x0; returns ||x_k - x*||^2 for k = 0..steps (Infinity after
 * divergence).
 */
export function sgdRun(p: FiniteSum, x0: Float64Array, opts: SgdOptions, rng: Rng): Float64Array {
  const { alpha, batch, steps } = opts;
  const d = p.dim;
  const divergeAt = opts.divergeAt ?? 1e200;
  const x = x0.slice();
  const g = new Float64Array(d);
  const acc = new Float64Array(d);
  const out = new Float64Array(steps + 1);
  const idx = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) idx[i] = i;
  const dist = (): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += ((x[j] as number) - (p.xStar[j] as number)) ** 2;
    return s;
  };
  out[0] = dist();
  const scale = alpha / batch;
  for (let k = 1; k <= steps; k++) {
    acc.fill(0);
    for (let j = 0; j < batch; j++) {
      let i: number;
      if (opts.sampling === "with-replacement") {
        i = rng.int(p.n);
      } else {
        // partial Fisher-Yates: idx[0..batch) is a uniform sample
        const r = j + rng.int(p.n - j);
        i = idx[r] as number;
        idx[r] = idx[j] as number;
        idx[j] = i;
      }
      p.grad(i, x, g);
      for (let q = 0; q < d; q++) acc[q] += g[q] as number;
    }
    for (let q = 0; q < d; q++) x[q] -= scale * (acc[q] as number);
    const e = dist();
    if (!(e <= divergeAt)) {
      out.fill(Infinity, k);
      break;
    }
    out[k] = e;
  }
  return out;
}

/** Runs x runs; row r is run r's ||x_k - x*||^2, k = 0..steps. */
export interface Ensemble {
  runs: number;
  steps: number;
  /** runs x (steps + 1), row-major. */
  sq: Float64Array;
}

/**
 * Monte Carlo: `runs` independent runs, run r seeded by (seed, r). The
 * start of run r is start(r, rng) (deterministic or random).
 */
export function sgdEnsemble(
  p: FiniteSum,
  opts: SgdOptions,
  runs: number,
  seed: number,
  start: (run: number, rng: Rng) => Float64Array,
): Ensemble {
  const sq = new Float64Array(runs * (opts.steps + 1));
  for (let r = 0; r < runs; r++) {
    const rng = Rng.derive(seed, r);
    const x0 = start(r, rng);
    sq.set(sgdRun(p, x0, opts, rng), r * (opts.steps + 1));
  }
  return { runs, steps: opts.steps, sq };
}

export function column(e: Ensemble, k: number): Float64Array {
  const c = new Float64Array(e.runs);
  for (let r = 0; r < e.runs; r++) c[r] = e.sq[r * (e.steps + 1) + k] as number;
  return c;
}

/** Per-step summary of an ensemble, ready to plot (mean and a band). */
export interface Curve {
  k: number[];
  mean: number[];
  /** Standard error of the mean. */
  se: number[];
  q10: number[];
  q50: number[];
  q90: number[];
  /** Fraction of runs that diverged by step k. */
  diverged: number[];
}

/** Summarises at every `every`-th step (and the last). */
export function summarize(e: Ensemble, every = 1): Curve {
  const c: Curve = { k: [], mean: [], se: [], q10: [], q50: [], q90: [], diverged: [] };
  for (let k = 0; k <= e.steps; k++) {
    if (k % every !== 0 && k !== e.steps) continue;
    const col = column(e, k).sort();
    const m = mean(col);
    let v = 0;
    for (const x of col) v += (x - m) ** 2;
    let div = 0;
    for (const x of col) if (!Number.isFinite(x)) div++;
    c.k.push(k);
    c.mean.push(m);
    c.se.push(Math.sqrt(v / Math.max(1, col.length - 1) / col.length));
    c.q10.push(quantileSorted(col, 0.1));
    c.q50.push(quantileSorted(col, 0.5));
    c.q90.push(quantileSorted(col, 0.9));
    c.diverged.push(div / col.length);
  }
  return c;
}

/**
 * Observed per-step contraction of E||x_k - x*||^2 over the window
 * [k0, k1]: c = (mean_k1 / mean_k0)^(1 / (k1 - k0)), with a delta-method
 * standard error of log c from the per-run pairs (correlated numerator
 * and denominator), and the "typical-run" factor exp(mean(log(sq_k1 /
 * sq_k0)) / (k1 - k0)) (a Lyapunov-exponent estimate: the rate of the
 * median run, not of the mean).
 */
export interface Contraction {
  rate: number;
  /** Standard error of log(rate). */
  seLog: number;
  /** rate * exp(-2 seLog), rate * exp(2 seLog). */
  lo: number;
  hi: number;
  typical: number;
  diverged: number;
}

export function contraction(e: Ensemble, k0: number, k1: number): Contraction {
  if (!(k0 >= 0 && k1 > k0 && k1 <= e.steps)) throw new Error(`contraction: bad window [${k0}, ${k1}]`);
  const y0 = column(e, k0);
  const y1 = column(e, k1);
  const w = k1 - k0;
  let div = 0;
  for (const v of y1) if (!Number.isFinite(v)) div++;
  if (div > 0) {
    const inf = Infinity;
    return { rate: inf, seLog: 0, lo: inf, hi: inf, typical: inf, diverged: div / e.runs };
  }
  const m0 = mean(y0);
  const m1 = mean(y1);
  const n = e.runs;
  let v0 = 0;
  let v1 = 0;
  let c01 = 0;
  let logs = 0;
  for (let r = 0; r < n; r++) {
    const a = (y0[r] as number) - m0;
    const b = (y1[r] as number) - m1;
    v0 += a * a;
    v1 += b * b;
    c01 += a * b;
    logs += Math.log(Math.max(y1[r] as number, 1e-300) / Math.max(y0[r] as number, 1e-300));
  }
  v0 /= n - 1;
  v1 /= n - 1;
  c01 /= n - 1;
  const varLog = Math.max(0, (v1 / (m1 * m1) + v0 / (m0 * m0) - (2 * c01) / (m0 * m1)) / n);
  const seLog = Math.sqrt(varLog) / w;
  const rate = Math.exp(Math.log(m1 / m0) / w);
  return {
    rate,
    seLog,
    lo: rate * Math.exp(-2 * seLog),
    hi: rate * Math.exp(2 * seLog),
    typical: Math.exp(logs / n / w),
    diverged: 0,
  };
}
