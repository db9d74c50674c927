/**
 * Section 4 of the paper, numerically: SGD with a constant step (SGD-CS)
 * near a minimiser of a finite sum. Each function is one notebook cell
 * and returns plain arrays and objects ready to plot.
 *
 * - theorem1: interpolation is necessary. Least squares with realizable
 *   targets converges to x* at a linear rate; with noisy targets
 *   E||x_k - x*||^2 stalls at a floor that grows with the step (the exact
 *   floor, from moments.ts, is about proportional to alpha).
 * - contractionStudy / theorem2 / theorem2Nonlinear: Theorem 2's
 *   rho(alpha) on a grid of steps against the exact mean-square rate
 *   rho(S) and the Monte Carlo contraction, with the step-size limits
 *   marked.
 * - theorem3: Lemma 3 / Theorem 3's stay probability: started at distance
 *   sqrt(delta) e from x*, the fraction of runs that never leave the
 *   e-ball, against 1 - delta.
 *
 * Our reading of the statements (the extracted text is garbled):
 * - Theorem 1: if x* is a point of attraction of eq. (2) (Definition 1:
 *   from every start in some ball the iterates stay in it and converge to
 *   x* in L1), then grad f_i(x*) = 0 for every i. Contrapositive, checked
 *   here: noisy least squares has a unique minimiser x* but grad f_i(x*)
 *   != 0, and E||x_k - x*||^2 tends to a positive floor, exactly
 *   alpha^2 s tr[(I - S)^-1 (1/N) sum g_i g_i^T] (moments.ts), about
 *   proportional to alpha for small alpha.
 * - Theorem 2: see moments.ts (eqs. 6a-6c and the mini-batch scale).
 * - Lemma 3: "Let x0 in N(x*, e) with ||x0 - x*|| <= sqrt(delta) e for
 *   some delta in [0, 1)" (the extraction shows "√7e": sqrt(delta) e), tau
 *   = min{k : x_k not in N(x*, e)}; then P{tau = infinity} >= 1 - delta.
 *   The proof makes ||x_(tau^k) - x*||^2 / rho^(tau^k) a supermartingale,
 *   so it needs Theorem 2's rho < 1 on the ball. A finite horizon K
 *   estimates P{tau > K} >= P{tau = infinity}; each row reports rho so the
 *   rows where the lemma applies can be told apart.
 * - Theorem 3: E[||x_k - x*||^2 1_E] <= rho^k ||x0 - x*||^2 on the event E
 *   = {tau = infinity}; the contraction study measures E||x_k - x*||^2
 *   itself, which equals this when no run leaves the ball.
 */
import { Rng } from "../data/rng";
import { symExtremes } from "./linalg";
import {
  exactMeanSquare,
  hessianStats,
  meanSquareRate,
  rhoBound,
  type Sampling,
  stationaryMeanSquare,
  theorem2Limits,
  varianceScale,
} from "./moments";
import { type FiniteSum, leastSquares, phaseRetrieval, randomUnit } from "./problems";
import { type Contraction, contraction, type Curve, sgdEnsemble, summarize } from "./sgd";
import type {
  NonlinearSettings,
  Theorem1Settings,
  Theorem2Settings,
  Theorem3Settings,
} from "./settings";
import { linspace, mean, stdErr, thresholdOnGrid, wilson } from "./stats";

type BatchSampling = "with-replacement" | "without-replacement";

/** x* + r0 u with u a unit vector fixed by the seed (same for every run). */
function fixedStart(p: FiniteSum, r0: number, seed: number): Float64Array {
  const u = randomUnit(Rng.derive(seed, 7), p.dim);
  return Float64Array.from(p.xStar, (v, j) => v + r0 * (u[j] as number));
}

/**
 * The exact mean-square stability limit: the largest alpha with
 * rho(S(alpha)) < 1 (S: second-moment superoperator of the quadratic, or
 * of the linearisation at x*). It lies below 2 / lambda_max(H), since S
 * dominates (I - aH) (x) (I - aH) on the PSD cone.
 */
