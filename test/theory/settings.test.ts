/** Profile settings, strict overrides, and the small statistics helpers. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as theory from "../../lib/theory";
import { theorySettings, type TheoryOverrides } from "../../lib/theory/settings";
import { bisectLast, linspace, quantile, thresholdOnGrid, wilson } from "../../lib/theory/stats";

describe("theorySettings", () => {
  it("has three profiles; paper runs Figure 2 at N = 200 and t = 3.0", () => {
    const smoke = theorySettings("smoke");
    const cpu = theorySettings();
    const paper = theorySettings("paper");
    assert.equal(cpu.profile, "cpu");
    assert.equal(paper.section5.figure2.N, 200);
    assert.equal(paper.section5.figure2.tSolution, 3);
    assert.ok(smoke.section5.figure2.N < cpu.section5.figure2.N || smoke.section4.theorem1.runs < cpu.section4.theorem1.runs);
    assert.ok(paper.section4.theorem2.runs >= cpu.section4.theorem2.runs);
  });

  it("deep-merges overrides, including optional explicit step lists", () => {
    const s = theorySettings("smoke", {
      section5: { figure2: { mu: 3, N: 50 } },
      section4: { theorem1: { alphas: [0.01, 0.02] } },
    });
    assert.equal(s.section5.figure2.mu, 3);
    assert.equal(s.section5.figure2.N, 50);
    assert.equal(s.section5.figure2.s, theorySettings("smoke").section5.figure2.s);
    assert.deepEqual(s.section4.theorem1.alphas, [0.01, 0.02]);
  });

  it("rejects unknown keys and wrong types, naming the setting", () => {
    const bad = { section5: { figure2: { mue: 3 } } } as unknown as TheoryOverrides;
    assert.throws(() => theorySettings("cpu", bad), /section5\.figure2\.mue/);
    const wrong = { section5: { figure2: { N: "200" } } } as unknown as TheoryOverrides;
    assert.throws(() => theorySettings("cpu", wrong), /section5\.figure2\.N/);
    assert.throws(() => theorySettings("gpu" as never), /unknown profile/);
    const choice = { section4: { theorem2: { sampling: "poisson" } } } as unknown as TheoryOverrides;
    assert.throws(() => theorySettings("cpu", choice), /sampling" must be one of/);
  });

  it("does not share arrays between calls", () => {
    const a = theorySettings("cpu");
    a.section4.theorem3.deltas.push(0.99);
    assert.ok(!theorySettings("cpu").section4.theorem3.deltas.includes(0.99));
  });
});

describe("lib/theory index", () => {
  it("exports one function per notebook cell", () => {
    for (const name of [
      "theorySettings", "theorem1", "theorem2", "theorem2Nonlinear", "theorem3",
      "figure2", "example1", "example2", "example3", "example4", "spectralRadius",
    ] as const) {
      assert.equal(typeof theory[name], "function", name);
    }
  });
});

describe("stats", () => {
  it("quantiles interpolate like numpy (type 7)", () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4], 0.1), 1.3);
  });

  it("Wilson interval covers p and stays in [0, 1]", () => {
    const w = wilson(95, 100);
    assert.ok(w.lo < 0.95 && w.hi > 0.95 && w.hi <= 1);
    assert.ok(Math.abs(wilson(100, 100).hi - 1) < 1e-12, "all successes: upper end 1");
  });

  it("bisection finds a threshold", () => {
    assert.ok(Math.abs(bisectLast((x) => x * x < 2, 0, 2, 1e-10) - Math.SQRT2) < 1e-9);
    assert.ok(Math.abs((thresholdOnGrid(linspace(0.1, 3, 7), (x) => x < 1.234) as number) - 1.234) < 1e-5);
    assert.equal(thresholdOnGrid([2, 3], (x) => x < 1), null);
  });
});
