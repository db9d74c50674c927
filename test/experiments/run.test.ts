/**
 * The smoke plans end to end through the real trainer (wasm, one
 * thread): every section whose data is present trains in seconds, comes
 * back grouped, is cached the second time, and feeds the analysis and
 * the claims. A diverged run is kept and flagged; a run that throws is
 * listed as a failure while the rest of the plan goes on.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  curves, finalTable, loadPlan, lrSensitivityOf, type Plan, plan, type PlanProgress,
  provenanceOf, recordsOf, runPlan, sectionClaims,
} from "../../lib/experiments";
import { brownPtbDir, fashionMnistDir, keywordsDir } from "../../lib/data";
import { initEngine } from "../../lib/engine";
import { skipNoCifar, tempRuns } from "../train/helpers";

const runs = tempRuns();
before(async () => {
  await initEngine({ backend: "wasm", threads: 1, quiet: true });
});
after(() => runs.done());

const opts = { runsDir: runs.dir, quiet: true };

const skipNo = (dir: string, file: string, what: string) =>
  existsSync(join(dir, file)) ? false : `${what} absent: run \`npm run data -- all-local\` first`;

const VERDICTS = ["supported", "not supported", "inconclusive", "not run"];

describe("section 6.1 smoke plan", { skip: skipNoCifar }, () => {
  const p = plan("6.1", "smoke");
  let first: Awaited<ReturnType<typeof runPlan>>;

  test("trains every group; records grouped as the plan; seconds", async () => {
    const events: PlanProgress[] = [];
    const t0 = performance.now();
    first = await runPlan(p, { ...opts, onProgress: (e) => events.push(e) });
    const secs = (performance.now() - t0) / 1000;
    assert.ok(secs < 120, `6.1 smoke took ${secs.toFixed(1)} s`);
    assert.deepEqual(Object.keys(first.groups), Object.keys(p.groups));
    for (const [name, g] of Object.entries(first.groups)) {
      assert.equal(g.records.length, p.groups[name]!.runs.length, name);
      assert.ok(g.outcomes.every((o) => o.status === "completed" && !o.cached && o.error === null));
    }
    assert.deepEqual(first.failures, []);
    // 12 distinct runs: each lr grid shares its paper-lr point with the main comparison.
    const total = new Set(events.map((e) => e.total));
    assert.deepEqual([...total], [12]);
    assert.ok(events.some((e) => e.phase === "epoch" && e.group === "fig3-cifar10" && e.label === "SGD lr 0.2"));
    const grid = first.groups["lr-grid-sgdl"]!.records;
    const main = first.groups["fig4-cifar10-resnet56"]!.records;
    assert.ok(grid.some((r) => main.some((m) => m.id === r.id)), "shared run, one record");
  });

  test("a second call comes from the cache; loadPlan reads the same records", async () => {
    const again = await runPlan(p, opts);
    for (const g of Object.values(again.groups)) assert.ok(g.outcomes.every((o) => o.cached));
    const loaded = await loadPlan(p, { runsDir: runs.dir });
    assert.deepEqual(
      Object.values(loaded.groups).flatMap((g) => g.records.map((r) => r.id)),
      Object.values(first.groups).flatMap((g) => g.records.map((r) => r.id)),
    );
  });

  test("cachedOnly (report --cached-only, SGDL_CACHED_ONLY=1) trains nothing: finished runs, the rest missing", async () => {
    const cached = await runPlan(p, { ...opts, cachedOnly: true });
    for (const g of Object.values(cached.groups)) assert.ok(g.outcomes.every((o) => o.status === "completed"));
    const empty = tempRuns();
    try {
      process.env["SGDL_CACHED_ONLY"] = "1";
      const none = await runPlan(p, { runsDir: empty.dir, quiet: true });
      assert.deepEqual(existsSync(empty.dir) ? readdirSync(empty.dir) : [], [], "nothing trained");
      for (const g of Object.values(none.groups)) {
        assert.equal(g.records.length, 0);
        assert.ok(g.outcomes.every((o) => o.status === "missing"));
      }
    } finally {
      delete process.env["SGDL_CACHED_ONLY"];
      empty.done();
    }
  });

  test("SGDL_FRESH=1 (report --fresh) trains every run again", async () => {
    process.env["SGDL_FRESH"] = "1";
    try {
      const fresh = await runPlan(p, opts);
      for (const g of Object.values(fresh.groups)) {
        assert.ok(g.outcomes.every((o) => !o.cached));
      }
    } finally {
      delete process.env["SGDL_FRESH"];
    }
  });

  test("the analysis and the claims run on the records", () => {
    const main = first.groups["fig4-cifar10-resnet56"]!.records;
    const cs = curves(main, "testError");
    assert.equal(cs.length, 5);
    assert.ok(cs.every((c) => c.x.length === 2 && c.mean.every((v) => v >= 0 && v <= 1)));
    assert.equal(finalTable(main).length, 5);
    const claims = sectionClaims(first);
    assert.deepEqual(claims.map((c) => c.id), [
      "fig3-cifar10-larger-lr-helps-sgd",
      "fig4-cifar10-resnet56-sgdl-matches-or-beats",
    ]);
    for (const c of claims) {
      assert.ok(VERDICTS.includes(c.verdict));
      // One seed at the smoke profile: never a finding.
      assert.equal(c.verdict, "inconclusive", c.reason);
    }
    const sens = lrSensitivityOf(first);
    assert.deepEqual(sens.map((x) => [x.label, x.points.map((pt) => pt.factor)]),
      [["Adam", [0.5, 1]], ["AdaDelta", [0.5, 1]], ["SGD", [0.5, 1]], ["SGDM", [0.5, 1]], ["SGDL", [0.5, 1]]]);
    assert.equal(recordsOf(first, "lr-grid").length, 10);
    const prov = provenanceOf(main);
    assert.match(prov.line, /^profile smoke · tfjs wasm \(1 thread\) · CIFAR-10 \(real data\) · seed 0 · commit /);
    assert.equal(prov.provenance.data, "real");
  });

  test("a diverged run is kept and flagged; a failing run is listed, the plan goes on", async () => {
    const base = p.groups["fig3-cifar10"]!;
    const blowUp = structuredClone(base.runs[0]!);
    blowUp.lr = 1e6;
    blowUp.label = "SGD lr 1e6";
    blowUp.config = { ...blowUp.config, optimizer: { name: "sgd", lr: 1e6 } };
    const broken = structuredClone(base.runs[0]!);
    broken.label = "unregistered model";
    broken.config = { ...broken.config, model: { kind: "custom", name: "no-such-model" } };
    const bad: Plan = {
      ...p,
      groups: { "fig3-cifar10": { ...base, runs: [broken, blowUp, base.runs[1]!] } },
    };
    const res = await runPlan(bad, opts);
    const outs = res.groups["fig3-cifar10"]!.outcomes;
    assert.deepEqual(outs.map((o) => o.status), ["failed", "diverged", "completed"]);
    assert.match(outs[0]!.error!, /no custom model "no-such-model"/);
    assert.equal(res.failures.length, 1);
    assert.equal(res.diverged.length, 1);
    assert.equal(res.groups["fig3-cifar10"]!.records.length, 2);
    const c = curves(res.groups["fig3-cifar10"]!.records, "trainError");
    assert.equal(c.find((x) => x.lr === 1e6)!.diverged.length, 1);
  });

  test("unknown group names are an error naming the groups", async () => {
    await assert.rejects(runPlan(p, { ...opts, groups: ["fig9"] }), /no group "fig9".*groups: fig3-cifar10/);
  });
});

describe("sections 6.2-6.4 smoke plans (stand-ins)", () => {
  const cases = [
    { s: "6.2" as const, skip: skipNo(fashionMnistDir(), "train-images-idx3-ubyte.gz", "Fashion-MNIST"), n: 3 },
    { s: "6.3" as const, skip: skipNo(keywordsDir(), "manifest.json", "the keyword stand-in"), n: 2 },
    { s: "6.4" as const, skip: skipNo(brownPtbDir(), "ptb.train.txt", "Brown-PTB"), n: 3 },
  ];
  for (const { s, skip, n } of cases) {
    test(`${s}: end to end, labelled stand-in, claims`, { skip }, async () => {
      const t0 = performance.now();
      const res = await runPlan(plan(s, "smoke"), opts);
      const secs = (performance.now() - t0) / 1000;
      assert.ok(secs < 120, `${s} smoke took ${secs.toFixed(1)} s`);
      assert.deepEqual(res.failures, []);
      const g = Object.values(res.groups)[0]!;
      assert.equal(g.records.length, 5);
      assert.ok(g.records.every((r) => r.dataset.standIn !== null), "stand-in labelled");
      assert.match(provenanceOf(g.records).line, /stand-in/);
      const claims = sectionClaims(res);
      assert.equal(claims.length, n);
      assert.ok(claims.every((c) => VERDICTS.includes(c.verdict)));
      if (s === "6.4") {
        assert.ok(g.records.every((r) => r.final?.testPerplexity !== null));
      }
    });
  }
});