export function meanSquareLimit(p: FiniteSum, batch: number, sampling: Sampling): number {
  const st = hessianStats(p);
  const s = varianceScale(batch, p.n, sampling);
  const grid = linspace(1e-6, 2 / st.lambdaMaxH, 48);
  return thresholdOnGrid(grid, (a) => meanSquareRate(st, a, s) < 1, 1e-5) ?? 0;
}

export interface Theorem1Curve extends Curve {
  problem: "realizable" | "noisy";
  alpha: number;
  /** Exact E||x_k - x*||^2 from the moment recursion, at the same k. */
  exact: number[];
}

export interface Theorem1Result {
  settings: Theorem1Settings;
  alphas: number[];
  /** The exact mean-square limit (the same for both: same A). */
  alphaMeanSquare: number;
  curves: Theorem1Curve[];
  /** Floors: Monte Carlo mean over the last quarter of the run vs exact. */
  floors: { problem: "realizable" | "noisy"; alpha: number; mc: number; mcSe: number; exact: number }[];
  /** Whether grad f_i(x*) = 0 for all i in each problem. */
  interpolation: { realizable: boolean; noisy: boolean };
  seconds: number;
}

/**
 * Theorem 1: realizable vs noisy least squares, E||x_k - x*||^2 over k for
 * several steps (mean and 10-90% band over runs, with the exact curve).
 */
