/**
 * Section 4: Theorem 2's bound against exact second moments and Monte
 * Carlo on small quadratics, the problems' derivatives, and smoke runs of
 * Theorems 1 and 3. Tolerances come from the Monte Carlo standard errors
 * (4 SE for means, exp(3 SE) for log-rates), with fixed seeds.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../../lib/data/rng";
import { axpby, eye, type Mat, matmul, symExtremes, zeros } from "../../lib/theory/linalg";
import {
  exactMeanSquare,
  hessianStats,
  meanSquareRate,
  rhoBound,
  secondMomentOperator,
  stationaryMeanSquare,
  theorem2Limits,
  varianceScale,
} from "../../lib/theory/moments";
import { type FiniteSum, leastSquares, phaseRetrieval, randomUnit } from "../../lib/theory/problems";
import { meanSquareLimit, theorem1, theorem2, theorem3 } from "../../lib/theory/section4";
import { column, contraction, sgdEnsemble } from "../../lib/theory/sgd";
import { theorySettings } from "../../lib/theory/settings";
import { mean, stdErr } from "../../lib/theory/stats";

const smoke = theorySettings("smoke");

function startAt(p: FiniteSum, r0: number, seed: number): Float64Array {
  const u = randomUnit(new Rng(seed), p.dim);
  return Float64Array.from(p.xStar, (v, j) => v + r0 * (u[j] as number));
}

describe("Theorem 2 on a small quadratic", () => {
  const p = leastSquares({ dim: 3, n: 12, noise: 0, seed: 11 });
  const st = hessianStats(p);
  const x0 = startAt(p, 1, 5);
  const delta0 = Float64Array.from(x0, (v, j) => v - (p.xStar[j] as number));

  it("the superoperator is E[(I - a H_i) M (I - a H_i)] (batch 1)", () => {
    const alpha = 0.2;
    const op = secondMomentOperator(st, alpha, 1);
    const rng = new Rng(1);
    const m = zeros(3, 3);
    for (let i = 0; i < 9; i++) m.data[i] = rng.normal();
    const direct = zeros(3, 3);
    for (const hi of st.hs) {
      const a = axpby(1, eye(3), -alpha, hi);
      const t = matmul(matmul(a, m), a);
      for (let i = 0; i < 9; i++) direct.data[i] += (t.data[i] as number) / st.n;
    }
    for (let r = 0; r < 9; r++) {
      let s = 0;
      for (let c = 0; c < 9; c++) s += (op.data[r * 9 + c] as number) * (m.data[c] as number);
      assert.ok(Math.abs(s - (direct.data[r] as number)) < 1e-12, `entry ${r}`);
    }
  });

  it("rho(S) <= Theorem 2's rho, and one-step exact ratios too", () => {
    for (const batch of [1, 3]) {
      const s = varianceScale(batch, p.n, "with-replacement");
      const top = 2 / st.lambdaMaxH;
      for (let k = 1; k <= 20; k++) {
        const alpha = (top * k) / 20;
        const rb = rhoBound(st, alpha, s);
        assert.ok(meanSquareRate(st, alpha, s) <= rb + 1e-12, `batch ${batch}, alpha ${alpha}`);
        const ms = exactMeanSquare(st, alpha, s, delta0, 30);
        for (let j = 0; j < 30; j++) {
          const ratio = (ms[j + 1] as number) / (ms[j] as number);
          assert.ok(ratio <= rb + 1e-12, `step ${j}: ${ratio} > ${rb}`);
        }
      }
    }
  });

  it("Monte Carlo E||x_k - x*||^2 matches the exact moments within 4 SE", () => {
    for (const [batch, sampling] of [
      [1, "with-replacement"],
      [3, "with-replacement"],
      [3, "without-replacement"],
    ] as const) {
      const s = varianceScale(batch, p.n, sampling);
      const alpha = 0.7 * meanSquareLimit(p, batch, sampling);
      const ens = sgdEnsemble(p, { alpha, batch, sampling, steps: 40 }, 3000, 17 + batch, () => x0);
      const exact = exactMeanSquare(st, alpha, s, delta0, 40);
      for (const k of [1, 5, 20, 40]) {
        const col = column(ens, k);
        const m = mean(col);
        const se = stdErr(col);
        const want = exact[k] as number;
        assert.ok(Math.abs(m - want) < 4 * se, `batch ${batch} ${sampling}, k ${k}: ${m} vs ${want} (se ${se})`);
      }
    }
  });

  it("the observed contraction never exceeds the bound beyond sampling error", () => {
    const batch = 2;
    const s = varianceScale(batch, p.n, "with-replacement");
    const alphaMs = meanSquareLimit(p, batch, "with-replacement");
    for (const f of [0.2, 0.5, 0.8, 0.95]) {
      const alpha = f * alphaMs;
      const ens = sgdEnsemble(p, { alpha, batch, sampling: "with-replacement", steps: 40 }, 3000, 100 + f * 100, () => x0);
      const c = contraction(ens, 10, 40);
      const rb = rhoBound(st, alpha, s);
      assert.ok(c.rate <= rb * Math.exp(3 * c.seLog), `alpha ${alpha}: observed ${c.rate} > bound ${rb}`);
    }
  });

  it("(6a) and (6c) give the same step limit; (6b) is stricter", () => {
    for (const s of [1, 0.5]) {
      const lim = theorem2Limits(st, s);
      assert.ok(rhoBound(st, lim.alpha6a * (1 - 1e-6), s) < 1);
      assert.ok(rhoBound(st, lim.alpha6a * (1 + 1e-4), s) > 1);
      assert.ok(lim.alpha6b <= lim.alpha6a);
    }
  });

  it("variance scales: 1/m with replacement, finite-population correction without", () => {
    assert.equal(varianceScale(4, 12, "with-replacement"), 0.25);
    assert.equal(varianceScale(4, 12, "without-replacement"), 8 / (4 * 11));
    assert.equal(varianceScale(12, 12, "without-replacement"), 0);
    assert.equal(varianceScale(4, 12, "paper"), 1);
    // full batch without replacement is gradient descent: rho(S) = max |1 - a lambda|^2
    const alpha = 0.3;
    const { min, max } = symExtremes(st.h);
    const gd = Math.max((1 - alpha * min) ** 2, (1 - alpha * max) ** 2);
    assert.ok(Math.abs(meanSquareRate(st, alpha, 0) - gd) < 1e-12);
  });
});

describe("noisy least squares (no interpolation)", () => {
  it("the exact noise floor matches a long Monte Carlo run", () => {
    const p = leastSquares({ dim: 2, n: 10, noise: 0.5, seed: 3 });
    assert.equal(p.interpolation, false);
    const st = hessianStats(p);
    const alpha = 0.5 * meanSquareLimit(p, 1, "with-replacement");
    const floor = stationaryMeanSquare(st, alpha, 1);
    const steps = 300;
    const ens = sgdEnsemble(p, { alpha, batch: 1, sampling: "with-replacement", steps }, 1500, 9, () => p.xStar.slice());
    // per-run average over the last 100 steps (well mixed by then)
    const perRun = Array.from({ length: ens.runs }, (_, r) => {
      let a = 0;
      for (let k = steps - 99; k <= steps; k++) a += ens.sq[r * (steps + 1) + k] as number;
      return a / 100;
    });
    const m = mean(perRun);
    assert.ok(Math.abs(m - floor) < 4 * stdErr(perRun) + 0.02 * floor, `${m} vs ${floor}`);
  });

  it("theorem1 (smoke): realizable converges, noisy stalls at floors growing with alpha", () => {
    const r = theorem1(smoke.section4.theorem1);
    const noisy = r.floors.filter((f) => f.problem === "noisy").map((f) => f.exact);
    for (let i = 1; i < noisy.length; i++) assert.ok((noisy[i] as number) > (noisy[i - 1] as number), "floor grows");
    for (const f of r.floors.filter((x) => x.problem === "realizable")) assert.equal(f.exact, 0);
    const last = (c: (typeof r.curves)[number]): number => c.mean[c.mean.length - 1] as number;
    const big = r.alphas[r.alphas.length - 1] as number;
    const real = r.curves.find((c) => c.problem === "realizable" && c.alpha === big);
    const nois = r.curves.find((c) => c.problem === "noisy" && c.alpha === big);
    assert.ok(real !== undefined && nois !== undefined);
    assert.ok(last(real) < 0.01 * last(nois), `${last(real)} vs ${last(nois)}`);
    assert.equal(real.k.length, real.q10.length);
  });
});

describe("phase retrieval (nonlinear, interpolation)", () => {
  const p = phaseRetrieval({ dim: 3, n: 20, seed: 2 });

  it("gradients and Hessians match finite differences; grad f_i(x*) = 0", () => {
    const rng = new Rng(4);
    const x = Float64Array.from({ length: 3 }, () => rng.normal());
    const g = new Float64Array(3);
    const gp = new Float64Array(3);
    const gm = new Float64Array(3);
    const h = 1e-6;
    for (const i of [0, 7, 19]) {
      p.grad(i, p.xStar, g);
      for (const v of g) assert.ok(Math.abs(v) < 1e-12, "interpolation");
      const hess: Mat = p.hess(i, x);
      for (let j = 0; j < 3; j++) {
        const xp = x.slice();
        const xm = x.slice();
        xp[j] = (xp[j] as number) + h;
        xm[j] = (xm[j] as number) - h;
        p.grad(i, xp, gp);
        p.grad(i, xm, gm);
        for (let r = 0; r < 3; r++) {
          const fd = ((gp[r] as number) - (gm[r] as number)) / (2 * h);
          assert.ok(Math.abs(fd - (hess.data[r * 3 + j] as number)) < 1e-5 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });

  it("the Lipschitz bound holds on the ball", () => {
    const e = 0.3;
    const lip = p.hessLipschitz(e);
    const rng = new Rng(8);
    for (let trial = 0; trial < 50; trial++) {
      const u = randomUnit(rng, 3);
      const r = e * rng.float();
      const x = Float64Array.from(p.xStar, (v, j) => v + r * (u[j] as number));
      for (let i = 0; i < p.n; i++) {
        const diff = axpby(1, p.hess(i, x), -1, p.hess(i, p.xStar));
        const { min, max } = symExtremes(diff);
        assert.ok(Math.max(Math.abs(min), Math.abs(max)) <= lip * r + 1e-12);
      }
    }
  });

  it("Theorem 2's rho with L e terms exceeds the linearised one", () => {
    const st = hessianStats(p);
    const e = 0.1 * (st.lambdaMinH / p.hessLipschitz(0));
    const lip = p.hessLipschitz(e);
    for (const alpha of [0.01, 0.05]) {
      assert.ok(rhoBound(st, alpha, 1, lip, e) > rhoBound(st, alpha, 1));
    }
  });
});

describe("smoke runs", () => {
  it("theorem2 returns the grid, rates and thresholds", () => {
    const r = theorem2(smoke.section4.theorem2);
    assert.equal(r.alphas.length, smoke.section4.theorem2.gridSize);
    assert.ok(r.boundHolds.every(Boolean));
    assert.ok(r.thresholds.alphaBound <= r.thresholds.alphaMeanSquare);
    r.rhoExact.forEach((x, i) => assert.ok(x <= (r.rhoBound[i] as number) + 1e-12));
    assert.doesNotThrow(() => JSON.stringify(r));
  });

  it("theorem3: where rho < 1 the stay fraction is at least 1 - delta", () => {
    const r = theorem3(smoke.section4.theorem3);
    assert.ok(r.rows.length > 0);
    for (const row of r.rows) {
      if (row.rhoBound < 1) assert.ok(row.hi >= row.guarantee, `alpha ${row.alpha}, delta ${row.delta}`);
    }
  });
});
