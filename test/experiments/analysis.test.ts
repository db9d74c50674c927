/**
 * The analysis functions on hand-made records (a diverged run among
 * them): curves with mean and spread, final tables, lr sensitivity,
 * time to target, top-1/top-5, perplexity, provenance.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  curves, finalStats, finalTable, lrSensitivity, perplexity, provenanceOf, seriesOf,
  summarize, timeToTarget, topK,
} from "../../lib/experiments";
import { fakeRecord } from "./helpers";

const close = (a: number | null | undefined, b: number, eps = 1e-9) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} != ${b}`);

// Three SGDL seeds, two SGDM seeds of which one diverged in epoch 3.
const sgdl = [
  fakeRecord({ optimizer: "sgdl", seed: 0, test: [0.6, null, 0.40] }),
  fakeRecord({ optimizer: "sgdl", seed: 1, test: [0.7, null, 0.42] }),
  fakeRecord({ optimizer: "sgdl", seed: 2, test: [0.5, null, 0.44] }),
];
const sgdm = [
  fakeRecord({ optimizer: "sgdm", seed: 0, test: [0.55, null, 0.45] }),
  fakeRecord({ optimizer: "sgdm", seed: 1, test: [0.65, null], status: "diverged" }),
];
const records = [...sgdm, ...sgdl];

describe("summarize", () => {
  test("mean, sample std, min, max; non-finite values left out", () => {
    const s = summarize([1, 2, 3, null, Number.NaN])!;
    assert.deepEqual(s, { mean: 2, std: 1, min: 1, max: 3, n: 3 });
    assert.deepEqual(summarize([5]), { mean: 5, std: 0, min: 5, max: 5, n: 1 });
    assert.equal(summarize([]), null);
  });
});

describe("curves", () => {
  test("mean and spread over seeds, only evaluated epochs, Table 1's optimizer order", () => {
    const cs = curves(records, "testError");
    assert.deepEqual(cs.map((c) => c.key), ["sgdm", "sgdl"]);
    const l = cs[1]!;
    assert.deepEqual(l.x, [1, 3]);
    close(l.mean[0], 0.6);
    close(l.std[0], 0.1);
    assert.deepEqual([l.min[1], l.max[1], l.n[1]], [0.4, 0.44, 3]);
    close(l.mean[1], 0.42);
    assert.deepEqual(l.seeds, [0, 1, 2]);
    assert.equal(l.label, "SGDL");
  });

  test("a diverged run: drawn up to where it stopped, listed, counted per point", () => {
    const m = curves(records, "testError")[0]!;
    assert.deepEqual(m.x, [1, 3]);
    assert.deepEqual(m.n, [2, 1]);
    close(m.mean[0], 0.6);
    assert.deepEqual(m.diverged, [{ seed: 1, lr: 0.1, epoch: 3, reason: "loss is NaN" }]);
  });

  test("one optimizer at several lrs: one series per lr (Fig. 3)", () => {
    const rs = [0.2, 0.4, 1.0].map((lr) => fakeRecord({ optimizer: "sgd", lr, test: [0.5, 0.5 - lr / 10] }));
    const cs = curves(rs, "trainError");
    assert.deepEqual(cs.map((c) => c.label), ["SGD lr 0.2", "SGD lr 0.4", "SGD lr 1"]);
    assert.deepEqual(cs.map((c) => c.key), ["sgd@0.2", "sgd@0.4", "sgd@1"]);
    assert.equal(seriesOf(rs, "optimizer").length, 1);
  });
});

describe("final metrics", () => {
  test("completed runs only; diverged counted beside them; best epoch too", () => {
    const [m, l] = finalStats(records, "testError");
    assert.equal(m!.runs, 2);
    assert.equal(m!.completed, 1);
    assert.equal(m!.diverged, 1);
    assert.deepEqual(m!.final, { mean: 0.45, std: 0, min: 0.45, max: 0.45, n: 1 });
    close(l!.final!.mean, 0.42);
    close(l!.final!.std, 0.02);
    close(l!.best!.mean, 0.42);
  });

  test("finalTable: flat rows of plain numbers", () => {
    const rows = finalTable(records);
    assert.deepEqual(rows.map((r) => r["optimizer"]), ["SGDM", "SGDL"]);
    const l = rows[1]!;
    close(l["testError"] as number, 0.42);
    close(l["testErrorStd"] as number, 0.02);
    assert.equal(l["testErrorMin"], 0.4);
    assert.equal(l["testErrorMax"], 0.44);
    assert.equal(l["seeds"], "0, 1, 2");
    assert.equal(rows[0]!["diverged"], 1);
    close(l["bestTestError"] as number, 0.42);
    assert.ok("trainError" in l && !("testTop5Error" in l));
  });
});

describe("lr sensitivity", () => {
  test("final metric per lr and optimizer; diverged points marked, not dropped", () => {
    const rs = [
      fakeRecord({ optimizer: "sgdl", lr: 0.5, test: [0.6, 0.5] }),
      fakeRecord({ optimizer: "sgdl", lr: 1, test: [0.6, 0.4] }),
      fakeRecord({ optimizer: "sgdl", lr: 2, test: [0.9], status: "diverged" }),
      fakeRecord({ optimizer: "sgdm", lr: 0.05, test: [0.6, 0.45] }),
      fakeRecord({ optimizer: "sgdm", lr: 0.1, test: [0.6, 0.43] }),
    ];
    const [m, l] = lrSensitivity(rs, "testError", { sgdl: 1, sgdm: 0.1 });
    assert.equal(m!.label, "SGDM");
    assert.deepEqual(m!.best, { lr: 0.1, value: 0.43 });
    assert.deepEqual(l!.points.map((p) => [p.lr, p.factor, p.value, p.diverged]),
      [[0.5, 0.5, 0.5, 0], [1, 1, 0.4, 0], [2, 2, null, 1]]);
    assert.deepEqual(l!.best, { lr: 1, value: 0.4 });
    assert.equal(l!.paperLr, 1);
  });
});

describe("time to target", () => {
  test("first epoch at or below the target, cumulative wall and training seconds", () => {
    const rs = [
      fakeRecord({ optimizer: "adam", test: [0.5, 0.3, 0.25], epochSeconds: 10, evalSeconds: 2 }),
      fakeRecord({ optimizer: "sgdl", test: [0.6, 0.4, 0.29], epochSeconds: 10, evalSeconds: 2 }),
      fakeRecord({ optimizer: "sgdm", test: [0.7, 0.5, 0.35], epochSeconds: 10, evalSeconds: 2 }),
    ];
    const t = timeToTarget(rs, "testError", 0.3);
    assert.equal(t.target, 0.3);
    const by = Object.fromEntries(t.runs.map((r) => [r.optimizer, r]));
    assert.deepEqual([by["adam"]!.epoch, by["adam"]!.seconds, by["adam"]!.trainSeconds], [2, 24, 20]);
    assert.deepEqual([by["sgdl"]!.epoch, by["sgdl"]!.seconds], [3, 36]);
    assert.deepEqual([by["sgdm"]!.epoch, by["sgdm"]!.seconds], [null, null]);
    const s = Object.fromEntries(t.series.map((x) => [x.optimizer, x]));
    assert.equal(s["sgdm"]!.reached, 0);
    assert.equal(s["sgdm"]!.epochs, null);
    assert.equal(s["adam"]!.epochs!.mean, 2);
    // Default target: what SGDM ends with.
    assert.equal(timeToTarget(rs).target, 0.35);
  });
});

describe("top-k and perplexity", () => {
  test("top-1 and top-5, final and best", () => {
    const rs = [0, 1].map((seed) => fakeRecord({
      optimizer: "sgdl", seed, test: [0.5, 0.4 + seed / 100, 0.45], top5: [0.2, 0.1, 0.12],
    }));
    const [row] = topK(rs);
    close(row!.top1!.mean, 0.45);
    close(row!.bestTop1!.mean, 0.405);
    close(row!.top5!.mean, 0.12);
    close(row!.bestTop5!.mean, 0.1);
    assert.ok("testTop5Error" in finalTable(rs)[0]!);
  });

  test("train and test perplexity per optimizer", () => {
    const rs = [
      fakeRecord({ optimizer: "adam", ppl: [300, 200] }),
      fakeRecord({ optimizer: "sgdl", ppl: [500, 150] }),
    ];
    const rows = perplexity(rs);
    assert.deepEqual(rows.map((r) => [r.label, r.test!.mean, r.bestTest!.mean]), [["Adam", 200, 200], ["SGDL", 150, 150]]);
    close(rows[1]!.train!.mean, 135);
    assert.deepEqual(Object.keys(finalTable(rs)[0]!).filter((k) => k.includes("erplexity")),
      ["trainPerplexity", "trainPerplexityStd", "trainPerplexityMin", "trainPerplexityMax",
        "testPerplexity", "testPerplexityStd", "testPerplexityMin", "testPerplexityMax", "bestTestPerplexity"]);
    assert.deepEqual(curves(rs, "testPerplexity")[1]!.mean, [500, 150]);
  });
});

describe("provenance", () => {
  test("one line: profile, engine, data, seeds, commit, runs", () => {
    const p = provenanceOf(records);
    assert.equal(p.line, "profile cpu · tfjs wasm (2 threads) · CIFAR-10 (real data) · seeds 0, 1, 2 · " +
      "commit 0123456789ab · 5 runs, 1 diverged");
    assert.equal(p.provenance.data, "real");
    assert.deepEqual(p.provenance.seeds, [0, 1, 2]);
  });

  test("the native engine is named with its oneDNN version, records of two engines both", () => {
    const native = fakeRecord({ optimizer: "sgdl", test: [0.5] });
    native.engine = { backend: "native", threads: 1, versions: { onednn: "2.6.3" }, skipped: [],
      notes: [], native: { onednn: "2.6.3", isa: "avx512_core" } };
    const p = provenanceOf([native, fakeRecord({ optimizer: "sgdm", test: [0.5] })]);
    assert.match(p.line, / · native: oneDNN 2\.6\.3 under tfjs \(1 thread\), tfjs wasm \(2 threads\) · /);
  });

  test("mixed commits and a stand-in are all named", () => {
    const rs = [
      fakeRecord({ optimizer: "sgdl", commit: "aaaaaaaaaaaaaaaa", dirty: true, standIn: true, test: [0.5] }),
      fakeRecord({ optimizer: "sgdm", commit: null, standIn: true, test: [0.5] }),
    ];
    const p = provenanceOf(rs, "stand-in data");
    assert.match(p.line, /commits aaaaaaaaaaaa-dirty, unknown/);
    assert.match(p.line, /stand-in for Penn Treebank/);
    assert.match(p.line, /seed 0 · /);
    assert.match(p.line, /2 runs; stand-in data$/);
    assert.equal(p.provenance.data, "stand-in");
  });
});
