/**
 * Theorem 2 of the paper and the exact second moments of SGD-CS on a
 * quadratic.
 *
 * Notation (paper, Section 3.1): H_i = Hessian of f_i at x*, H = mean of
 * the H_i, Sigma = (1/N) sum_i (H_i)^2 - H^2 (their variance; the
 * extracted text reads "Sigma* = (1/N) sum (H*)^2 - (H*)^2", garbled
 * subscripts; the proof's eq. (13) confirms E[H_xi^2] = H^2 + Sigma).
 *
 * Theorem 2 (eq. 6a, reconstructed from the proof, eqs. 11-14):
 *   rho(alpha) = lambda_max(I - 2 alpha H + alpha^2 H^2 + alpha^2 Sigma
 *                           + alpha^2 L^2 e^2 I + 2 alpha L e I) < 1
 *   => E||x_{k+1} - x*||^2 <= rho E||x_k - x*||^2 while x_k stays in
 *      N(x*, e).
 * The first four terms are lambda_max(E[(I - alpha H_xi)^2]); the last
 * two bound the Taylor remainder e_i(x) (Lemma 2: ||e_i(x)|| <= L||x -
 * x*||^2). Side conditions, as we read the garbled (6b)-(6c):
 *   (6b) 0 < alpha <= min_i 1 / lambda_max(H_i)  (so 0 <= I - alpha H_i
 *        <= I, used in (11d)), alpha <= 1 / (2 lambda_max(H)) (eq. 16:
 *        I - 2 alpha H >= 0), and H > L e I (eq. 15), i.e. the ball
 *        radius e < lambda_min(H) / L; the third entry of the garbled
 *        min, "L lambda_min(H)", can only be this condition on e, since
 *        the proof derives (15) "by (6b)";
 *   (6c) alpha < 2 lambda_min(W^{-1/2} (H - L e I) W^{-1/2}),
 *        W = H^2 + Sigma + L^2 e^2 I, which is (6a)'s "< 1" rearranged
 *        (alpha W < 2 (H - L e I)).
 * For a quadratic (L = 0) the proof needs no side condition: E[||x_{k+1}
 * - x*||^2 | x_k] = (x_k - x*)^T E[(I - alpha H_xi)^2] (x_k - x*) exactly.
 *
 * Mini-batches. The paper's proof bounds ||(1/m) sum_j v_j||^2 by max_j
 * ||v_j||^2 (eq. 11a), so its rho does not depend on m. For a batch of m
 * indices drawn uniformly WITH replacement (the paper's xi_k^(j) are
 * i.i.d. uniform; the proof of Theorem 1 sums over {1..N}^m with weight
 * N^-m), the exact expansion gives E[(I - alpha H_B)^2] = I - 2 alpha H +
 * alpha^2 (H^2 + Sigma / m). We use this sharper form: variance scale
 * s = 1/m (with replacement), s = (N - m) / (m (N - 1)) (without
 * replacement, the finite-population correction), and s = 1 reproduces the
 * paper's m-free bound.
 *
 * Exact second moments (quadratics). With delta_k = x_k - x*, H_B the
 * batch mean Hessian and g_B the batch mean of g_i = grad f_i(x*) (zero
 * under interpolation; sum_i g_i = 0 always):
 *   delta_{k+1} = (I - alpha H_B) delta_k - alpha g_B,
 *   mu_{k+1} = (I - alpha H) mu_k,
 *   M_{k+1} = (I - a H) M_k (I - a H)
 *             + a^2 s [ (1/N) sum (H_i - H) M_k (H_i - H)
 *                       + (1/N) sum (H_i mu_k g_i^T + g_i mu_k^T H_i)
 *                       + (1/N) sum g_i g_i^T ],
 * with mu = E delta, M = E delta delta^T and E||delta_k||^2 = tr M_k.
 * The homogeneous part M -> S(M) is the "second-moment superoperator"; its
 * spectral radius is the exact asymptotic contraction factor of E||x_k -
 * x*||^2, and tr S(M) = tr(E[(I - a H_B)^2] M) <= rho tr M for every
 * M >= 0, so rho(S) <= rho(alpha) (Theorem 2's bound, L = 0).
 */
import { eigenvalues } from "./eigen";
import {
  axpby,
  eye,
  type Mat,
  matmul,
  solve,
  symExtremes,
  symFunction,
  symmetrize,
  trace,
  zeros,
} from "./linalg";
import type { FiniteSum } from "./problems";

export type Sampling = "with-replacement" | "without-replacement" | "paper";