export function theorem1(cfg: Theorem1Settings): Theorem1Result {
  const t0 = performance.now();
  const base = { dim: cfg.dim, n: cfg.n, seed: cfg.seed };
  const probs = {
    realizable: leastSquares({ ...base, noise: 0 }),
    noisy: leastSquares({ ...base, noise: cfg.noise }),
  };
  const alphaMs = meanSquareLimit(probs.realizable, cfg.batch, cfg.sampling);
  const alphas = cfg.alphas ?? cfg.alphaFractions.map((f) => f * alphaMs);
  const s = varianceScale(cfg.batch, cfg.n, cfg.sampling);
  const curves: Theorem1Curve[] = [];
  const floors: Theorem1Result["floors"] = [];
  for (const kind of ["realizable", "noisy"] as const) {
    const p = probs[kind];
    const st = hessianStats(p);
    const x0 = fixedStart(p, cfg.r0, cfg.seed);
    const delta0 = Float64Array.from(x0, (v, j) => v - (p.xStar[j] as number));
    alphas.forEach((alpha, ai) => {
      const ens = sgdEnsemble(
        p,
        { alpha, batch: cfg.batch, sampling: cfg.sampling, steps: cfg.steps },
        cfg.runs,
        cfg.seed * 1000 + ai,
        () => x0,
      );
      const curve = summarize(ens, cfg.every);
      const exactAll = exactMeanSquare(st, alpha, s, delta0, cfg.steps);
      curves.push({ ...curve, problem: kind, alpha, exact: curve.k.map((k) => exactAll[k] as number) });
      // floor: per-run average over the last quarter, then mean and se
      const from = Math.floor((3 * cfg.steps) / 4);
      const perRun: number[] = [];
      for (let r = 0; r < ens.runs; r++) {
        let acc = 0;
        for (let k = from; k <= cfg.steps; k++) acc += ens.sq[r * (cfg.steps + 1) + k] as number;
        perRun.push(acc / (cfg.steps - from + 1));
      }
      const m = mean(perRun);
      const se = stdErr(perRun);
      floors.push({ problem: kind, alpha, mc: m, mcSe: se, exact: stationaryMeanSquare(st, alpha, s) });
    });
  }
  return {
    settings: cfg,
    alphas,
    alphaMeanSquare: alphaMs,
    curves,
    floors,
    interpolation: { realizable: probs.realizable.interpolation, noisy: probs.noisy.interpolation },
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface ContractionStudyOptions {
  batch: number;
  sampling: BatchSampling;
  /** Number of alpha grid points. */
  gridSize: number;
  /** Grid from gridMax / gridSize to gridMax times the mean-square limit. */
  gridMax: number;
  runs: number;
  steps: number;
  /** Window [burnIn, steps] for the observed contraction. */
  burnIn: number;
  /** Start distance ||x0 - x*||. */
  r0: number;
  /** Ball radius e in Theorem 2's L e terms (0 for quadratics). */
  radius: number;
  seed: number;
  /** Runs whose ||x_k - x*||^2 exceeds this count as diverged. */
  divergeAt?: number;
}

export interface ContractionStudy {
  problem: string;
  dim: number;
  n: number;
  batch: number;
  sampling: BatchSampling;
  /** Hessian Lipschitz bound L on the ball of radius e, and e. */
  lipschitz: number;
  radius: number;
  lambdaMinH: number;
  lambdaMaxH: number;
  lambdaMaxHi: number;
  alphas: number[];
  /** Theorem 2's rho with the batch variance scale (Sigma/m or FPC). */
  rhoBound: number[];
  /** Theorem 2 as stated (m-free: s = 1). */
  rhoBoundPaper: number[];
  /** rho(alpha) without the L e terms (the linearisation at x*). */
  rhoBoundLinear: number[];
  /** Exact mean-square rate rho(S) (of the linearisation when nonlinear). */
  rhoExact: number[];
  /**
   * Exact per-step contraction over the same window and from the same
   * start as the Monte Carlo (moment recursion of the quadratic or of the
   * linearisation): what `observed` estimates, transient included.
   */
  rhoExactWindow: number[];
  /** Monte Carlo per-step contraction of E||x_k - x*||^2 over the window. */
  observed: Contraction[];
  window: [number, number];
  thresholds: {
    /** Largest alpha with rhoBound < 1 ((6a) = (6c)). */
    alphaBound: number;
    /** The same for the paper's m-free rho. */
    alphaBoundPaper: number;
    /** The (6b) limit: min(1/max_i lambda_max(H_i), 1/(2 lambda_max(H))). */
    alpha6b: number;
    /** Largest radius e with H > L e I ((6b), eq. 15). */
    radiusMax: number;
    /** Largest alpha with rho(S) < 1 (exact, bisection). */
    alphaMeanSquare: number;
    /** Largest grid alpha (before the first failure) with observed rate < 1. */
    alphaObserved: number | null;
    /** The same for the typical (median-run) rate. */
    alphaTypical: number | null;
  };
  /** Does the observed rate stay below rhoBound + 2 standard errors? */
  boundHolds: boolean[];
}

/** Theorem 2's bound against exact and observed contraction on a grid. */
export function contractionStudy(p: FiniteSum, o: ContractionStudyOptions): ContractionStudy {
  const st = hessianStats(p);
  const s = varianceScale(o.batch, p.n, o.sampling);
  const lip = p.hessLipschitz(o.radius);
  const alphaMs = meanSquareLimit(p, o.batch, o.sampling);
  const alphas = linspace(o.gridMax / o.gridSize, o.gridMax, o.gridSize).map((f) => f * alphaMs);
  const x0 = fixedStart(p, o.r0, o.seed);
  const delta0 = Float64Array.from(x0, (v, j) => v - (p.xStar[j] as number));
  const window: [number, number] = [o.burnIn, o.steps];
  const observed = alphas.map((alpha, ai) => {
    const ens = sgdEnsemble(
      p,
      { alpha, batch: o.batch, sampling: o.sampling, steps: o.steps, divergeAt: o.divergeAt ?? 1e200 },
      o.runs,
      o.seed * 1000 + ai,
      () => x0,
    );
    return contraction(ens, o.burnIn, o.steps);
  });
  const rb = alphas.map((a) => rhoBound(st, a, s, lip, o.radius));
  const lim = theorem2Limits(st, s, lip, o.radius);
  const limPaper = theorem2Limits(st, 1, lip, o.radius);
  const firstFail = (xs: number[]): number | null => {
    let last: number | null = null;
    for (let i = 0; i < xs.length; i++) {
      if (!((xs[i] as number) < 1)) return last;
      last = alphas[i] as number;
    }
    return last;
  };
  return {
    problem: p.name,
    dim: p.dim,
    n: p.n,
    batch: o.batch,
    sampling: o.sampling,
    lipschitz: lip,
    radius: o.radius,
    lambdaMinH: st.lambdaMinH,
    lambdaMaxH: st.lambdaMaxH,
    lambdaMaxHi: st.lambdaMaxHi,
    alphas,
    rhoBound: rb,
    rhoBoundPaper: alphas.map((a) => rhoBound(st, a, 1, lip, o.radius)),
    rhoBoundLinear: alphas.map((a) => rhoBound(st, a, s)),
    rhoExact: alphas.map((a) => meanSquareRate(st, a, s)),
    rhoExactWindow: alphas.map((a) => {
      const ms = exactMeanSquare(st, a, s, delta0, o.steps);
      return ((ms[o.steps] as number) / (ms[o.burnIn] as number)) ** (1 / (o.steps - o.burnIn));
    }),
    observed,
    window,
    thresholds: {
      alphaBound: lim.alpha6a,
      alphaBoundPaper: limPaper.alpha6a,
      alpha6b: lim.alpha6b,
      radiusMax: lim.radiusMax,
      alphaMeanSquare: alphaMs,
      alphaObserved: firstFail(observed.map((c) => c.rate)),
      alphaTypical: firstFail(observed.map((c) => c.typical)),
    },
    boundHolds: observed.map((c, i) => {
      const bound = rb[i] as number;
      if (!Number.isFinite(c.rate)) return bound >= 1; // diverged runs
      return c.rate <= bound * Math.exp(2 * c.seLog);
    }),
  };
}

/** Theorem 2 on a quadratic (realizable least squares, L = 0). */
export function theorem2(
  cfg: Theorem2Settings,
): ContractionStudy & { settings: Theorem2Settings; seconds: number } {
  const t0 = performance.now();
  const p = leastSquares({ dim: cfg.dim, n: cfg.n, noise: 0, seed: cfg.seed });
  const study = contractionStudy(p, { ...cfg, radius: 0 });
  return { ...study, settings: cfg, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Theorem 2 on realizable phase retrieval (nonlinear, L > 0). The ball
 * radius is e = radiusFraction * lambda_min(H) / L(0) (Theorem 2 needs
 * H > L e I, so radiusFraction < 1), runs start at distance
 * r0Fraction * e.
 */
export function theorem2Nonlinear(
  cfg: NonlinearSettings,
): ContractionStudy & { settings: NonlinearSettings; seconds: number } {
  const t0 = performance.now();
  const p = phaseRetrieval({ dim: cfg.dim, n: cfg.n, seed: cfg.seed });
  const radius = nonlinearRadius(p, cfg.radiusFraction);
  const { radiusFraction: _rf, r0Fraction, ...rest } = cfg;
  const study = contractionStudy(p, { ...rest, radius, r0: r0Fraction * radius, divergeAt: 1e6 });
  return { ...study, settings: cfg, seconds: (performance.now() - t0) / 1000 };
}

/** e = fraction * lambda_min(H) / L(0), the scale of Theorem 2's ball. */
export function nonlinearRadius(p: FiniteSum, fraction: number): number {
  const l0 = p.hessLipschitz(0);
  if (l0 === 0) return Infinity;
  return (fraction * hessianStats(p).lambdaMinH) / l0;
}

export interface StayRow {
  alpha: number;
  /** Theorem 2's rho at this alpha and radius (Lemma 3 assumes < 1). */
  rhoBound: number;
  delta: number;
  /** Start distance sqrt(delta) e. */
  start: number;
  runs: number;
  stayed: number;
  fraction: number;
  /** 95% Wilson interval. */
  lo: number;
  hi: number;
  /** Lemma 3's guarantee 1 - delta. */
  guarantee: number;
  /** Median first exit step among runs that left (null if none left). */
  medianExit: number | null;
}

export interface Theorem3Result {
  settings: Theorem3Settings;
  problem: string;
  radius: number;
  lipschitz: number;
  alphaBound: number;
  alphaMeanSquare: number;
  rows: StayRow[];
  seconds: number;
}

/**
 * Lemma 3 / Theorem 3: start at x* + sqrt(delta) e u (u uniform on the
 * sphere, per run), run `steps` SGD-CS steps, and count the runs with
 * ||x_k - x*|| < e for every k <= steps.
 */
export function theorem3(cfg: Theorem3Settings): Theorem3Result {
  const t0 = performance.now();
  const p =
    cfg.problem === "phase-retrieval"
      ? phaseRetrieval({ dim: cfg.dim, n: cfg.n, seed: cfg.seed })
      : leastSquares({ dim: cfg.dim, n: cfg.n, noise: 0, seed: cfg.seed });
  const st = hessianStats(p);
  const s = varianceScale(cfg.batch, p.n, cfg.sampling);
  const radius =
    cfg.problem === "phase-retrieval" ? nonlinearRadius(p, cfg.radiusFraction) : cfg.radiusFraction;
  const lip = p.hessLipschitz(radius);
  const lim = theorem2Limits(st, s, lip, radius);
  const alphaMs = meanSquareLimit(p, cfg.batch, cfg.sampling);
  const alphas = cfg.alphas ?? cfg.alphaFractions.map((f) => f * alphaMs);
  const e2 = radius * radius;
  const rows: StayRow[] = [];
  alphas.forEach((alpha, ai) => {
    const rb = rhoBound(st, alpha, s, lip, radius);
    cfg.deltas.forEach((delta, di) => {
      const start = Math.sqrt(delta) * radius;
      const ens = sgdEnsemble(
        p,
        { alpha, batch: cfg.batch, sampling: cfg.sampling, steps: cfg.steps, divergeAt: 1e6 },
        cfg.runs,
        cfg.seed * 1000 + ai * 100 + di,
        (_r, rng) => {
          const u = randomUnit(rng, p.dim);
          return Float64Array.from(p.xStar, (v, j) => v + start * (u[j] as number));
        },
      );
      let stayed = 0;
      const exits: number[] = [];
      for (let r = 0; r < ens.runs; r++) {
        let exit = -1;
        for (let k = 0; k <= ens.steps; k++) {
          if (!((ens.sq[r * (ens.steps + 1) + k] as number) < e2)) {
            exit = k;
            break;
          }
        }
        if (exit < 0) stayed++;
        else exits.push(exit);
      }
      exits.sort((a, b) => a - b);
      const ci = wilson(stayed, ens.runs);
      rows.push({
        alpha,
        rhoBound: rb,
        delta,
        start,
        runs: ens.runs,
        stayed,
        fraction: stayed / ens.runs,
        lo: ci.lo,
        hi: ci.hi,
        guarantee: 1 - delta,
        medianExit: exits.length > 0 ? (exits[Math.floor((exits.length - 1) / 2)] as number) : null,
      });
    });
  });
  return {
    settings: cfg,
    problem: p.name,
    radius,
    lipschitz: lip,
    alphaBound: lim.alpha6a,
    alphaMeanSquare: alphaMs,
    rows,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** lambda_min and lambda_max of the mean Hessian (for narrative cells). */
export function hessianSpectrum(p: FiniteSum): { min: number; max: number } {
  return symExtremes(hessianStats(p).h);
}
