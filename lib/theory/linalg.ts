/**
 * Small dense linear algebra on row-major Float64Array matrices, sized
 * for the theory sections (d <= a few hundred). No tensors: Section 4
 * and 5 are about exact spectra and many cheap scalar runs, where plain
 * loops over Float64Array are faster and exact to the last bit.
 *
 * Symmetric eigen-decompositions go through ml-matrix (Householder
 * tridiagonalisation + QL); non-symmetric eigenvalues are in `eigen.ts`.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/** A dense rows x cols matrix, row-major: entry (i, j) is data[i*cols+j]. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function eye(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** From nested arrays (tests, small examples). */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  const r = rows.length;
  const c = r === 0 ? 0 : (rows[0] as readonly number[]).length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error("fromRows: ragged rows");
    row.forEach((v, j) => (m.data[i * c + j] = v));
  });
  return m;
}

export function toRows(a: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) {
    out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  }
  return out;
}

export function copy(a: Mat): Mat {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

export function transpose(a: Mat): Mat {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      t.data[j * a.rows + i] = a.data[i * a.cols + j] as number;
    }
  }
  return t;
}

/** C = A B (i-k-j loop order, cache friendly for row-major). */
export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) {
    throw new Error(`matmul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  }
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  const ad = a.data;
  const bd = b.data;
  const cd = c.data;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = ad[i * a.cols + k] as number;
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) cd[ci + j] += aik * (bd[bk + j] as number);
    }
  }
  return c;
}

/** y = A x. */
export function matvec(a: Mat, x: Float64Array): Float64Array {
  const y = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += (a.data[o + j] as number) * (x[j] as number);
    y[i] = s;
  }
  return y;
}

/** alpha A + beta B (same shape). */
export function axpby(alpha: number, a: Mat, beta: number, b: Mat): Mat {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error("axpby: shapes");
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) {
    c.data[i] = alpha * (a.data[i] as number) + beta * (b.data[i] as number);
  }
  return c;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function norm2sq(a: Float64Array): number {
  return dot(a, a);
}

export function trace(a: Mat): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.rows, a.cols); i++) s += a.data[i * a.cols + i] as number;
  return s;
}

/** Largest absolute entry (for tolerances and rescaling). */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/**
 * Solves A x = b by LU with partial pivoting (A square, copied).
 * Throws when A is singular to working precision.
 */
export function solve(a: Mat, b: Float64Array): Float64Array {
  const n = a.rows;
  if (a.cols !== n || b.length !== n) throw new Error("solve: shapes");
  const lu = a.data.slice();
  const x = b.slice();
  const scale = maxAbs(lu) || 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k] as number);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best <= 1e-14 * scale) throw new Error("solve: matrix is singular");
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j] as number;
        lu[k * n + j] = lu[p * n + j] as number;
        lu[p * n + j] = t;
      }
      const t = x[k] as number;
      x[k] = x[p] as number;
      x[p] = t;
    }
    const piv = lu[k * n + k] as number;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] as number) / piv;
      if (f === 0) continue;
      lu[i * n + k] = f;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * (lu[k * n + j] as number);
      x[i] -= f * (x[k] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let j = i + 1; j < n; j++) s -= (lu[i * n + j] as number) * (x[j] as number);
    x[i] = s / (lu[i * n + i] as number);
  }
  return x;
}

/** Eigen-decomposition of a symmetric matrix: ascending values, columns. */
export function symEig(a: Mat): { values: Float64Array; vectors: Mat } {
  if (a.rows !== a.cols) throw new Error("symEig: not square");
  const n = a.rows;
  const m = new Matrix(toRows(a));
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const v = e.eigenvectorMatrix;
  const order = vals.map((_, i) => i).sort((i, j) => (vals[i] as number) - (vals[j] as number));
  const values = new Float64Array(n);
  const vectors = zeros(n, n);
  order.forEach((src, dst) => {
    values[dst] = vals[src] as number;
    for (let i = 0; i < n; i++) vectors.data[i * n + dst] = v.get(i, src);
  });
  return { values, vectors };
}

/** Extreme eigenvalues of a symmetric matrix. */
export function symExtremes(a: Mat): { min: number; max: number } {
  const { values } = symEig(a);
  return { min: values[0] as number, max: values[values.length - 1] as number };
}

/** f(A) = V f(Lambda) V^T for symmetric A (e.g. the inverse square root). */
export function symFunction(a: Mat, f: (lambda: number) => number): Mat {
  const { values, vectors } = symEig(a);
  const n = a.rows;
  const out = zeros(n, n);
  for (let k = 0; k < n; k++) {
    const fk = f(values[k] as number);
    for (let i = 0; i < n; i++) {
      const vik = (vectors.data[i * n + k] as number) * fk;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out.data[i * n + j] += vik * (vectors.data[j * n + k] as number);
    }
  }
  return out;
}

/** Symmetrises in place: (A + A^T) / 2 (removes round-off asymmetry). */
export function symmetrize(a: Mat): Mat {
  const n = a.rows;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * ((a.data[i * n + j] as number) + (a.data[j * n + i] as number));
      a.data[i * n + j] = v;
      a.data[j * n + i] = v;
    }
  }
  return a;
}
