/**
 * Section 5 and Appendix A.2: incremental gradient descent (IGD) with a
 * large constant step. Each function is one notebook cell returning plain
 * arrays and objects ready to plot.
 *
 * Our reading of Figure 2 (the extracted text is garbled; see also
 * settings.ts for the free parameters the paper does not give):
 * - Data: z_i ~ U(0, 10), i = 1..N, SORTED (the figure's right panel plots
 *   the data against position, and a difference regulariser only makes
 *   sense for a signal that is smooth in its index); the clean signal is
 *   1 / (1 + e^z) and the data x_hat = 1 / (1 + e^z) + N(0, s^2).
 * - Problem (eq. 8) as denoising: A = I (N = n, one component per
 *   sample), b = x_hat, D = L^T L with L the first-difference operator
 *   (the path-graph Laplacian), so
 *   f(x) = 1/2 ||x - x_hat||^2 + mu/2 ||L x||^2 and component i is
 *   f_i = 1/2 (x_i - x_hat_i)^2 + mu/(2N) x^T D x (eq. 21b's t (mu/N) D).
 *   The paper gives neither mu nor s; we take mu = 10, s = 0.05.
 * - Left: rho(K_N(t)) against t with the paper's sufficient bound
 *   2N / rho(mu D + A^T A) marked.
 * - Middle: the caption's "Log error ||x - X||^2" has lost its accent; the
 *   caption's next sentence ("large t-values can still calculate x close
 *   to x*") and "grows slowly after an initial rapid rise" (an error that
 *   is zero at t -> 0) point to ||x(t) - x*||^2 with x* the regularised
 *   minimiser. We return it together with ||x(t) - x_hat||^2 (the
 *   mission's reading) and ||x(t) - clean||^2.
 * - Right: x(t) at t = 3.0 ("a large radius (3.0)": the step) beside the
 *   noisy data, x(t) being the fixed point of the pass map, solved
 *   directly as (I - K_N(t)) x = t c(t).
 *
 * The sufficient condition (Example 3). The paper applies the matrix
 * AM-GM conjecture (Recht & Re 2012) to K_N(t) and concludes that t in
 * (0, 2N / rho(mu D + A^T A)) suffices. The conjecture is about PSD
 * factors (and about the average over orderings; the paper additionally
 * assumes the factors commute), while P_i = I - t a_i a_i^T - t (mu/N) D
 * is PSD only when t <= 1 / lambda_max(a_i a_i^T + (mu/N) D). So we also
 * report that "PSD bound", min over i of 1 / (||a_i||^2 + (mu/N)
 * lambda_max(D)), under which the argument goes through (for commuting
 * factors) and above which it has no force. Example 1 shows the bound as
 * stated fails: there 2N / rho(sum_i H_i) = N, but IGD converges only for
 * t < 1.
 */
import { Rng } from "../data/rng";
import { eigenvalues } from "./eigen";
import {
  differencePenalty,
  igdFixedPoint,
  igdHessian,
  igdMinimizer,
  igdRun,
  igdSpectralRadius,
  type IgdSystem,
  type PassMatrix,
  passMatrix,
  passOffset,
  sparseIdentity,
  sparseToDense,
} from "./igd";
import { dot, type Mat, matvec, solve, symExtremes, transpose, matmul, zeros } from "./linalg";
import { phaseRetrieval, randomUnit } from "./problems";
import type { ExamplesSettings, Figure2Settings } from "./settings";
import { bisectLast, linspace } from "./stats";

function sqDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s;
}

/** Maximal runs of grid points with rho < 1, as [tFrom, tTo] pairs. */
export function convergentIntervals(ts: readonly number[], rho: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let start: number | null = null;
  ts.forEach((t, i) => {
    const ok = (rho[i] as number) < 1;
    if (ok && start === null) start = t;
    if (!ok && start !== null) {
      out.push([start, ts[i - 1] as number]);
      start = null;
    }
  });
  if (start !== null) out.push([start, ts[ts.length - 1] as number]);
  return out;
}

