/**
 * Eigenvalues of a real non-symmetric matrix, for the spectral radius of
 * the IGD pass matrix K_N(t) (Section 5) and of the second-moment map of
 * SGD (Section 4). Both are non-symmetric and can have complex
 * eigenvalues, so a symmetric solver or a plain power iteration will not
 * do (power iteration does not settle on a complex-conjugate pair).
 *
 * Algorithm (EISPACK / JAMA, eigenvalues only):
 *   1. balance: diagonal similarity by powers of 2 (Parlett & Reinsch
 *      1969), equalising row and column norms; exact in floating point
 *      and it makes the products K_N(t), whose entries span many orders
 *      of magnitude, well conditioned for step 3;
 *   2. orthes: Householder reduction to upper Hessenberg form;
 *   3. hqr: Francis double-shift QR on the Hessenberg matrix, updating
 *      only the active block (no Schur vectors), with the exceptional
 *      shifts at iterations 10 and 30.
 * Steps 2-3 follow JAMA's `orthes`/`hqr2` (public domain), with the
 * eigenvector back-substitution removed and the update ranges narrowed as
 * in EISPACK `hqr`: about 2.5x less work than ml-matrix's
 * EigenvalueDecomposition, which always accumulates eigenvectors.
 * Tested against matrices with known spectra (test/theory/eigen.test.ts).
 */
import type { Mat } from "./linalg";

export interface Eigenvalues {
  /** Real parts. */
  re: Float64Array;
  /** Imaginary parts (complex pairs appear as +b, -b). */
  im: Float64Array;
}

/** Balances a (row-major n x n, in place) by powers of 2. */
function balance(h: Float64Array, n: number): void {
  const radix = 2;
  const sqrdx = radix * radix;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let r = 0;
      let c = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(h[j * n + i] as number);
        r += Math.abs(h[i * n + j] as number);
      }
      if (c === 0 || r === 0) continue;
      let g = r / radix;
      let f = 1;
      const s = c + r;
      while (c < g) {
        f *= radix;
        c *= sqrdx;
      }
      g = r * radix;
      while (c > g) {
        f /= radix;
        c /= sqrdx;
      }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        const gi = 1 / f;
        for (let j = 0; j < n; j++) h[i * n + j] *= gi;
        for (let j = 0; j < n; j++) h[j * n + i] *= f;
      }
    }
  }
}

/** Householder reduction to upper Hessenberg form (in place). */
function orthes(h: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const fj = new Float64Array(n);
  const high = n - 1;
  for (let m = 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(h[i * n + m - 1] as number);
    if (scale === 0) continue;
    let hh = 0;
    for (let i = high; i >= m; i--) {
      const v = (h[i * n + m - 1] as number) / scale;
      ort[i] = v;
      hh += v * v;
    }
    let g = Math.sqrt(hh);
    if ((ort[m] as number) > 0) g = -g;
    hh -= (ort[m] as number) * g;
    ort[m] = (ort[m] as number) - g;
    // H = (I - u u^T / h) H, row by row (contiguous): f = u^T H / h
    fj.fill(0, m, n);
    for (let i = m; i <= high; i++) {
      const oi = ort[i] as number;
      if (oi === 0) continue;
      const ri = i * n;
      for (let j = m; j < n; j++) fj[j] += oi * (h[ri + j] as number);
    }
    for (let j = m; j < n; j++) fj[j] = (fj[j] as number) / hh;
    for (let i = m; i <= high; i++) {
      const oi = ort[i] as number;
      if (oi === 0) continue;
      const ri = i * n;
      for (let j = m; j < n; j++) h[ri + j] -= oi * (fj[j] as number);
    }
    // H = H (I - u u^T / h)
    for (let i = 0; i <= high; i++) {
      let f = 0;
      const o = i * n;
      for (let j = high; j >= m; j--) f += (ort[j] as number) * (h[o + j] as number);
      f /= hh;
      for (let j = m; j <= high; j++) h[o + j] -= f * (ort[j] as number);
    }
    ort[m] = scale * (ort[m] as number);
    h[m * n + m - 1] = scale * g;
    // below the subdiagonal is now zero in exact arithmetic
    for (let i = m + 1; i <= high; i++) h[i * n + m - 1] = 0;
  }
}

