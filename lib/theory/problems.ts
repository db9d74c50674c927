/**
 * Finite sums f(x) = (1/N) sum_i f_i(x) for Section 4 (SGD with a
 * constant step), each with its minimiser x*, component gradients and
 * Hessians, and a bound on the Hessian Lipschitz constant L of
 * assumption (A.2): ||H_i(x) - H_i(x*)|| <= L ||x - x*|| on the ball
 * N(x*, e).
 *
 * - leastSquares: f_i = 1/2 (a_i^T x - b_i)^2. Realizable targets
 *   (b = A x_true, interpolation holds) or noisy ones (b = A x_true +
 *   noise; x* is the least-squares solution and grad f_i(x*) != 0).
 *   Quadratic, so L = 0 and the second moments evolve exactly
 *   (moments.ts). Rows a_i ~ N(0, diag(scales^2)), so the mean Hessian
 *   H = A^T A / N is anisotropic.
 * - phaseRetrieval: f_i = 1/4 ((a_i^T x)^2 - y_i)^2, y_i = (a_i^T x*)^2,
 *   the realizable nonlinear least squares of Tan & Vershynin (2019),
 *   which the paper's Lemma 3 follows. Interpolation holds at x* (and at
 *   -x*). H_i(x) = (3 (a_i^T x)^2 - y_i) a_i a_i^T, so H_i(x*) =
 *   2 y_i a_i a_i^T.
 */
import type { Rng } from "../data/rng";
import { Rng as RngClass } from "../data/rng";
import { dot, matvec, type Mat, solve, transpose, matmul, zeros } from "./linalg";

export interface FiniteSum {
  name: string;
  /** Dimension d of x. */
  dim: number;
  /** Number of components N. */
  n: number;
  /** The minimiser of interest. */
  xStar: Float64Array;
  /** Whether grad f_i(x*) = 0 for every i (interpolation). */
  interpolation: boolean;
  /** Writes grad f_i(x) into out. */
  grad(i: number, x: Float64Array, out: Float64Array): void;
  /** Hessian of f_i at x, dim x dim. */
  hess(i: number, x: Float64Array): Mat;
  /** An upper bound on L over the ball of radius e around x* (0: quadratic). */
  hessLipschitz(radius: number): number;
}

export interface LeastSquaresOptions {
  /** Dimension d of x. */
  dim: number;
  /** Number of components N (rows of A); N >= d so x* is unique. */
  n: number;
  /** Standard deviation of the target noise; 0 gives realizable targets. */
  noise: number;
  /** Column scales of A (length dim); default linearly 0.5..1.5. */
  scales?: readonly number[];
  seed: number;
}

function gaussianVector(rng: Rng, d: number, scale = 1): Float64Array {
  const v = new Float64Array(d);
  for (let j = 0; j < d; j++) v[j] = scale * rng.normal();
  return v;
}

export function defaultScales(dim: number): number[] {
  return Array.from({ length: dim }, (_, j) => (dim === 1 ? 1 : 0.5 + j / (dim - 1)));
}

/** Least squares with realizable (noise = 0) or noisy targets. */
export function leastSquares(opts: LeastSquaresOptions): FiniteSum & { a: Mat; b: Float64Array } {
  const { dim, n, noise, seed } = opts;
  if (!(Number.isInteger(dim) && dim >= 1)) {
    throw new Error(`leastSquares: dim must be a positive integer, got ${dim}`);
  }
  if (!(Number.isInteger(n) && n >= dim)) {
    throw new Error(`leastSquares: n must be an integer >= dim, got ${n}`);
  }
  if (!(noise >= 0)) throw new Error(`leastSquares: noise must be >= 0, got ${noise}`);
  const scales = opts.scales ?? defaultScales(dim);
  if (scales.length !== dim) throw new Error("leastSquares: scales must have length dim");
  const rng = RngClass.derive(seed, 1);
  const a = zeros(n, dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) a.data[i * dim + j] = (scales[j] as number) * rng.normal();
  }
  const xTrue = gaussianVector(rng, dim);
  const b = matvec(a, xTrue);
  for (let i = 0; i < n; i++) b[i] = (b[i] as number) + noise * rng.normal();
  // x* = (A^T A)^{-1} A^T b (the normal equations; d is small)
  const at = transpose(a);
  const xStar = noise === 0 ? xTrue : solve(matmul(at, a), matvec(at, b));
  const row = (i: number): Float64Array => a.data.subarray(i * dim, (i + 1) * dim);
  return {
    name: noise === 0 ? "least squares (realizable)" : `least squares (noise ${noise})`,
    dim,
    n,
    xStar,
    interpolation: noise === 0,
    a,
    b,
    grad(i, x, out) {
      const ai = row(i);
      const r = dot(ai, x) - (b[i] as number);
      for (let j = 0; j < dim; j++) out[j] = r * (ai[j] as number);
    },
    hess(i) {
      const ai = row(i);
      const h = zeros(dim, dim);
      for (let p = 0; p < dim; p++) {
        for (let q = 0; q < dim; q++) h.data[p * dim + q] = (ai[p] as number) * (ai[q] as number);
      }
      return h;
    },
    hessLipschitz: () => 0,
  };
}