/**
 * The largest t such that rho(K_N(s)) < 1 for every grid s <= t (refined
 * by bisection at the first failure); null if it fails at the first point.
 */
export function firstDivergentStep(
  sys: IgdSystem,
  ts: readonly number[],
  rho: readonly number[],
  tol = 1e-4,
): number | null {
  if (!((rho[0] as number) < 1)) return null;
  for (let i = 1; i < ts.length; i++) {
    if (!((rho[i] as number) < 1)) {
      return bisectLast((t) => igdSpectralRadius(sys, t).rho < 1, ts[i - 1] as number, ts[i] as number, tol);
    }
  }
  return ts[ts.length - 1] as number;
}

/** Sufficient bounds on t: the paper's 2N / lambda_max(Hessian) and the PSD one. */
export function igdBounds(sys: IgdSystem): {
  paper: number;
  psd: number;
  lambdaMax: number;
  lambdaMin: number;
} {
  const ext = symExtremes(igdHessian(sys));
  let dMax = 0;
  if (sys.D !== null && sys.gamma !== 0) dMax = symExtremes(sparseToDense(sys.D)).max;
  let worst = 0;
  for (let i = 0; i < sys.N; i++) {
    const un = sys.u === null ? 1 : dot(sys.u[i] as Float64Array, sys.u[i] as Float64Array);
    worst = Math.max(worst, (sys.w[i] as number) * un + sys.gamma * dMax);
  }
  return { paper: (2 * sys.N) / ext.max, psd: 1 / worst, lambdaMax: ext.max, lambdaMin: ext.min };
}

export interface DenoisingData {
  z: number[];
  clean: number[];
  noisy: number[];
}

/** z ~ U(0, 10) (sorted), clean 1/(1 + e^z), noisy = clean + N(0, s^2). */
export function denoisingData(N: number, s: number, seed: number, sortZ = true): DenoisingData {
  const rng = Rng.derive(seed, 11);
  const z = Array.from({ length: N }, () => rng.uniform(0, 10));
  if (sortZ) z.sort((a, b) => a - b);
  const clean = z.map((v) => 1 / (1 + Math.exp(v)));
  const noisy = clean.map((v) => v + s * rng.normal());
  return { z, clean, noisy };
}

/** The denoising system of Figure 2: A = I, b = x_hat, D = L^T L. */
export function denoisingSystem(noisy: readonly number[], mu: number, order: 1 | 2 = 1): IgdSystem {
  const N = noisy.length;
  return {
    n: N,
    N,
    u: null,
    w: new Float64Array(N).fill(1),
    beta: Float64Array.from(noisy),
    gamma: mu / N,
    D: differencePenalty(N, order),
  };
}

export interface Figure2Result {
  settings: Figure2Settings;
  data: DenoisingData;
  /** The regularised minimiser x* (= x(t) as t -> 0). */
  xStar: number[];
  left: {
    t: number[];
    rho: number[];
    log10Rho: number[];
    /** The paper's sufficient bound 2N / rho(mu D + A^T A). */
    bound: number;
    /** The bound under which every factor is PSD (see the module comment). */
    psdBound: number;
    /** Largest t before the first grid point with rho >= 1 (bisected). */
    tConverge: number | null;
    intervals: [number, number][];
    minRho: { t: number; rho: number };
  };
  middle: {
    t: number[];
    /** ||x(t) - x*||^2 (our reading of the panel). */
    errStar: number[];
    /** ||x(t) - x_hat||^2. */
    errNoisy: number[];
    /** ||x(t) - clean||^2. */
    errClean: number[];
    /** Reference levels at t -> 0: ||x* - x_hat||^2 and ||x* - clean||^2. */
    starToNoisy: number;
    starToClean: number;
  };
  right: {
    t: number;
    z: number[];
    noisy: number[];
    clean: number[];
    xStar: number[];
    xT: number[];
    rho: number;
    /** Does iterating IGD from 0 approach x(t)? (rho < 1) */
    iterationConverges: boolean;
  };
  seconds: number;
}