/** Francis double-shift QR, eigenvalues only (EISPACK hqr). */
function hqr(h: Float64Array, nn: number, d: Float64Array, e: Float64Array): void {
  const H = (i: number, j: number): number => h[i * nn + j] as number;
  const set = (i: number, j: number, v: number): void => {
    h[i * nn + j] = v;
  };
  let n = nn - 1;
  const low = 0;
  const eps = Number.EPSILON;
  let exshift = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  let iter = 0;
  let totalIter = 0;
  let norm = 0;
  for (let i = 0; i < nn; i++) {
    for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H(i, j));
  }
  while (n >= low) {
    // look for a single small subdiagonal element
    let l = n;
    while (l > low) {
      s = Math.abs(H(l - 1, l - 1)) + Math.abs(H(l, l));
      if (s === 0) s = norm;
      if (Math.abs(H(l, l - 1)) <= eps * s) break;
      l--;
    }
    if (l === n) {
      // one root found
      d[n] = H(n, n) + exshift;
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // two roots found
      w = H(n, n - 1) * H(n - 1, n);
      p = (H(n - 1, n - 1) - H(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x = H(n, n) + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = z !== 0 ? x - w / z : x + z;
        e[n - 1] = 0;
        e[n] = 0;
      } else {
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      // no convergence yet: form a shift
      x = H(n, n);
      y = 0;
      w = 0;
      if (l < n) {
        y = H(n - 1, n - 1);
        w = H(n, n - 1) * H(n - 1, n);
      }
      if (iter === 10) {
        // Wilkinson's original ad hoc shift
        exshift += x;
        for (let i = low; i <= n; i++) set(i, i, H(i, i) - x);
        s = Math.abs(H(n, n - 1)) + Math.abs(H(n - 1, n - 2));
        x = 0.75 * s;
        y = x;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        // MATLAB's new ad hoc shift
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) set(i, i, H(i, i) - s);
          exshift += s;
          x = 0.964;
          y = x;
          w = x;
        }
      }
      iter++;
      totalIter++;
      if (totalIter > 100 * nn) {
        throw new Error("eigenvalues: QR iteration did not converge");
      }
      // look for two consecutive small subdiagonal elements
      let m = n - 2;
      while (m >= l) {
        z = H(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / H(m + 1, m) + H(m, m + 1);
        q = H(m + 1, m + 1) - z - r - s;
        r = H(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(H(m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(H(m - 1, m - 1)) + Math.abs(z) + Math.abs(H(m + 1, m + 1))))
        ) {
          break;
        }
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        set(i, i - 2, 0);
        if (i > m + 2) set(i, i - 3, 0);
      }
      // double QR step on rows l..n and columns m..n
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = H(k, k - 1);
          q = H(k + 1, k - 1);
          r = notlast ? H(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s === 0) continue;
        if (k !== m) set(k, k - 1, -s * x);
        else if (l !== m) set(k, k - 1, -H(k, k - 1));
        p += s;
        x = p / s;
        y = q / s;
        z = r / s;
        q /= p;
        r /= p;
        // row modification (active block only: columns k..n)
        const rk = k * nn;
        const rk1 = rk + nn;
        const rk2 = rk1 + nn;
        for (let j = k; j <= n; j++) {
          let pp = (h[rk + j] as number) + q * (h[rk1 + j] as number);
          if (notlast) {
            pp += r * (h[rk2 + j] as number);
            h[rk2 + j] -= pp * z;
          }
          h[rk + j] -= pp * x;
          h[rk1 + j] -= pp * y;
        }
        // column modification (rows l..min(n, k+3))
        const iMax = Math.min(n, k + 3);
        for (let i = l; i <= iMax; i++) {
          const ri = i * nn;
          let pp = x * (h[ri + k] as number) + y * (h[ri + k + 1] as number);
          if (notlast) {
            pp += z * (h[ri + k + 2] as number);
            h[ri + k + 2] -= pp * r;
          }
          h[ri + k] -= pp;
          h[ri + k + 1] -= pp * q;
        }
      }
    }
  }
}

/** All eigenvalues of a square real matrix (not modified). */
export function eigenvalues(a: Mat): Eigenvalues {
  if (a.rows !== a.cols) throw new Error(`eigenvalues: ${a.rows}x${a.cols} is not square`);
  const n = a.rows;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  if (n === 0) return { re, im };
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i] as number)) {
      throw new Error("eigenvalues: matrix has non-finite entries");
    }
  }
  const h = a.data.slice();
  balance(h, n);
  orthes(h, n);
  hqr(h, n, re, im);
  return { re, im };
}

/** max |lambda| over the eigenvalues. */
export function spectralRadius(a: Mat): number {
  const { re, im } = eigenvalues(a);
  let rho = 0;
  for (let i = 0; i < re.length; i++) rho = Math.max(rho, Math.hypot(re[i] as number, im[i] as number));
  return rho;
}

/** Eigenvalues sorted by decreasing modulus, as plain pairs (for plots). */
export function sortedSpectrum(a: Mat): { re: number; im: number; abs: number }[] {
  const { re, im } = eigenvalues(a);
  const out = Array.from(re, (r, i) => ({ re: r, im: im[i] as number, abs: Math.hypot(r, im[i] as number) }));
  return out.sort((u, v) => v.abs - u.abs);
}