/** Variance scale s of the batch-mean Hessian (see the module comment). */
export function varianceScale(batch: number, n: number, sampling: Sampling): number {
  if (!(Number.isInteger(batch) && batch >= 1)) {
    throw new Error(`batch must be a positive integer, got ${batch}`);
  }
  if (sampling === "paper") return 1;
  if (sampling === "with-replacement") return 1 / batch;
  if (batch > n) throw new Error(`batch ${batch} > N ${n} without replacement`);
  return n === 1 ? 0 : (n - batch) / (batch * (n - 1));
}

/** Component Hessians and gradients at x*, and their mean and variance. */
export interface HessianStats {
  dim: number;
  n: number;
  /** H_i at x*. */
  hs: Mat[];
  /** g_i = grad f_i(x*). */
  gs: Float64Array[];
  /** Mean Hessian H. */
  h: Mat;
  /** Sigma = (1/N) sum H_i^2 - H^2. */
  sigma: Mat;
  /** (1/N) sum g_i g_i^T (zero under interpolation). */
  gradCov: Mat;
  lambdaMinH: number;
  lambdaMaxH: number;
  /** max_i lambda_max(H_i). */
  lambdaMaxHi: number;
}

export function hessianStats(p: FiniteSum): HessianStats {
  const d = p.dim;
  const hs: Mat[] = [];
  const gs: Float64Array[] = [];
  const h = zeros(d, d);
  const sq = zeros(d, d);
  const gradCov = zeros(d, d);
  let lambdaMaxHi = -Infinity;
  for (let i = 0; i < p.n; i++) {
    const hi = p.hess(i, p.xStar);
    const g = new Float64Array(d);
    p.grad(i, p.xStar, g);
    hs.push(hi);
    gs.push(g);
    const hi2 = matmul(hi, hi);
    for (let k = 0; k < d * d; k++) {
      h.data[k] += (hi.data[k] as number) / p.n;
      sq.data[k] += (hi2.data[k] as number) / p.n;
    }
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) gradCov.data[r * d + c] += ((g[r] as number) * (g[c] as number)) / p.n;
    }
    lambdaMaxHi = Math.max(lambdaMaxHi, symExtremes(symmetrize(hi)).max);
  }
  const sigma = symmetrize(axpby(1, sq, -1, matmul(h, h)));
  const ext = symExtremes(symmetrize(h));
  return {
    dim: d,
    n: p.n,
    hs,
    gs,
    h,
    sigma,
    gradCov,
    lambdaMinH: ext.min,
    lambdaMaxH: ext.max,
    lambdaMaxHi,
  };
}

/** The matrix inside Theorem 2's lambda_max, with variance scale s. */
export function theorem2Matrix(st: HessianStats, alpha: number, s: number, lip: number, radius: number): Mat {
  const d = st.dim;
  const i = eye(d);
  const h2 = matmul(st.h, st.h);
  const le = lip * radius;
  const m = zeros(d, d);
  for (let k = 0; k < d * d; k++) {
    m.data[k] =
      (i.data[k] as number) * (1 + alpha * alpha * le * le + 2 * alpha * le) -
      2 * alpha * (st.h.data[k] as number) +
      alpha * alpha * ((h2.data[k] as number) + s * (st.sigma.data[k] as number));
  }
  return symmetrize(m);
}

/** Theorem 2's rho(alpha) (eq. 6a). */
export function rhoBound(st: HessianStats, alpha: number, s: number, lip = 0, radius = 0): number {
  return symExtremes(theorem2Matrix(st, alpha, s, lip, radius)).max;
}

/**
 * Step-size limits of Theorem 2: alpha6a (largest alpha with rho < 1,
 * which equals the (6c) limit), alpha6b (the (6b) limit), and the largest
 * radius e with H > L e I (0 conditions when L = 0: Infinity).
 */
export function theorem2Limits(
  st: HessianStats,
  s: number,
  lip = 0,
  radius = 0,
): { alpha6a: number; alpha6b: number; radiusMax: number } {
  const d = st.dim;
  const le = lip * radius;
  const w = axpby(1, matmul(st.h, st.h), s, st.sigma);
  for (let k = 0; k < d; k++) w.data[k * d + k] += le * le;
  const wInvSqrt = symFunction(symmetrize(w), (l) => 1 / Math.sqrt(Math.max(l, 1e-300)));
  const hm = axpby(1, st.h, -le, eye(d));
  const c = symmetrize(matmul(matmul(wInvSqrt, hm), wInvSqrt));
  const alpha6a = Math.max(0, 2 * symExtremes(c).min);
  const alpha6b = Math.min(1 / st.lambdaMaxHi, 1 / (2 * st.lambdaMaxH));
  const radiusMax = lip > 0 ? st.lambdaMinH / lip : Infinity;
  return { alpha6a, alpha6b, radiusMax };
}