/** Figure 2: the spectral radius, error and solution panels. */
export function figure2(cfg: Figure2Settings): Figure2Result {
  const t0 = performance.now();
  const data = denoisingData(cfg.N, cfg.s, cfg.seed, cfg.sortZ);
  const sys = denoisingSystem(data.noisy, cfg.mu, cfg.order);
  const xStar = igdMinimizer(sys);
  const noisy = Float64Array.from(data.noisy);
  const clean = Float64Array.from(data.clean);
  const ts = linspace(cfg.tMin, cfg.tMax, cfg.gridSize);
  const rho: number[] = [];
  const log10Rho: number[] = [];
  const errStar: number[] = [];
  const errNoisy: number[] = [];
  const errClean: number[] = [];
  for (const t of ts) {
    const pm = passMatrix(sys, t);
    const sp = spectrumOf(pm);
    rho.push(sp.rho);
    log10Rho.push(sp.log10Rho);
    const x = igdFixedPoint(sys, t, pm);
    errStar.push(sqDist(x, xStar));
    errNoisy.push(sqDist(x, noisy));
    errClean.push(sqDist(x, clean));
  }
  const b = igdBounds(sys);
  let minI = 0;
  rho.forEach((r, i) => {
    if (r < (rho[minI] as number)) minI = i;
  });
  const pmT = passMatrix(sys, cfg.tSolution);
  const spT = spectrumOf(pmT);
  const xT = igdFixedPoint(sys, cfg.tSolution, pmT);
  return {
    settings: cfg,
    data,
    xStar: Array.from(xStar),
    left: {
      t: ts,
      rho,
      log10Rho,
      bound: b.paper,
      psdBound: b.psd,
      tConverge: firstDivergentStep(sys, ts, rho),
      intervals: convergentIntervals(ts, rho),
      minRho: { t: ts[minI] as number, rho: rho[minI] as number },
    },
    middle: {
      t: ts,
      errStar,
      errNoisy,
      errClean,
      starToNoisy: sqDist(xStar, noisy),
      starToClean: sqDist(xStar, clean),
    },
    right: {
      t: cfg.tSolution,
      z: data.z,
      noisy: data.noisy,
      clean: data.clean,
      xStar: Array.from(xStar),
      xT: Array.from(xT),
      rho: spT.rho,
      iterationConverges: spT.rho < 1,
    },
    seconds: (performance.now() - t0) / 1000,
  };
}

function spectrumOf(pm: PassMatrix): { rho: number; log10Rho: number } {
  const { re, im } = eigenvalues(pm.K);
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i] as number, im[i] as number));
  const ln = Math.log(r) + pm.logScale;
  return { rho: Math.exp(ln), log10Rho: ln / Math.LN10 };
}

/** rho(K_N(t)) over a grid (the Figure 2 sweep; also what bench/ times). */
export function spectralSweep(sys: IgdSystem, ts: readonly number[]): number[] {
  return ts.map((t) => spectrumOf(passMatrix(sys, t)).rho);
}

// ---------------------------------------------------------------- examples

export interface Example1Result {
  N: number;
  t: number[];
  /** rho(K_N(t)) from the product of the N factors I - 2t E_i. */
  rho: number[];
  /** The closed form |1 - 2t|. */
  closedForm: number[];
  maxAbsError: number;
  /** Convergent range (0, 1) in closed form, and found by bisection on rho. */
  tConverge: number;
  tConvergeNumeric: number;
  /** The paper's Example-3/4 bound 2N / lambda_max(sum H_i) = N; the PSD bound 1/2. */
  paperBound: number;
  psdBound: number;
}

