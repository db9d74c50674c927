/**
 * The non-symmetric eigenvalue solver against matrices whose spectra are
 * known: rotations (purely complex), companion matrices of polynomials
 * with chosen roots, random similarity transforms of block-diagonal
 * matrices (real and complex-pair blocks), triangular and badly scaled
 * matrices; and agreement with ml-matrix on random ones.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { Rng } from "../../lib/data/rng";
import { eigenvalues, spectralRadius } from "../../lib/theory/eigen";
import { eye, fromRows, type Mat, matmul, solve, zeros } from "../../lib/theory/linalg";

type C = [number, number];

/** Matches two multisets of complex numbers greedily; returns the max error. */
function spectrumError(got: C[], want: C[]): number {
  assert.equal(got.length, want.length);
  const left = want.slice();
  let worst = 0;
  for (const g of got) {
    let best = -1;
    let bestD = Infinity;
    left.forEach((w, i) => {
      const d = Math.hypot(g[0] - w[0], g[1] - w[1]);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    worst = Math.max(worst, bestD);
    left.splice(best, 1);
  }
  return worst;
}

function pairs(a: Mat): C[] {
  const { re, im } = eigenvalues(a);
  return Array.from(re, (r, i) => [r, im[i] as number] as C);
}

/** S B S^{-1} for a random well-conditioned S (column-wise solves). */
function similar(b: Mat, rng: Rng): Mat {
  const n = b.rows;
  const s = eye(n);
  for (let i = 0; i < n * n; i++) s.data[i] += 0.3 * rng.normal();
  const sb = matmul(s, b);
  // X = S B S^{-1}  <=>  X^T = S^{-T} (S B)^T: solve S^T X^T = (S B)^T
  const st = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) st.data[i * n + j] = s.data[j * n + i] as number;
  const x = zeros(n, n);
  for (let r = 0; r < n; r++) {
    const rhs = Float64Array.from({ length: n }, (_, j) => sb.data[r * n + j] as number);
    const col = solve(st, rhs); // row r of X
    x.data.set(col, r * n);
  }
  return x;
}

describe("eigenvalues of non-symmetric matrices", () => {
  it("a rotation by theta has e^{+-i theta}", () => {
    for (const th of [0.3, Math.PI / 2, 2.5]) {
      const r = fromRows([
        [Math.cos(th), -Math.sin(th)],
        [Math.sin(th), Math.cos(th)],
      ]);
      assert.ok(spectrumError(pairs(r), [[Math.cos(th), Math.sin(th)], [Math.cos(th), -Math.sin(th)]]) < 1e-14);
      assert.ok(Math.abs(spectralRadius(r) - 1) < 1e-14);
    }
  });

  it("a 3-d rotation times 2 has 2 and 2 e^{+-i theta}", () => {
    const th = 1.1;
    const r = fromRows([
      [2 * Math.cos(th), -2 * Math.sin(th), 0],
      [2 * Math.sin(th), 2 * Math.cos(th), 0],
      [0, 0, 2],
    ]);
    const want: C[] = [[2, 0], [2 * Math.cos(th), 2 * Math.sin(th)], [2 * Math.cos(th), -2 * Math.sin(th)]];
    assert.ok(spectrumError(pairs(similar(r, new Rng(1))), want) < 1e-12);
  });

  it("companion matrices have the polynomial's roots", () => {
    // roots 1, -2, 3, 0.5 +- 2i, -1 +- 0.25i
    const roots: C[] = [[1, 0], [-2, 0], [3, 0], [0.5, 2], [0.5, -2], [-1, 0.25], [-1, -0.25]];
    // coefficients of prod (x - r), complex arithmetic, highest first
    let poly: C[] = [[1, 0]];
    for (const [a, b] of roots) {
      const next: C[] = poly.map(() => [0, 0] as C).concat([[0, 0]]);
      poly.forEach(([pr, pi], k) => {
        (next[k] as C)[0] += pr;
        (next[k] as C)[1] += pi;
        (next[k + 1] as C)[0] -= pr * a - pi * b;
        (next[k + 1] as C)[1] -= pr * b + pi * a;
      });
      poly = next;
    }
    const n = roots.length;
    const c = zeros(n, n);
    for (let j = 0; j < n; j++) c.data[j] = -(poly[j + 1] as C)[0];
    for (let i = 1; i < n; i++) c.data[i * n + i - 1] = 1;
    assert.ok(spectrumError(pairs(c), roots) < 1e-9);
  });

  it("random similarity transforms of block-diagonal matrices", () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 5; trial++) {
      const n = 30;
      const b = zeros(n, n);
      const want: C[] = [];
      let i = 0;
      while (i < n) {
        if (i + 1 < n && rng.float() < 0.5) {
          const a = rng.uniform(-2, 2);
          const w = rng.uniform(0.1, 2);
          b.data[i * n + i] = a;
          b.data[(i + 1) * n + i + 1] = a;
          b.data[i * n + i + 1] = w;
          b.data[(i + 1) * n + i] = -w;
          want.push([a, w], [a, -w]);
          i += 2;
        } else {
          const a = rng.uniform(-2, 2);
          b.data[i * n + i] = a;
          want.push([a, 0]);
          i += 1;
        }
      }
      const x = similar(b, rng);
      assert.ok(spectrumError(pairs(x), want) < 1e-8, `trial ${trial}`);
      const rho = Math.max(...want.map(([r, im]) => Math.hypot(r, im)));
      assert.ok(Math.abs(spectralRadius(x) - rho) < 1e-8);
    }
  });

  it("triangular, diagonal, zero and identity matrices", () => {
    const t = fromRows([
      [3, 1, 4, 1],
      [0, -5, 9, 2],
      [0, 0, 6, 5],
      [0, 0, 0, 0.5],
    ]);
    assert.ok(spectrumError(pairs(t), [[3, 0], [-5, 0], [6, 0], [0.5, 0]]) < 1e-12);
    assert.deepEqual(pairs(zeros(4, 4)).map(([r, i]) => Math.abs(r) + Math.abs(i)), [0, 0, 0, 0]);
    assert.ok(spectrumError(pairs(eye(5)), Array.from({ length: 5 }, () => [1, 0] as C)) < 1e-14);
  });

  it("balancing copes with entries over 20 orders of magnitude", () => {
    // D B D^{-1} with D = diag(1e-10, 1, 1e10) leaves the spectrum of B
    const b = fromRows([
      [1, 2, 0],
      [-2, 1, 1],
      [0, 0.5, 3],
    ]);
    const d = [1e-10, 1, 1e10];
    const x = zeros(3, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) x.data[i * 3 + j] = ((b.data[i * 3 + j] as number) * (d[i] as number)) / (d[j] as number);
    }
    assert.ok(spectrumError(pairs(x), pairs(b)) < 1e-12);
  });

  it("agrees with ml-matrix on random matrices", () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 5, 40]) {
      const a = zeros(n, n);
      for (let i = 0; i < n * n; i++) a.data[i] = rng.normal();
      const rows = Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)));
      const e = new EigenvalueDecomposition(new Matrix(rows));
      const want = e.realEigenvalues.map((r, i) => [r, e.imaginaryEigenvalues[i] as number] as C);
      assert.ok(spectrumError(pairs(a), want) < 1e-10, `n = ${n}`);
    }
  });

  it("rejects non-square and non-finite input", () => {
    assert.throws(() => eigenvalues(zeros(2, 3)), /not square/);
    const a = eye(2);
    a.data[1] = NaN;
    assert.throws(() => eigenvalues(a), /non-finite/);
  });
});
