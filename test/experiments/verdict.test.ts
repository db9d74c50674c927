/**
 * The verdict rule and the claims of section 6 on hand-made records:
 * a difference counts only beyond the seed spread; one seed is never
 * enough; diverged runs weigh against the optimizer that diverged.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  allOf, claimAdadeltaPoor, claimAdamEarlyNotLate, claimInput, claimLargerLrHelps,
  claimSgdlBeatsSgd, claimSgdlBeatsSgdmBest, claimSgdlLrRule, claimSgdlMatchesOrBeats, type Stats,
  verdict,
} from "../../lib/experiments";
import { PAPER_EXPERIMENTS } from "../../lib/optim";
import { fakeRecord, seeds } from "./helpers";

const st = (mean: number, std: number, n = 3): Stats => ({ mean, std, min: mean - std, max: mean + std, n });
const names = { a: "SGDL", b: "SGDM" };

describe("verdict", () => {
  test("better beyond 2 standard errors: supported; worse beyond: not supported", () => {
    // se = sqrt(0.01^2/3 * 2) = 0.00816; 2 se = 0.0163.
    const v = verdict(st(0.40, 0.01), st(0.43, 0.01), names, { unit: "error" });
    assert.equal(v.verdict, "supported");
    assert.ok(Math.abs(v.difference! - 0.03) < 1e-12);
    assert.ok(Math.abs(v.threshold! - 2 * Math.sqrt(2 * 0.0001 / 3)) < 1e-12);
    assert.match(v.reason, /^SGDL 40\.00% \(3 runs\) vs SGDM 43\.00% \(3 runs\): SGDL 3\.00 points better, beyond the seed spread/);
    assert.equal(verdict(st(0.46, 0.01), st(0.43, 0.01), names).verdict, "not supported");
  });

  test("within the seed spread: inconclusive", () => {
    const v = verdict(st(0.42, 0.02), st(0.43, 0.02), names, { unit: "error" });
    assert.equal(v.verdict, "inconclusive");
    assert.match(v.reason, /within the seed spread \(2 SE = 3\.27 points\)/);
  });

  test("one run on a side: inconclusive however large the gap", () => {
    const v = verdict(st(0.1, 0, 1), st(0.9, 0.01), names);
    assert.equal(v.verdict, "inconclusive");
    assert.match(v.reason, /fewer than 2 runs a side/);
    assert.equal(verdict(null, st(0.4, 0.01), names).verdict, "inconclusive");
  });

  test("higher is better when asked (accuracy)", () => {
    assert.equal(verdict(st(0.6, 0.01), st(0.5, 0.01), names, { lowerIsBetter: false }).verdict, "supported");
  });

  test("noWorse: a match within the tolerance is supported; a clear loss is not", () => {
    const same = verdict(st(0.430, 0.001), st(0.431, 0.001), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(same.verdict, "supported");
    assert.match(same.reason, /a match/);
    const unsure = verdict(st(0.43, 0.02), st(0.43, 0.02), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(unsure.verdict, "inconclusive");
    assert.match(unsure.reason, /consistent with a match, not resolved/);
    const worse = verdict(st(0.50, 0.01), st(0.43, 0.01), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(worse.verdict, "not supported");
    // Slightly worse, interval inside the tolerance: a match.
    const slight = verdict(st(0.434, 0.0005), st(0.43, 0.0005), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(slight.verdict, "supported");
    // Worse beyond the spread, just past the tolerance: not supported.
    const past = verdict(st(0.436, 0.0005), st(0.43, 0.0005), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(past.verdict, "not supported");
    // Worse beyond the spread but by less than the tolerance, interval reaching past it: unresolved.
    const edge = verdict(st(0.434, 0.002), st(0.43, 0.002), names, { claim: "noWorse", tolerance: 0.005 });
    assert.equal(edge.verdict, "inconclusive");
  });

  test("allOf", () => {
    const s = verdict(st(0.40, 0.01), st(0.43, 0.01), names);
    const i = verdict(st(0.42, 0.02), st(0.43, 0.02), names);
    const n = verdict(st(0.46, 0.01), st(0.43, 0.01), names);
    assert.equal(allOf([s, s]), "supported");
    assert.equal(allOf([s, i]), "inconclusive");
    assert.equal(allOf([s, i, n]), "not supported");
    assert.equal(allOf([]), "not run");
  });
});

describe("claims", () => {
  test("SGDL matches or beats SGDM, Adam and AdaDelta (Fig. 4)", () => {
    const rs = [
      ...seeds("sgdl", [0.40, 0.41, 0.39]), ...seeds("sgdm", [0.45, 0.46, 0.44]),
      ...seeds("adam", [0.48, 0.47, 0.49]), ...seeds("adadelta", [0.60, 0.62, 0.61]),
    ];
    const c = claimSgdlMatchesOrBeats(rs, { id: "fig4-cifar10-resnet56" });
    assert.equal(c.verdict, "supported");
    assert.equal(c.id, "fig4-cifar10-resnet56-sgdl-matches-or-beats");
    assert.match(c.ours, /^Final test error: SGDL 40\.00% ± 1\.00%, SGDM 45\.00% ± 1\.00%/);
    assert.match(c.ours, /seeds 0, 1, 2 \(profile cpu\)/);
    assert.equal(c.evidence.length, 4);
    // SGDM clearly better: not supported.
    const worse = [...seeds("sgdl", [0.50, 0.51, 0.49]), ...seeds("sgdm", [0.45, 0.46, 0.44])];
    assert.equal(claimSgdlMatchesOrBeats(worse).verdict, "not supported");
    // Within the spread: inconclusive.
    const close = [...seeds("sgdl", [0.40, 0.46, 0.43]), ...seeds("sgdm", [0.42, 0.45, 0.44])];
    assert.equal(claimSgdlMatchesOrBeats(close).verdict, "inconclusive");
    assert.equal(claimSgdlMatchesOrBeats(seeds("sgdm", [0.4])).verdict, "not run");
  });

  test("most SGDL seeds diverged: not supported, and said so", () => {
    const rs = [
      fakeRecord({ optimizer: "sgdl", seed: 0, test: [0.4, 0.3] }),
      fakeRecord({ optimizer: "sgdl", seed: 1, test: [0.9], status: "diverged" }),
      fakeRecord({ optimizer: "sgdl", seed: 2, test: [0.9], status: "diverged" }),
      ...seeds("sgdm", [0.45, 0.46, 0.44]),
    ];
    const c = claimSgdlMatchesOrBeats(rs);
    assert.equal(c.verdict, "not supported");
    assert.match(c.reason, /SGDL diverged in 2 of 3 runs/);
  });

  test("Fig. 3: larger lrs vs smaller, each run a sample; divergence counts against", () => {
    const run = (lr: number, x: number, status?: "diverged") =>
      fakeRecord({ optimizer: "sgd", lr, test: [x + 0.1, x], ...(status !== undefined && { status }) });
    const good = [run(0.2, 0.50), run(0.4, 0.48), run(0.6, 0.40), run(0.8, 0.39), run(1.0, 0.41)];
    const c = claimLargerLrHelps(good, { id: "fig3-cifar10" });
    assert.equal(c.verdict, "supported");
    assert.match(c.ours, /lr 0\.2: 50\.00%, lr 0\.4: 48\.00%, lr 0\.6: 40\.00%/);
    assert.match(c.reason, /lr 0\.6, 0\.8, 1 40\.00% \(3 runs\) vs lr 0\.2, 0\.4 49\.00% \(2 runs\)/);
    const blown = [run(0.2, 0.50), run(0.4, 0.48), run(0.6, 0.40), run(0.8, 0.9, "diverged"), run(1.0, 0.9, "diverged")];
    const d = claimLargerLrHelps(blown);
    assert.equal(d.verdict, "not supported");
    assert.match(d.reason, /2 of 3 large-lr runs diverged/);
    assert.match(d.ours, /lr 0\.8: diverged/);
    assert.equal(claimLargerLrHelps([run(0.2, 0.5)]).verdict, "not run");
  });

  test("Fig. 5: best top-1 of SGDL vs SGDM", () => {
    const mk = (o: "sgdl" | "sgdm", xs: number[]) => xs.map((x, seed) =>
      fakeRecord({ optimizer: o, seed, test: [x, x + 0.01], top5: [x / 3, x / 3] }));
    const c = claimSgdlBeatsSgdmBest([...mk("sgdl", [0.30, 0.31]), ...mk("sgdm", [0.40, 0.41])]);
    assert.equal(c.verdict, "supported");
    assert.match(c.ours, /Best top-1 test error: SGDL 30\.50% ± 0\.71%, SGDM 40\.50% ± 0\.71%; best top-5: SGDM/);
  });

  test("Fig. 6: SGDL vs vanilla SGD", () => {
    const c = claimSgdlBeatsSgd([...seeds("sgdl", [0.3, 0.32]), ...seeds("sgd", [0.6, 0.62])]);
    assert.equal(c.verdict, "supported");
    assert.equal(claimSgdlBeatsSgd([...seeds("sgdl", [0.3])]).verdict, "not run");
  });

  test("Fig. 7: Adam fastest early and worse than SGDL at the end", () => {
    const lm = (o: "adam" | "sgdl" | "sgdm" | "adadelta", ppl: number[][]) =>
      ppl.map((p, seed) => fakeRecord({ optimizer: o, seed, ppl: p }));
    const rs = [
      ...lm("adam", [[300, 200], [310, 205]]), ...lm("sgdl", [[600, 150], [610, 152]]),
      ...lm("sgdm", [[500, 190], [505, 192]]), ...lm("adadelta", [[900, 800], [910, 820]]),
    ];
    const c = claimAdamEarlyNotLate(rs);
    assert.equal(c.verdict, "supported");
    assert.match(c.ours, /^test perplexity at epoch 1: Adam 305\.0 ± 7\.1 vs SGDM 502\.5/);
    assert.match(c.reason, /early \(epoch 1\) supported: Adam 305\.0/);
    assert.match(c.reason, /final supported: SGDL 151\.0/);
    // Adam not fastest: not supported.
    const slow = [...lm("adam", [[700, 200], [710, 205]]), ...lm("sgdl", [[600, 150], [610, 152]])];
    assert.equal(claimAdamEarlyNotLate(slow).verdict, "not supported");
    const poor = claimAdadeltaPoor(rs, { metric: "testPerplexity" });
    assert.equal(poor.verdict, "supported");
    assert.match(poor.ours, /AdaDelta 810\.0 ± 14\.1/);
  });

  test("AdaDelta diverging in most seeds counts as doing poorly", () => {
    const rs = [
      fakeRecord({ optimizer: "adadelta", seed: 0, test: [0.9], status: "diverged" }),
      fakeRecord({ optimizer: "adadelta", seed: 1, test: [0.9], status: "diverged" }),
      ...seeds("sgdl", [0.4, 0.41]),
    ];
    const c = claimAdadeltaPoor(rs);
    assert.equal(c.verdict, "supported");
    assert.match(c.reason, /AdaDelta diverged in 2 of 2 runs/);
  });

  test("claimInput: the shape lib/report's claim() takes", () => {
    const c = claimSgdlBeatsSgd([...seeds("sgdl", [0.3, 0.32]), ...seeds("sgd", [0.6, 0.62])], { id: "fig6" });
    const input = claimInput(c, ["fig6-test-error"]);
    assert.deepEqual(Object.keys(input).sort(), ["evidence", "id", "ours", "paper", "verdict"]);
    assert.equal(input.id, "fig6-sgdl-beats-sgd");
    assert.match(input.id, /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    assert.ok(input.ours.includes(c.reason));
  });

  test("Table 1's lr rule: every SGDL / SGDM lr ratio of the paper at least 10; one below fails it", () => {
    const c = claimSgdlLrRule();
    assert.equal(c.id, "table1-sgdl-lr-rule");
    assert.equal(c.verdict, "supported");
    assert.equal(c.evidence.length, PAPER_EXPERIMENTS.length);
    const e = PAPER_EXPERIMENTS[0]!;
    const low = { ...e, id: "low", optimizers: { ...e.optimizers, sgdl: { ...e.optimizers.sgdl, lr: 5 * e.optimizers.sgdm.lr } } };
    const bad = claimSgdlLrRule([e, low]);
    assert.equal(bad.verdict, "not supported");
    assert.match(bad.reason, /below 10: low$/);
    assert.equal(claimSgdlLrRule([]).verdict, "not run");
  });
});