/** Example 1: f(x) = sum x_i^2, f_i = x_i^2, K_N(t) = diag(1 - 2t). */
export function example1(cfg: ExamplesSettings["ex1"]): Example1Result {
  const N = cfg.N;
  const sys: IgdSystem = {
    n: N,
    N,
    u: null,
    w: new Float64Array(N).fill(2),
    beta: new Float64Array(N),
    gamma: 0,
    D: null,
  };
  const ts = linspace(0, cfg.tMax, cfg.gridSize);
  const rho = ts.map((t) => igdSpectralRadius(sys, t).rho);
  const closed = ts.map((t) => Math.abs(1 - 2 * t));
  const b = igdBounds(sys);
  return {
    N,
    t: ts,
    rho,
    closedForm: closed,
    maxAbsError: Math.max(...rho.map((r, i) => Math.abs(r - (closed[i] as number)))),
    tConverge: 1,
    tConvergeNumeric: bisectLast(
      (t) => igdSpectralRadius(sys, t).rho < 1,
      1e-3,
      Math.max(cfg.tMax, 1.01),
      1e-9,
    ),
    paperBound: b.paper,
    psdBound: b.psd,
  };
}

function gaussianRows(rng: Rng, N: number, n: number, scale: number, coherence = 0): Float64Array[] {
  const common = Float64Array.from({ length: n }, () => rng.normal());
  const a = Math.sqrt(coherence);
  const c = Math.sqrt(1 - coherence);
  return Array.from({ length: N }, () =>
    Float64Array.from({ length: n }, (_, j) => scale * (a * (common[j] as number) + c * rng.normal())),
  );
}

function rowsMat(rows: Float64Array[], n: number): Mat {
  const m = zeros(rows.length, n);
  rows.forEach((r, i) => m.data.set(r, i * n));
  return m;
}

export interface Example2Result {
  N: number;
  n: number;
  t: number[];
  /** rho(K_N(t)) of plain least squares (>= 1 for every t). */
  rho: number[];
  /** The same with ridge regularisation mu ||x||^2 / 2 (D = I). */
  rhoRegularised: number[];
  mu: number;
  /** A unit vector with A v = 0 (so K_N(t) v = v for every t). */
  nullVector: number[];
  /** max over t of ||K_N(t) v - v|| and the Rayleigh quotient v^T K v. */
  nullResidual: number;
  nullEigenvalue: number[];
  minRho: number;
}

/** Example 2: under-determined least squares, rho(K_N(t)) >= 1. */
export function example2(cfg: ExamplesSettings["ex2"]): Example2Result {
  const { N, n, mu } = cfg;
  if (!(N < n)) throw new Error(`example2: needs N < n (under-determined), got N=${N}, n=${n}`);
  const rng = Rng.derive(cfg.seed, 21);
  const rows = gaussianRows(rng, N, n, 1 / Math.sqrt(n));
  const b = Float64Array.from({ length: N }, () => rng.normal());
  const sys: IgdSystem = { n, N, u: rows, w: new Float64Array(N).fill(1), beta: b, gamma: 0, D: null };
  const reg: IgdSystem = { ...sys, gamma: mu / N, D: sparseIdentity(n) };
  // v = w - A^T (A A^T)^-1 A w, normalised
  const a = rowsMat(rows, n);
  const at = transpose(a);
  const w0 = randomUnit(rng, n);
  const coef = solve(matmul(a, at), matvec(a, w0));
  const proj = matvec(at, coef);
  const v = w0.map((x, j) => x - (proj[j] as number));
  const nv = Math.sqrt(dot(v, v));
  for (let j = 0; j < n; j++) v[j] = (v[j] as number) / nv;
  const ts = linspace(cfg.tMax / cfg.gridSize, cfg.tMax, cfg.gridSize);
  let resid = 0;
  const rayleigh: number[] = [];
  const rho: number[] = [];
  for (const t of ts) {
    const pm = passMatrix(sys, t);
    rho.push(spectrumOf(pm).rho);
    const kv = matvec(pm.K, v).map((x) => x * Math.exp(pm.logScale));
    resid = Math.max(resid, Math.sqrt(sqDist(kv, v)));
    rayleigh.push(dot(v, kv));
  }
  return {
    N,
    n,
    t: ts,
    rho,
    rhoRegularised: ts.map((t) => igdSpectralRadius(reg, t).rho),
    mu,
    nullVector: Array.from(v),
    nullResidual: resid,
    nullEigenvalue: rayleigh,
    minRho: Math.min(...rho),
  };
}

