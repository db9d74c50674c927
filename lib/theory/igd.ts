/**
 * Incremental gradient descent (IGD) with a constant step t on
 * f(x) = sum_{i=1..N} f_i(x), components visited in the order 1..N, for
 * components whose gradients are affine:
 *   grad f_i(x) = (w_i u_i u_i^T + gamma D) x - beta_i u_i.
 * This covers every example of Section 5 / Appendix A.2:
 *   Example 1 (f_i = x_i^2):          u_i = e_i, w_i = 2, beta_i = 0;
 *   Examples 2-3 (least squares,
 *     f_i = 1/2 (a_i^T x - b_i)^2 + mu/(2N) x^T D x):
 *                                     u_i = a_i, w_i = 1, beta_i = b_i,
 *                                     gamma = mu / N;
 *   Example 4 (nonlinear least squares linearised at x*, H_i(x*) =
 *     w_i u_i u_i^T):                 beta_i = w_i u_i^T x*.
 *
 * One step is x <- P_i x + t beta_i u_i with P_i = I - t w_i u_i u_i^T -
 * t gamma D, so one pass is the affine map
 *   x <- K_N(t) x + t c(t),  K_N(t) = P_N ... P_2 P_1,
 *   t c(t) = sum_j t beta_j (P_N ... P_{j+1}) u_j,
 * and IGD converges (from every start) iff rho(K_N(t)) < 1, to the fixed
 * point x(t) = (I - K_N(t))^{-1} t c(t) (the iterate at the end of each
 * pass). The paper's eq. (21) writes K_j = prod_{i<=j} with c(t) = sum_j
 * b_j K_{j-1}(t) a_j, which is this map for the visiting order N..1 (the
 * product P_1 ... P_N); since each P_i is symmetric, the two products are
 * transposes of each other and have the same spectrum.
 *
 * K_N(t) is formed by N rank-one-plus-sparse updates of a dense n x n
 * matrix, O(N n^2 + N n nnz(D)) per t (never a dense product of dense
 * factors, O(N n^3)); D X is applied in one sweep over the rows with a
 * ring buffer of bw + 1 rows (bw: the bandwidth of D, 1 for the path
 * Laplacian, n - 1 in the worst case). K is renormalised as it grows so
 * divergent steps do not overflow: K_N(t) = exp(logScale) * K.
 */
import { eigenvalues } from "./eigen";
import { dot, type Mat, maxAbs, solve, zeros } from "./linalg";

/** A sparse symmetric matrix in compressed rows. */
export interface SparseSym {
  n: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** From a dense symmetric matrix (drops exact zeros). */
export function sparseFromDense(a: Mat): SparseSym {
  const n = a.rows;
  const rowPtr = new Int32Array(n + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = a.data[i * n + j] as number;
      if (v !== 0) {
        col.push(j);
        val.push(v);
      }
    }
    rowPtr[i + 1] = col.length;
  }
  return { n, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) };
}

export function sparseToDense(s: SparseSym): Mat {
  const m = zeros(s.n, s.n);
  for (let i = 0; i < s.n; i++) {
    for (let k = s.rowPtr[i] as number; k < (s.rowPtr[i + 1] as number); k++) {
      m.data[i * s.n + (s.col[k] as number)] = s.val[k] as number;
    }
  }
  return m;
}

/**
 * D = L^T L with L the (n - order) x n forward-difference operator of the
 * given order: order 1 is the path-graph Laplacian (tridiagonal: 1 -1 /
 * -1 2 -1 / ... / -1 1, null space the constants, lambda_max < 4);
 * order 2 penalises curvature (pentadiagonal, null space the lines,
 * lambda_max < 16).
 */
export function differencePenalty(n: number, order: 1 | 2 = 1): SparseSym {
  const stencil = order === 1 ? [-1, 1] : [1, -2, 1];
  const d = zeros(n, n);
  for (let r = 0; r + order < n; r++) {
    for (let p = 0; p <= order; p++) {
      for (let q = 0; q <= order; q++) {
        d.data[(r + p) * n + r + q] += (stencil[p] as number) * (stencil[q] as number);
      }
    }
  }
  return sparseFromDense(d);
}

export function sparseIdentity(n: number): SparseSym {
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) rowPtr[i] = i;
  return { n, rowPtr, col: Int32Array.from({ length: n }, (_, i) => i), val: new Float64Array(n).fill(1) };
}