export interface PhaseRetrievalOptions {
  dim: number;
  n: number;
  seed: number;
}

/**
 * Real phase retrieval (Tan & Vershynin 2019): a_i ~ N(0, I_d), x* a unit
 * vector, y_i = (a_i^T x*)^2, f_i(x) = 1/4 ((a_i^T x)^2 - y_i)^2.
 *
 * Lipschitz bound: H_i(x) - H_i(x*) = 3 (a^T(x - x*)) (a^T(x + x*)) a a^T,
 * so for ||x - x*|| <= e,
 *   ||H_i(x) - H_i(x*)|| <= 3 ||a_i||^3 (2 |a_i^T x*| + ||a_i|| e) ||x - x*||,
 * and L(e) is the max over i.
 */
export function phaseRetrieval(opts: PhaseRetrievalOptions): FiniteSum & { a: Mat; y: Float64Array } {
  const { dim, n, seed } = opts;
  if (!(Number.isInteger(dim) && dim >= 1)) {
    throw new Error(`phaseRetrieval: dim must be a positive integer, got ${dim}`);
  }
  if (!(Number.isInteger(n) && n >= 2 * dim)) {
    throw new Error(`phaseRetrieval: n must be an integer >= 2*dim, got ${n}`);
  }
  const rng = RngClass.derive(seed, 2);
  const a = zeros(n, dim);
  for (let i = 0; i < a.data.length; i++) a.data[i] = rng.normal();
  const xStar = gaussianVector(rng, dim);
  const nx = Math.sqrt(dot(xStar, xStar));
  for (let j = 0; j < dim; j++) xStar[j] = (xStar[j] as number) / nx;
  const y = new Float64Array(n);
  const row = (i: number): Float64Array => a.data.subarray(i * dim, (i + 1) * dim);
  for (let i = 0; i < n; i++) y[i] = dot(row(i), xStar) ** 2;
  return {
    name: "phase retrieval (realizable)",
    dim,
    n,
    xStar,
    interpolation: true,
    a,
    y,
    grad(i, x, out) {
      const ai = row(i);
      const s = dot(ai, x);
      const c = (s * s - (y[i] as number)) * s;
      for (let j = 0; j < dim; j++) out[j] = c * (ai[j] as number);
    },
    hess(i, x) {
      const ai = row(i);
      const s = dot(ai, x);
      const c = 3 * s * s - (y[i] as number);
      const h = zeros(dim, dim);
      for (let p = 0; p < dim; p++) {
        for (let q = 0; q < dim; q++) h.data[p * dim + q] = c * (ai[p] as number) * (ai[q] as number);
      }
      return h;
    },
    hessLipschitz(radius) {
      let l = 0;
      for (let i = 0; i < n; i++) {
        const ai = row(i);
        const na = Math.sqrt(dot(ai, ai));
        l = Math.max(l, 3 * na ** 3 * (2 * Math.abs(dot(ai, xStar)) + na * radius));
      }
      return l;
    },
  };
}

/** A uniformly random unit vector. */
export function randomUnit(rng: Rng, d: number): Float64Array {
  for (;;) {
    const v = gaussianVector(rng, d);
    const nv = Math.sqrt(dot(v, v));
    if (nv > 1e-12) {
      for (let j = 0; j < d; j++) v[j] = (v[j] as number) / nv;
      return v;
    }
  }
}