export interface Example3Study {
  coherence: number;
  t: number[];
  rho: number[];
  bound: number;
  psdBound: number;
  tConverge: number | null;
  intervals: [number, number][];
  /** tConverge / bound (1: the bound is exact; > 1: conservative; < 1: violated). */
  ratio: number | null;
}

export interface Example3Result {
  N: number;
  n: number;
  mu: number;
  studies: Example3Study[];
}

/**
 * Example 3: ridge-regularised least squares (D = I) with Gaussian rows
 * a_i ~ N(0, I/n), for several row coherences c (a_i = sqrt(c) g +
 * sqrt(1 - c) xi_i): how the paper's bound 2N / rho(mu I + A^T A)
 * compares with the largest convergent t.
 */
export function example3(
  cfg: ExamplesSettings["ex3"],
  coherences: readonly number[] = [0, 0.9],
): Example3Result {
  const { N, n, mu } = cfg;
  const studies = coherences.map((coherence, ci) => {
    const rng = Rng.derive(cfg.seed, 31, ci);
    const rows = gaussianRows(rng, N, n, 1 / Math.sqrt(n), coherence);
    const b = Float64Array.from({ length: N }, () => rng.normal());
    const sys: IgdSystem = {
      n,
      N,
      u: rows,
      w: new Float64Array(N).fill(1),
      beta: b,
      gamma: mu / N,
      D: sparseIdentity(n),
    };
    const bd = igdBounds(sys);
    // search up to a multiple of the larger of the bound and the row-wise
    // (Kaczmarz) limit 2 / max ||a_i||^2
    let maxRow = 0;
    for (const r of rows) maxRow = Math.max(maxRow, dot(r, r));
    const tMax = cfg.tMaxFactor * Math.max(bd.paper, 2 / maxRow);
    const ts = linspace(tMax / cfg.gridSize, tMax, cfg.gridSize);
    const rho = spectralSweep(sys, ts);
    const tc = firstDivergentStep(sys, ts, rho);
    return {
      coherence,
      t: ts,
      rho,
      bound: bd.paper,
      psdBound: bd.psd,
      tConverge: tc,
      intervals: convergentIntervals(ts, rho),
      ratio: tc === null ? null : tc / bd.paper,
    };
  });
  return { N, n, mu, studies };
}

export interface Example4Result {
  dim: number;
  N: number;
  t: number[];
  /** rho(K_N(t)), K_N(t) = prod (I - t H_i(x*)) (the linearised pass). */
  rho: number[];
  /** The paper's bound 2 / lambda_max(E[H_i(x*)]) = 2N / lambda_max(sum H_i). */
  bound: number;
  psdBound: number;
  tConverge: number | null;
  /** Finite-difference Jacobian of the nonlinear pass at x* vs K_N(t). */
  jacobianCheck: { t: number; maxAbsDiff: number; maxAbsK: number };
  /** (I - K_N(t)) x* = t c(t) (x* is the fixed point under interpolation). */
  fixedPointResidual: number;
  /** Nonlinear IGD from x* + r0 u: distance after each pass, per step. */
  runs: { t: number; rho: number; dist: number[]; converged: boolean }[];
}