export interface IgdSystem {
  /** Dimension of x. */
  n: number;
  /** Number of components (steps per pass). */
  N: number;
  /** u_i (length n each); null means u_i = e_i (A = I, needs N = n). */
  u: Float64Array[] | null;
  w: Float64Array;
  beta: Float64Array;
  /** Weight of D in every component (mu / N). */
  gamma: number;
  D: SparseSym | null;
}

function validate(sys: IgdSystem): void {
  if (sys.u === null && sys.N !== sys.n) throw new Error("IgdSystem: u = identity needs N = n");
  if (sys.u !== null && sys.u.length !== sys.N) throw new Error("IgdSystem: need N vectors u_i");
  if (sys.w.length !== sys.N || sys.beta.length !== sys.N) {
    throw new Error("IgdSystem: w, beta need length N");
  }
  if (sys.D !== null && sys.D.n !== sys.n) throw new Error("IgdSystem: D has the wrong size");
}

/** Half-bandwidth of D: max |i - j| over its non-zeros. */
export function bandwidth(d: SparseSym): number {
  let bw = 0;
  for (let i = 0; i < d.n; i++) {
    for (let k = d.rowPtr[i] as number; k < (d.rowPtr[i + 1] as number); k++) {
      bw = Math.max(bw, Math.abs((d.col[k] as number) - i));
    }
  }
  return bw;
}

/** Diagonal and first off-diagonal of a tridiagonal symmetric D. */
function tridiagonalParts(d: SparseSym): { diag: Float64Array; off: Float64Array } {
  const diag = new Float64Array(d.n);
  const off = new Float64Array(Math.max(0, d.n - 1));
  for (let i = 0; i < d.n; i++) {
    for (let k = d.rowPtr[i] as number; k < (d.rowPtr[i + 1] as number); k++) {
      const j = d.col[k] as number;
      if (j === i) diag[i] = d.val[k] as number;
      else if (j === i + 1) off[i] = d.val[k] as number;
    }
  }
  return { diag, off };
}

/** y = D x (sparse). */
function spmv(d: SparseSym, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < d.n; i++) {
    let s = 0;
    for (let k = d.rowPtr[i] as number; k < (d.rowPtr[i + 1] as number); k++) {
      s += (d.val[k] as number) * (x[d.col[k] as number] as number);
    }
    y[i] = s;
  }
}

/** One IGD pass in place (components 1..N in order); returns x. */
export function igdPass(sys: IgdSystem, t: number, x: Float64Array): Float64Array {
  const n = sys.n;
  const dx = new Float64Array(n);
  const useD = sys.D !== null && sys.gamma !== 0;
  for (let i = 0; i < sys.N; i++) {
    const w = sys.w[i] as number;
    const beta = sys.beta[i] as number;
    if (useD) spmv(sys.D as SparseSym, x, dx);
    if (sys.u === null) {
      const r = w * (x[i] as number) - beta;
      if (useD) for (let j = 0; j < n; j++) x[j] -= t * sys.gamma * (dx[j] as number);
      x[i] -= t * r;
    } else {
      const u = sys.u[i] as Float64Array;
      const r = w * dot(u, x) - beta;
      if (useD) for (let j = 0; j < n; j++) x[j] -= t * sys.gamma * (dx[j] as number);
      for (let j = 0; j < n; j++) x[j] -= t * r * (u[j] as number);
    }
  }
  return x;
}

/** K_N(t) = exp(logScale) * K, formed by N structured updates. */
export interface PassMatrix {
  K: Mat;
  logScale: number;
}

