/**
 * Section 5 / Appendix A.2: the IGD pass matrix K_N(t), its spectral
 * radius, the fixed point x(t), and Examples 1-4.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../lib/data/rng";
import {
  differencePenalty,
  igdFixedPoint,
  igdMinimizer,
  igdPass,
  igdSpectralRadius,
  type IgdSystem,
  passMatrix,
  passOffset,
  sparseToDense,
} from "../../lib/theory/igd";
import { symEig } from "../../lib/theory/linalg";
import {
  denoisingData,
  denoisingSystem,
  example1,
  example2,
  example3,
  example4,
  figure2,
  iterateVsFixedPoint,
} from "../../lib/theory/section5";
import { theorySettings } from "../../lib/theory/settings";

const smoke = theorySettings("smoke");

function randomSystem(seed: number, n: number, N: number, gamma: number): IgdSystem {
  const rng = new Rng(seed);
  const u = Array.from({ length: N }, () => Float64Array.from({ length: n }, () => rng.normal() / Math.sqrt(n)));
  return {
    n,
    N,
    u,
    w: Float64Array.from({ length: N }, () => 0.5 + rng.float()),
    beta: Float64Array.from({ length: N }, () => rng.normal()),
    gamma,
    D: differencePenalty(n, 1),
  };
}

describe("IGD pass matrix", () => {
  it("the pass is the affine map x -> K_N(t) x + t c(t)", () => {
    const sys = randomSystem(1, 7, 11, 0.05);
    const t = 0.8;
    const { K, logScale } = passMatrix(sys, t);
    const tc = passOffset(sys, t);
    const rng = new Rng(2);
    const x = Float64Array.from({ length: 7 }, () => rng.normal());
    const direct = igdPass(sys, t, x.slice());
    for (let r = 0; r < 7; r++) {
      let s = 0;
      for (let j = 0; j < 7; j++) s += (K.data[r * 7 + j] as number) * (x[j] as number);
      assert.ok(Math.abs(s * Math.exp(logScale) + (tc[r] as number) - (direct[r] as number)) < 1e-12);
    }
  });

  it("K_N(t) columns are passes of the basis vectors (D of order 1 and 2)", () => {
    for (const order of [1, 2] as const) {
      const sys = { ...randomSystem(3, 8, 13, 0.07), D: differencePenalty(8, order) };
      const t = 1.3;
      const { K, logScale } = passMatrix(sys, t);
      const tc = passOffset(sys, t);
      for (let j = 0; j < 8; j++) {
        const e = new Float64Array(8);
        e[j] = 1;
        const col = igdPass(sys, t, e);
        for (let r = 0; r < 8; r++) {
          const k = (K.data[r * 8 + j] as number) * Math.exp(logScale);
          assert.ok(Math.abs(k - ((col[r] as number) - (tc[r] as number))) < 1e-12, `order ${order} (${r}, ${j})`);
        }
      }
    }
  });

  it("identity rows (A = I) give the same K as explicit unit vectors", () => {
    const noisy = denoisingData(12, 0.05, 3).noisy;
    const sys = denoisingSystem(noisy, 0.5);
    const explicit: IgdSystem = {
      ...sys,
      u: Array.from({ length: 12 }, (_, i) => Float64Array.from({ length: 12 }, (_, j) => (i === j ? 1 : 0))),
    };
    const a = passMatrix(sys, 1.7);
    const b = passMatrix(explicit, 1.7);
    for (let i = 0; i < 144; i++) assert.ok(Math.abs((a.K.data[i] as number) - (b.K.data[i] as number)) < 1e-13);
  });

  it("D is the path Laplacian: eigenvalues 2 - 2 cos(pi k / n)", () => {
    const n = 9;
    const vals = Array.from(symEig(sparseToDense(differencePenalty(n, 1))).values);
    const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * k) / n));
    vals.forEach((v, k) => assert.ok(Math.abs(v - (want[k] as number)) < 1e-12));
  });

  it("divergent steps do not overflow: log10 rho stays finite", () => {
    const sys = denoisingSystem(denoisingData(40, 0.05, 1).noisy, 0.4);
    // t mu / N lambda_max(D) = 200 * 0.01 * 4 = 8: each factor multiplies
    // the highest frequency by about -7, so K_N(t) grows like 7^40
    const sp = igdSpectralRadius(sys, 200);
    assert.ok(Number.isFinite(sp.log10Rho) && sp.log10Rho > 10, `log10 rho = ${sp.log10Rho}`);
    assert.ok(Number.isNaN(igdFixedPoint(sys, 200)[0] as number), "x(t) is NaN when K_N(t) is huge");
  });
});

describe("IGD fixed point", () => {
  it("iterating IGD converges to the solved fixed point when rho < 1", () => {
    const sys = denoisingSystem(denoisingData(30, 0.05, 4).noisy, 0.3);
    for (const t of [0.3, 1.2, 1.8]) {
      const rho = igdSpectralRadius(sys, t).rho;
      assert.ok(rho < 1, `t = ${t}: rho = ${rho}`);
      const passes = Math.ceil(Math.log(1e-13) / Math.log(Math.max(rho, 1e-3))) + 5;
      const r = iterateVsFixedPoint(sys, t, passes);
      const last = r.dist[r.dist.length - 1] as number;
      assert.ok(last < 1e-9, `t = ${t}: distance ${last}`);
    }
  });

  it("x(t) -> x* (the minimiser of f) as t -> 0, linearly in t", () => {
    const sys = randomSystem(5, 6, 15, 0.02);
    const xs = igdMinimizer(sys);
    const err = [1e-2, 1e-3].map((t) => {
      const x = igdFixedPoint(sys, t);
      return Math.sqrt(x.reduce((a, v, j) => a + (v - (xs[j] as number)) ** 2, 0));
    });
    assert.ok((err[1] as number) < 0.2 * (err[0] as number), JSON.stringify(err));
    assert.ok((err[1] as number) < 1e-2);
  });
});

describe("Appendix A.2 examples", () => {
  it("Example 1: rho(K_N(t)) = |1 - 2t| and the paper's bound N fails", () => {
    const r = example1(smoke.section5.examples.ex1);
    assert.ok(r.maxAbsError < 1e-12, `max error ${r.maxAbsError}`);
    r.t.forEach((t, i) => assert.ok(Math.abs((r.rho[i] as number) - Math.abs(1 - 2 * t)) < 1e-12));
    assert.ok(Math.abs(r.tConvergeNumeric - 1) < 1e-8, `numeric threshold ${r.tConvergeNumeric}`);
    assert.equal(r.paperBound, r.N); // 2N / lambda_max(2 I)
    assert.ok(r.paperBound > r.tConverge); // the stated bound is not sufficient
  });

  it("Example 2: under-determined least squares has rho >= 1 for every t", () => {
    const r = example2(smoke.section5.examples.ex2);
    for (const rho of r.rho) assert.ok(rho >= 1 - 1e-10, `rho = ${rho}`);
    assert.ok(r.nullResidual < 1e-10);
    for (const l of r.nullEigenvalue) assert.ok(Math.abs(l - 1) < 1e-10);
    // regularisation restores convergence for small steps
    assert.ok((r.rhoRegularised[0] as number) < 1);
  });

  it("Example 3: the largest convergent step is found and compared with the bound", () => {
    const r = example3(smoke.section5.examples.ex3);
    for (const s of r.studies) {
      assert.ok(s.tConverge !== null && s.tConverge > 0);
      assert.ok(s.psdBound <= s.bound);
      // every grid step below the PSD bound converges
      s.t.forEach((t, i) => {
        if (t <= s.psdBound) assert.ok((s.rho[i] as number) < 1);
      });
    }
  });

  it("Example 4: K_N(t) is the Jacobian of the nonlinear pass at x*", () => {
    const r = example4(smoke.section5.examples.ex4);
    assert.ok(r.jacobianCheck.maxAbsDiff < 1e-6 * Math.max(1, r.jacobianCheck.maxAbsK));
    assert.ok(r.fixedPointResidual < 1e-10);
    const [slow, fast] = [r.runs[0], r.runs[3]];
    assert.ok(slow !== undefined && slow.rho < 1 && slow.converged);
    assert.ok(fast !== undefined && fast.rho > 1 && !fast.converged);
  });
});

describe("Figure 2 (smoke)", () => {
  it("returns plot-ready panels", () => {
    const f = figure2(smoke.section5.figure2);
    const g = smoke.section5.figure2.gridSize;
    assert.equal(f.left.t.length, g);
    assert.equal(f.left.rho.length, g);
    assert.equal(f.middle.errStar.length, g);
    assert.equal(f.right.xT.length, smoke.section5.figure2.N);
    assert.ok(f.left.tConverge !== null && f.left.tConverge > 1);
    // the error to x* vanishes as t -> 0 and grows with t
    assert.ok((f.middle.errStar[0] as number) < (f.middle.errStar[2] as number));
    // JSON-safe
    assert.doesNotThrow(() => JSON.stringify(f));
  });
});