/** Example 4: nonlinear least squares (phase retrieval) and its linearisation. */
export function example4(cfg: ExamplesSettings["ex4"]): Example4Result {
  const p = phaseRetrieval({ dim: cfg.dim, n: cfg.N, seed: cfg.seed });
  const d = p.dim;
  const rows = Array.from({ length: p.n }, (_, i) => p.a.data.slice(i * d, (i + 1) * d));
  const w = Float64Array.from(p.y, (y) => 2 * y);
  const beta = Float64Array.from(rows, (r, i) => (w[i] as number) * dot(r, p.xStar));
  const sys: IgdSystem = { n: d, N: p.n, u: rows, w, beta, gamma: 0, D: null };
  const bd = igdBounds(sys);
  const tMax = cfg.tMaxFactor * Math.max(bd.paper, 2 * bd.psd);
  const ts = linspace(tMax / cfg.gridSize, tMax, cfg.gridSize);
  const rho = spectralSweep(sys, ts);
  const tc = firstDivergentStep(sys, ts, rho);
  // nonlinear pass
  const g = new Float64Array(d);
  const pass = (t: number, x: Float64Array): Float64Array => {
    for (let i = 0; i < p.n; i++) {
      p.grad(i, x, g);
      for (let j = 0; j < d; j++) x[j] -= t * (g[j] as number);
    }
    return x;
  };
  const tJ = 0.5 * (tc ?? bd.psd);
  const pm = passMatrix(sys, tJ);
  const scale = Math.exp(pm.logScale);
  let maxDiff = 0;
  let maxK = 0;
  const h = 1e-6;
  for (let j = 0; j < d; j++) {
    const xp = p.xStar.slice();
    const xm = p.xStar.slice();
    xp[j] = (xp[j] as number) + h;
    xm[j] = (xm[j] as number) - h;
    pass(tJ, xp);
    pass(tJ, xm);
    for (let r = 0; r < d; r++) {
      const fd = ((xp[r] as number) - (xm[r] as number)) / (2 * h);
      const k = (pm.K.data[r * d + j] as number) * scale;
      maxDiff = Math.max(maxDiff, Math.abs(fd - k));
      maxK = Math.max(maxK, Math.abs(k));
    }
  }
  const kx = matvec(pm.K, p.xStar).map((v) => v * scale);
  const tcOff = passOffset(sys, tJ);
  const fixedRes = Math.sqrt(sqDist(p.xStar.map((v, j) => v - (kx[j] as number)), tcOff));
  const u = randomUnit(Rng.derive(cfg.seed, 41), d);
  const tRef = tc ?? bd.psd;
  const runs = [0.5, 0.9, 1.1, 1.5].map((f) => {
    const t = f * tRef;
    const x = p.xStar.map((v, j) => v + cfg.r0 * (u[j] as number));
    const dist: number[] = [];
    for (let k = 0; k < cfg.passes; k++) {
      pass(t, x);
      const dd = Math.sqrt(sqDist(x, p.xStar));
      dist.push(dd);
      if (!(dd < 1e6)) break;
    }
    const last = dist[dist.length - 1] as number;
    return { t, rho: igdSpectralRadius(sys, t).rho, dist, converged: last < 1e-3 * cfg.r0 };
  });
  return {
    dim: d,
    N: p.n,
    t: ts,
    rho,
    bound: bd.paper,
    psdBound: bd.psd,
    tConverge: tc,
    jacobianCheck: { t: tJ, maxAbsDiff: maxDiff, maxAbsK: maxK },
    fixedPointResidual: fixedRes,
    runs,
  };
}

/** IGD iterated from 0 against the fixed point x(t) (for tests and cells). */
export function iterateVsFixedPoint(
  sys: IgdSystem,
  t: number,
  passes: number,
): { fixedPoint: number[]; iterate: number[]; dist: number[] } {
  const xf = igdFixedPoint(sys, t);
  const { x, dist } = igdRun(sys, t, new Float64Array(sys.n), passes, xf);
  return { fixedPoint: Array.from(xf), iterate: Array.from(x), dist };
}