export function passMatrix(sys: IgdSystem, t: number): PassMatrix {
  validate(sys);
  const n = sys.n;
  const X = zeros(n, n);
  for (let i = 0; i < n; i++) X.data[i * n + i] = 1;
  const x = X.data;
  const v = new Float64Array(n);
  const useD = sys.D !== null && sys.gamma !== 0;
  const slots = (sys.D === null ? 0 : bandwidth(sys.D)) + 1;
  const ring = new Float64Array(useD ? Math.max(2, slots) * n : 0);
  const tri = useD && slots === 2 ? tridiagonalParts(sys.D as SparseSym) : null;
  const c = t * sys.gamma;
  let logScale = 0;
  for (let i = 0; i < sys.N; i++) {
    const tw = t * (sys.w[i] as number);
    // v = u_i^T X (old X)
    if (sys.u === null) {
      v.set(x.subarray(i * n, (i + 1) * n));
    } else {
      const u = sys.u[i] as Float64Array;
      v.fill(0);
      for (let r = 0; r < n; r++) {
        const ur = u[r] as number;
        if (ur === 0) continue;
        const o = r * n;
        for (let j = 0; j < n; j++) v[j] += ur * (x[o + j] as number);
      }
    }
    // X <- X - c D X in one sweep over the rows: D is banded, so row r of
    // D X needs old rows r - bw..r + bw; the rows above r are already
    // overwritten and are read from a ring buffer of the last bw + 1 old rows
    if (useD && tri !== null) {
      // tridiagonal D (the path Laplacian): one fused loop per row
      const { diag, off } = tri;
      for (let r = 0; r < n; r++) {
        const o = r * n;
        const cur = (r & 1) * n; // old row r goes to slot r % 2
        const prev = cur === 0 ? n : 0;
        for (let j = 0; j < n; j++) ring[cur + j] = x[o + j] as number;
        const a = r > 0 ? c * (off[r - 1] as number) : 0;
        const b = c * (diag[r] as number);
        const e = r < n - 1 ? c * (off[r] as number) : 0;
        const q = o + n;
        if (r > 0 && r < n - 1) {
          for (let j = 0; j < n; j++) {
            x[o + j] -=
              a * (ring[prev + j] as number) +
              b * (ring[cur + j] as number) +
              e * (x[q + j] as number);
          }
        } else {
          for (let j = 0; j < n; j++) {
            const up = r > 0 ? a * (ring[prev + j] as number) : 0;
            const down = r < n - 1 ? e * (x[q + j] as number) : 0;
            x[o + j] -= up + b * (ring[cur + j] as number) + down;
          }
        }
      }
    } else if (useD) {
      const d = sys.D as SparseSym;
      for (let r = 0; r < n; r++) {
        const o = r * n;
        const slot = (r % slots) * n;
        for (let j = 0; j < n; j++) ring[slot + j] = x[o + j] as number;
        for (let k = d.rowPtr[r] as number; k < (d.rowPtr[r + 1] as number); k++) {
          const col = d.col[k] as number;
          const dv = c * (d.val[k] as number);
          if (col <= r) {
            const q = (col % slots) * n;
            for (let j = 0; j < n; j++) x[o + j] -= dv * (ring[q + j] as number);
          } else {
            const q = col * n;
            for (let j = 0; j < n; j++) x[o + j] -= dv * (x[q + j] as number);
          }
        }
      }
    }
    // X <- X - t w_i u_i v^T
    if (sys.u === null) {
      const o = i * n;
      for (let j = 0; j < n; j++) x[o + j] -= tw * (v[j] as number);
    } else {
      const u = sys.u[i] as Float64Array;
      for (let r = 0; r < n; r++) {
        const f = tw * (u[r] as number);
        if (f === 0) continue;
        const o = r * n;
        for (let j = 0; j < n; j++) x[o + j] -= f * (v[j] as number);
      }
    }
    // renormalise when large (checked every 8 factors)
    if ((i & 7) === 7 || i === sys.N - 1) {
      const m = maxAbs(x);
      if (m > 1e10 || (m > 0 && m < 1e-50)) {
        for (let j = 0; j < n * n; j++) x[j] /= m;
        logScale += Math.log(m);
      }
    }
  }
  return { K: X, logScale };
}

/** t c(t): one pass from x = 0. */
export function passOffset(sys: IgdSystem, t: number): Float64Array {
  return igdPass(sys, t, new Float64Array(sys.n));
}

export interface IgdSpectrum {
  t: number;
  /** rho(K_N(t)) (may be Infinity when it overflows a double). */
  rho: number;
  /** log10 rho(K_N(t)) (always finite unless K_N(t) is nilpotent). */
  log10Rho: number;
}