/**
 * The second-moment superoperator S as a d^2 x d^2 matrix on row-major
 * vec(M): S = (I - aH) (x) (I - aH) + a^2 s (1/N) sum (H_i - H) (x) (H_i - H).
 */
export function secondMomentOperator(st: HessianStats, alpha: number, s: number): Mat {
  const d = st.dim;
  const dd = d * d;
  const op = zeros(dd, dd);
  const addKron = (a: Mat, weight: number): void => {
    // vec_r(A M A^T) = (A (x) A) vec_r(M); H_i symmetric so A^T = A
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        const apq = (a.data[p * d + q] as number) * weight;
        if (apq === 0) continue;
        for (let r = 0; r < d; r++) {
          const row = (p * d + r) * dd + q * d;
          for (let c = 0; c < d; c++) op.data[row + c] += apq * (a.data[r * d + c] as number);
        }
      }
    }
  };
  addKron(axpby(1, eye(d), -alpha, st.h), 1);
  if (s > 0) {
    for (const hi of st.hs) addKron(axpby(1, hi, -1, st.h), (alpha * alpha * s) / st.n);
  }
  return op;
}

/** Spectral radius of S: the exact mean-square contraction factor. */
export function meanSquareRate(st: HessianStats, alpha: number, s: number): number {
  const { re, im } = eigenvalues(secondMomentOperator(st, alpha, s));
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i] as number, im[i] as number));
  return r;
}

/**
 * E||x_k - x*||^2 for k = 0..steps, exactly (quadratic problems), from a
 * deterministic start x0.
 */
export function exactMeanSquare(
  st: HessianStats,
  alpha: number,
  s: number,
  delta0: Float64Array,
  steps: number,
): Float64Array {
  const d = st.dim;
  const out = new Float64Array(steps + 1);
  let mu = delta0.slice();
  let m = zeros(d, d);
  for (let p = 0; p < d; p++) {
    for (let q = 0; q < d; q++) m.data[p * d + q] = (delta0[p] as number) * (delta0[q] as number);
  }
  out[0] = trace(m);
  const ia = axpby(1, eye(d), -alpha, st.h);
  const centred = st.hs.map((hi) => axpby(1, hi, -1, st.h));
  const a2s = alpha * alpha * s;
  const hasNoise = st.gs.some((g) => g.some((v) => v !== 0));
  for (let k = 1; k <= steps; k++) {
    const next = matmul(matmul(ia, m), ia);
    if (a2s > 0) {
      for (let i = 0; i < st.n; i++) {
        const ci = centred[i] as Mat;
        const t = matmul(matmul(ci, m), ci);
        for (let j = 0; j < d * d; j++) next.data[j] += (a2s * (t.data[j] as number)) / st.n;
      }
      if (hasNoise) {
        for (let i = 0; i < st.n; i++) {
          const hmu = matvecSym(st.hs[i] as Mat, mu);
          const g = st.gs[i] as Float64Array;
          for (let p = 0; p < d; p++) {
            for (let q = 0; q < d; q++) {
              const sym = (hmu[p] as number) * (g[q] as number) + (g[p] as number) * (hmu[q] as number);
              next.data[p * d + q] += (a2s * sym) / st.n;
            }
          }
        }
        for (let j = 0; j < d * d; j++) next.data[j] += a2s * (st.gradCov.data[j] as number);
      }
    }
    m = next;
    mu = matvecSym(ia, mu);
    out[k] = trace(m);
  }
  return out;
}

function matvecSym(a: Mat, x: Float64Array): Float64Array {
  const d = a.rows;
  const y = new Float64Array(d);
  for (let p = 0; p < d; p++) {
    let s = 0;
    for (let q = 0; q < d; q++) s += (a.data[p * d + q] as number) * (x[q] as number);
    y[p] = s;
  }
  return y;
}

/**
 * The noise floor lim E||x_k - x*||^2 = tr M_inf, M_inf = a^2 s (I - S)^-1
 * [(1/N) sum g_i g_i^T] (needs rho(S) < 1; Infinity otherwise).
 */
export function stationaryMeanSquare(st: HessianStats, alpha: number, s: number): number {
  const op = secondMomentOperator(st, alpha, s);
  const rate = meanSquareRate(st, alpha, s);
  if (rate >= 1) return Infinity;
  const dd = st.dim * st.dim;
  const lhs = axpby(1, eye(dd), -1, op);
  const rhs = st.gradCov.data.map((v) => alpha * alpha * s * v);
  const m = solve(lhs, rhs);
  let tr = 0;
  for (let p = 0; p < st.dim; p++) tr += m[p * st.dim + p] as number;
  return tr;
}
