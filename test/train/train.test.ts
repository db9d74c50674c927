/**
 * The trainer in-process on smoke-sized runs (wasm): determinism, flat
 * tensor counts, the cache, divergence, resumption after an interrupt,
 * micro-batching and the language-model path.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../lib/engine";
import { ParamStore } from "../../lib/models";
import {
  checkpointDir, configHash, findRecord, parseConfig, type ProgressEvent, readManifest, readRecord,
  registerModel, runDirOf, train,
  type TrainConfigInput,
} from "../../lib/train";
import {
  registerTinyLm, registerTinyMlp, results, skipNoCifar, tempRuns, tinyConfig,
} from "./helpers";

const runs = tempRuns();
before(async () => {
  await initEngine({ backend: "wasm", threads: 1, quiet: true });
  registerTinyMlp();
  registerTinyLm();
});
after(() => runs.done());

const quiet = { quiet: true, runsDir: runs.dir };

describe("image classification", { skip: skipNoCifar }, () => {
  test("same config and seed twice: identical metrics; tensors flat", async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const cfg = tinyConfig();
    const a = await train(cfg, {
      ...quiet,
      onProgress: (e) => {
        if (e.phase === "epoch") counts.push(tf.memory().numTensors);
      },
    });
    assert.equal(a.status, "completed");
    assert.equal(a.history.length, 3);
    assert.equal(counts.length, 3);
    assert.equal(new Set(counts).size, 1, `tensors per epoch: ${counts}`);
    assert.equal(tf.memory().numTensors, before, "model and optimizer freed");
    for (const m of a.history) {
      assert.ok(Number.isFinite(m.trainLoss) && Number.isFinite(m.testLoss), JSON.stringify(m));
      assert.ok(m.testError !== null && m.testError >= 0 && m.testError <= 1);
      assert.equal(m.testTop5Error, null); // 10 classes: top-1 only
      assert.equal(m.examples, 100);
      assert.equal(m.unit, "images");
    }
    assert.equal(a.dataset.label, "CIFAR-10 (real data)");
    assert.equal(a.dataset.standIn, null);
    assert.equal(a.config.backend, "wasm");
    assert.equal(a.engine.backend, "wasm");
    assert.match(a.code.commit ?? "no git", /^[0-9a-f]{40}$|^no git$/);
    assert.equal(existsSync(checkpointDir(runDirOf(a.id, runs.dir))), false,
      "checkpoint removed at the end");

    // Trained again from scratch (force): bitwise the same results.
    const b = await train(cfg, { ...quiet, force: true });
    assert.deepEqual(results(b.history), results(a.history));

    // And a third call is a cache hit: no training at all.
    const phases: ProgressEvent["phase"][] = [];
    const c = await train({ ...cfg, checkpoint: { every: 2 } }, {
      ...quiet,
      onProgress: (e) => phases.push(e.phase),
    });
    assert.deepEqual(phases, ["cached"]);
    assert.deepEqual(c.history, b.history);
    assert.deepEqual(await findRecord(cfg, { runsDir: runs.dir }), c);
    assert.equal(await findRecord({ ...cfg, seed: 99 }, { runsDir: runs.dir }), null);
  });

  test("interrupted (abort) then resumed: the same metrics as uninterrupted", async () => {
    const cfg = tinyConfig({ seed: 5, epochs: 4, eval: { every: 2 } });
    const ref = await train(cfg, { quiet: true, runsDir: join(runs.dir, "ref") });
    const ac = new AbortController();
    const cut = await train(cfg, {
      ...quiet,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.phase === "train" && e.epoch === 3 && e.step === 2) ac.abort();
      },
    });
    assert.equal(cut.status, "interrupted");
    assert.equal(cut.history.length, 2);
    const dir = runDirOf(cut.id, runs.dir);
    assert.equal(readManifest(dir)?.trainer.epoch, 2);
    assert.equal(readRecord(dir)?.status, "interrupted");
    const events: ProgressEvent[] = [];
    const resumed = await train(cfg, { ...quiet, onProgress: (e) => events.push(e) });
    assert.equal(resumed.status, "completed");
    assert.deepEqual(resumed.resumedAt, [2]);
    assert.equal(events[0]?.phase, "resumed");
    assert.deepEqual(results(resumed.history), results(ref.history));
    // eval every 2 epochs (and after the last)
    assert.deepEqual(ref.history.map((m) => m.testError !== null), [false, true, false, true]);
  });

  test("eval.subsetPerClass: a fixed test subset each epoch, the full split last", async () => {
    const cfg = tinyConfig({ seed: 2, epochs: 3, eval: { every: 1, subsetPerClass: 2 } });
    const rec = await train(cfg, quiet);
    assert.deepEqual(rec.history.map((m) => m.testSet), ["subset", "subset", "full"]);
    assert.deepEqual(rec.history.map((m) => m.testExamples), [20, 20, 40]);
    // The option is part of the run id; leaving it out keeps the old ids.
    const plain = tinyConfig({ seed: 2, epochs: 3 });
    assert.notEqual(configHash(cfg), configHash(plain));
    assert.equal(JSON.stringify(parseConfig(plain).eval).includes("subsetPerClass"), false);
    // The subset is the same examples every time: equal weights, equal error.
    const again = await train(cfg, { ...quiet, force: true });
    assert.deepEqual(results(again.history), results(rec.history));
  });

  test("a very large lr ends as diverged, and says where", async () => {
    const rec = await train(tinyConfig({
      optimizer: { name: "sgd", lr: 1e6 },
      seed: 1,
    }), quiet);
    assert.equal(rec.status, "diverged");
    assert.ok(rec.diverged !== null);
    assert.equal(rec.diverged.epoch, 1);
    assert.ok(rec.diverged.step >= 2, `step ${rec.diverged.step}`);
    assert.match(rec.diverged.reason, /loss is NaN|loss is Infinity|x the first loss/);
    assert.equal(rec.history.length, 0);
    // A diverged run is a result: it is cached like a completed one.
    const again = await train(tinyConfig({ optimizer: { name: "sgd", lr: 1e6 }, seed: 1 }), quiet);
    assert.deepEqual(again, rec);
  });

  test("micro-batches give the full batch's update (no batch norm)", async () => {
    const base: TrainConfigInput = tinyConfig({
      model: { kind: "custom", name: "tiny-mlp", args: { hidden: 8 } },
      augment: false,
      epochs: 2,
      eval: { every: 1, topK: true },
    });
    const full = await train(base, quiet);
    const micro = await train({ ...base, microBatch: 10 }, quiet);
    assert.notEqual(micro.id, full.id);
    for (const [m, f] of micro.history.map((m, i) => [m, full.history[i]!] as const)) {
      assert.ok(Math.abs(m.trainLoss! - f.trainLoss!) < 1e-5, `${m.trainLoss} vs ${f.trainLoss}`);
      assert.ok(Math.abs(m.testLoss! - f.testLoss!) < 1e-5);
      assert.ok(m.testTop5Error !== null && m.testTop5Error <= m.testError!);
    }
  });
});

describe("language models", () => {
  const lmConfig: TrainConfigInput = {
    profile: "smoke",
    model: { kind: "custom", name: "tiny-rnn", args: { hidden: 16 } },
    dataset: { name: "synthetic-text", vocabSize: 12, tokens: 4000, bptt: 10 },
    optimizer: { name: "sgd", lr: 0.5, weightDecay: 0, clipNorm: 0.5 },
    schedule: { kind: "constant" },
    epochs: 3,
    batchSize: 8,
    backend: "wasm",
  };

  test("BPTT with carried state: perplexity falls, tokens counted", async () => {
    const counts: number[] = [];
    const rec = await train(lmConfig, {
      ...quiet,
      onProgress: (e) => {
        if (e.phase === "epoch") counts.push(tf.memory().numTensors);
      },
    });
    assert.equal(rec.status, "completed");
    assert.equal(rec.dataset.vocabSize, 12);
    assert.match(rec.dataset.label, /stand-in/);
    const [first, , last] = rec.history;
    assert.equal(first!.unit, "tokens");
    assert.equal(first!.trainError, null);
    assert.equal(first!.examples, 8 * 499); // 500 columns, 499 targets each
    assert.equal(first!.steps, 50);
    assert.ok(last!.testPerplexity! < first!.trainPerplexity!,
      `${first!.trainPerplexity} -> ${last!.testPerplexity}`);
    assert.ok(last!.testPerplexity! < 8, `test perplexity ${last!.testPerplexity} (vocabulary 12)`);
    assert.ok(Math.abs(Math.exp(last!.testLoss!) - last!.testPerplexity!) < 1e-9);
    assert.equal(new Set(counts).size, 1, `tensors per epoch: ${counts}`);
  });

  test("variable BPTT lengths resume exactly after an interrupt", async () => {
    const cfg: TrainConfigInput = {
      ...lmConfig,
      dataset: { name: "synthetic-text", vocabSize: 12, tokens: 2000, bptt: 8, variableBptt: true },
      seed: 3,
    };
    const ref = await train(cfg, { quiet: true, runsDir: join(runs.dir, "lm-ref") });
    const ac = new AbortController();
    const cut = await train(cfg, {
      ...quiet,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.phase === "train" && e.epoch === 2 && e.step === 3) ac.abort();
      },
    });
    assert.equal(cut.status, "interrupted");
    const resumed = await train(cfg, quiet);
    assert.deepEqual(resumed.resumedAt, [1]);
    assert.deepEqual(results(resumed.history), results(ref.history));
  });

  test("lib/models' AWD-LSTM trains through the same loop", async () => {
    const rec = await train({
      ...lmConfig,
      model: { kind: "awd-lstm", numLayers: 2, embeddingSize: 8, hiddenSize: 16 },
      optimizer: { name: "sgdl", lr: 5, clipNorm: 0.25, weightDecay: 1.2e-6 },
      dataset: { name: "synthetic-text", vocabSize: 12, tokens: 1000, bptt: 10 },
      epochs: 1,
    }, quiet);
    assert.equal(rec.status, "completed");
    assert.equal(rec.model.name, "awd-lstm2");
    assert.ok(Number.isFinite(rec.final?.testPerplexity));
  });
});

describe("failures", () => {
  test("a run whose data cannot be read leaves no run folder behind", async () => {
    const before = process.env["FASHION_MNIST_DIR"];
    process.env["FASHION_MNIST_DIR"] = "/nonexistent/fashion-mnist";
    try {
      const cfg = tinyConfig({ dataset: { name: "fashion-mnist", trainPerClass: 2, testPerClass: 2 } });
      await assert.rejects(train(cfg, quiet), /Fashion-MNIST/);
      assert.equal(existsSync(runDirOf(configHash({ ...cfg, backend: "wasm" }), runs.dir)), false);
    } finally {
      if (before === undefined) delete process.env["FASHION_MNIST_DIR"];
      else process.env["FASHION_MNIST_DIR"] = before;
    }
  });

  test("a clean-up error after a failed step never hides the step's error", async () => {
    registerModel("faulty", (_args, ctx) => {
      const store = new ParamStore(ctx.seed);
      store.constant("w", [1], 0);
      return {
        name: "faulty", params: store.params, buffers: store.buffers,
        apply() { throw new Error("the step's own error"); },
        dispose() { store.dispose(); throw new Error("clean-up noise"); },
      };
    });
    await assert.rejects(train(tinyConfig({ model: { kind: "custom", name: "faulty", args: {} } }), quiet),
      /the step's own error/);
  });
});