/** rho(K_N(t)), with its log10 for plotting divergent steps. */
export function igdSpectralRadius(sys: IgdSystem, t: number): IgdSpectrum {
  const { K, logScale } = passMatrix(sys, t);
  const { re, im } = eigenvalues(K);
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i] as number, im[i] as number));
  const ln = Math.log(r) + logScale;
  return { t, rho: Math.exp(ln), log10Rho: ln / Math.LN10 };
}

/**
 * Beyond this growth of K_N(t) (entries ~ e^23 = 1e10) the linear system
 * for the fixed point has condition number > 1e10 and K_N(t) itself is
 * known only to ~1e-16 of its largest entries: x(t) is reported as NaN.
 */
const MAX_LOG_SCALE = 23;

/**
 * The fixed point x(t) of the pass map, solving (I - K_N(t)) x = t c(t)
 * (as (e^-s I - K) x = e^-s t c(t) when K_N(t) = e^s K is rescaled). It
 * exists whenever 1 is not an eigenvalue of K_N(t), also for steps where
 * the iteration itself diverges (rho > 1): then it is a repelling fixed
 * point that IGD does not reach. NaN where it is numerically undefined
 * (singular, or K_N(t) too large: see MAX_LOG_SCALE).
 */
export function igdFixedPoint(sys: IgdSystem, t: number, pm: PassMatrix = passMatrix(sys, t)): Float64Array {
  const n = sys.n;
  if (pm.logScale > MAX_LOG_SCALE) return new Float64Array(n).fill(NaN);
  const f = Math.exp(-pm.logScale);
  const lhs = zeros(n, n);
  for (let j = 0; j < n * n; j++) lhs.data[j] = -(pm.K.data[j] as number);
  for (let i = 0; i < n; i++) lhs.data[i * n + i] += f;
  const rhs = passOffset(sys, t).map((v) => v * f);
  try {
    return solve(lhs, rhs);
  } catch {
    return new Float64Array(n).fill(NaN);
  }
}

/** Runs `passes` passes from x0 and returns the distances to `target` after each. */
export function igdRun(
  sys: IgdSystem,
  t: number,
  x0: Float64Array,
  passes: number,
  target: Float64Array,
): { x: Float64Array; dist: number[] } {
  const x = x0.slice();
  const dist: number[] = [];
  for (let k = 0; k < passes; k++) {
    igdPass(sys, t, x);
    let s = 0;
    for (let j = 0; j < sys.n; j++) s += ((x[j] as number) - (target[j] as number)) ** 2;
    dist.push(Math.sqrt(s));
    if (!Number.isFinite(s)) break;
  }
  return { x, dist };
}

/** The minimiser of f: (sum_i w_i u_i u_i^T + N gamma D) x = sum_i beta_i u_i. */
export function igdMinimizer(sys: IgdSystem): Float64Array {
  const n = sys.n;
  const m = zeros(n, n);
  const rhs = new Float64Array(n);
  for (let i = 0; i < sys.N; i++) {
    const w = sys.w[i] as number;
    const beta = sys.beta[i] as number;
    if (sys.u === null) {
      m.data[i * n + i] += w;
      rhs[i] += beta;
    } else {
      const u = sys.u[i] as Float64Array;
      for (let p = 0; p < n; p++) {
        rhs[p] += beta * (u[p] as number);
        for (let q = 0; q < n; q++) m.data[p * n + q] += w * (u[p] as number) * (u[q] as number);
      }
    }
  }
  if (sys.D !== null && sys.gamma !== 0) {
    const d = sparseToDense(sys.D);
    for (let j = 0; j < n * n; j++) m.data[j] += sys.N * sys.gamma * (d.data[j] as number);
  }
  return solve(m, rhs);
}

/** The Hessian of f: sum_i w_i u_i u_i^T + N gamma D (dense). */
export function igdHessian(sys: IgdSystem): Mat {
  const n = sys.n;
  const m = zeros(n, n);
  for (let i = 0; i < sys.N; i++) {
    const w = sys.w[i] as number;
    if (sys.u === null) m.data[i * n + i] += w;
    else {
      const u = sys.u[i] as Float64Array;
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) m.data[p * n + q] += w * (u[p] as number) * (u[q] as number);
      }
    }
  }
  if (sys.D !== null && sys.gamma !== 0) {
    const d = sparseToDense(sys.D);
    for (let j = 0; j < n * n; j++) m.data[j] += sys.N * sys.gamma * (d.data[j] as number);
  }
  return m;
}
