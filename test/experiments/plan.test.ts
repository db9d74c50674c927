/**
 * Plans: the paper profile against Table 1 and Appendix A.3 value by
 * value (the expected numbers are written out here, from the paper's
 * text, not read from lib/optim); the cpu profile's reductions (real
 * CIFAR-10 with the full test set, seeds, equal lr grids, the schedule's
 * shape, labelled stand-ins) and its 2-hour budget; every config of
 * every profile valid.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  describeSchedule, allPlans, estimatePlan, estimatePlans, estimateSeconds, plan, planConfigs, SECTIONS,
} from "../../lib/experiments";
import type { OptimizerName } from "../../lib/optim";
import { configHash, parseConfig, type TrainConfig } from "../../lib/train";

const OPTS: OptimizerName[] = ["adam", "adadelta", "sgd", "sgdm", "sgdl"];

/** A.3.1: SGDL lr per CIFAR experiment; SGDM 0.1 except VGG16 on CIFAR-10 (0.05). */
const CIFAR_SGDL: Record<string, number> = {
  "cifar10-resnet56": 1.0, "cifar10-resnet110": 1.2, "cifar10-vgg16": 1.2,
  "cifar10-densenet100-k12": 1.1, "cifar100-resnet56": 1.3, "cifar100-resnet110": 1.3,
  "cifar100-vgg16": 1.0, "cifar100-densenet100-k12": 1.3,
};

function runOf(section: "6.1" | "6.2" | "6.3" | "6.4", group: string, o: OptimizerName, profile = "paper" as const) {
  const g = plan(section, profile).groups[group];
  assert.ok(g !== undefined, `group ${group} in ${section}`);
  const r = g.runs.find((x) => x.optimizer === o);
  assert.ok(r !== undefined, `${o} in ${group}`);
  return parseConfig(r.config);
}

/** Table 1 / A.3.1: the settings every optimizer shares across the image experiments. */
function checkOptimizer(c: TrainConfig, o: OptimizerName, lr: number, wd = 0.005): void {
  const opt = c.optimizer;
  assert.equal(opt.name, o);
  assert.equal(opt.lr, lr, `${o} lr`);
  switch (opt.name) {
    case "sgd":
    case "sgdl":
      assert.equal(opt.weightDecay, wd);
      break;
    case "sgdm":
      assert.equal(opt.momentum, 0.9);
      assert.equal(opt.nesterov, false);
      assert.equal(opt.weightDecay, wd);
      break;
    case "adam":
      assert.equal(opt.beta1, 0.9);
      assert.equal(opt.beta2, 0.999);
      assert.equal(opt.weightDecay, 0);
      break;
    case "adadelta":
      assert.equal(opt.rho, 0.9);
      assert.equal(opt.weightDecay, 0);
      break;
  }
}

function checkCifarSchedule(c: TrainConfig, o: OptimizerName): void {
  if (o === "adadelta") {
    assert.deepEqual(c.schedule, { kind: "constant" }, "AdaDelta is not annealed (A.3.1)");
  } else {
    // the paper's epochs 50 and 100 of 150, kept as fractions from the paper to the optimizer
    assert.deepEqual(c.schedule, { kind: "multistep", at: [50 / 150, 100 / 150], unit: "fraction", gamma: 0.1 });
    assert.equal(describeSchedule(c), "x0.1 at epochs 50, 100");
  }
}

describe("paper profile: Table 1 and Appendix A.3, value by value", () => {
  test("6.1: every CIFAR model, 150 epochs, batch 256, lrs of A.3.1, schedule, augmentation", () => {
    const models: Record<string, TrainConfig["model"]["kind"]> = {
      resnet56: "resnet", resnet110: "resnet", vgg16: "vgg16", "densenet100-k12": "densenet",
    };
    for (const [exp, sgdl] of Object.entries(CIFAR_SGDL)) {
      for (const o of OPTS) {
        const c = runOf("6.1", `fig4-${exp}`, o);
        assert.equal(c.profile, "paper");
        assert.equal(c.epochs, 150);
        assert.equal(c.batchSize, 256);
        assert.equal(c.dataset.name, exp.split("-")[0]);
        assert.equal(c.dataset.name === "cifar10" || c.dataset.name === "cifar100" ? c.dataset.trainPerClass : -1, null);
        assert.deepEqual(c.augment, { pad: 4, flip: true }, "4-px reflect crop and flips (A.3.1)");
        assert.equal(c.normalize, true);
        assert.equal(c.model.kind, models[exp.split("-").slice(1).join("-")]);
        const sgdm = exp === "cifar10-vgg16" ? 0.05 : 0.1;
        const lr = { sgdl, sgdm, sgd: sgdm, adam: 0.001, adadelta: 1.0 }[o];
        checkOptimizer(c, o, lr);
        checkCifarSchedule(c, o);
      }
    }
    const m = (e: string) => runOf("6.1", `fig4-${e}`, "sgdl").model;
    assert.deepEqual(m("cifar10-resnet56"), { kind: "resnet", n: 9, width: 1 });
    assert.deepEqual(m("cifar10-resnet110"), { kind: "resnet", n: 18, width: 1 });
    assert.deepEqual(m("cifar100-densenet100-k12"), { kind: "densenet", depth: 100, growthRate: 12, bottleneck: true });
    assert.equal(m("cifar10-vgg16").kind, "vgg16");
  });

  test("6.1 Fig. 3: vanilla SGD on ResNet-56, lr 0.2 to 1.0, CIFAR-10 and CIFAR-100", () => {
    for (const d of ["cifar10", "cifar100"]) {
      const g = plan("6.1", "paper").groups[`fig3-${d}`]!;
      assert.deepEqual(g.runs.map((r) => r.lr), [0.2, 0.4, 0.6, 0.8, 1.0]);
      for (const r of g.runs) {
        const c = parseConfig(r.config);
        assert.equal(c.optimizer.name, "sgd");
        assert.equal(c.optimizer.lr, r.lr);
        assert.deepEqual(c.model, { kind: "resnet", n: 9, width: 1 });
        assert.equal(c.dataset.name, d);
        assert.equal(c.epochs, 150);
      }
    }
  });

  test("6.2: ImageNet32, ResNet-56 with 4x channels, 120 epochs, lr / 10 every 30, lrs 1.1 / 0.1 / 0.001", () => {
    for (const o of OPTS) {
      const c = runOf("6.2", "fig5-imagenet32-resnet56x4", o);
      assert.equal(c.dataset.name, "imagenet32");
      assert.deepEqual(c.model, { kind: "resnet", n: 9, width: 4 });
      assert.equal(c.epochs, 120);
      assert.equal(c.batchSize, 256);
      checkOptimizer(c, o, { sgdl: 1.1, sgdm: 0.1, sgd: 0.1, adam: 0.001, adadelta: 1.0 }[o]);
      assert.deepEqual(c.schedule, o === "adadelta"
        ? { kind: "constant" }
        : { kind: "step", every: 30, gamma: 0.1 });
    }
    assert.equal(plan("6.2", "paper").groups["fig5-imagenet32-resnet56x4"]!.metric, "top5");
  });

  test("6.3: Speech Commands net (2 conv x 20, 2D dropout, dense 1000), SGDM 0.01, SGDL 0.15", () => {
    for (const o of OPTS) {
      const c = runOf("6.3", "fig6-speech-commands-lenet5", o);
      assert.equal(c.dataset.name, "speech-commands");
      assert.equal(c.model.kind, "audio");
      if (c.model.kind === "audio") {
        assert.equal(c.model.channels, 20);
        assert.deepEqual(c.model.hidden, [1000]);
        assert.ok(c.model.dropout2d > 0);
      }
      assert.equal(c.augment, false);
      checkOptimizer(c, o, { sgdl: 0.15, sgdm: 0.01, sgd: 0.01, adam: 0.001, adadelta: 1.0 }[o]);
    }
  });

  test("6.4: 2- and 3-layer AWD-LSTM, 1150 hidden, 400 embedding, batch 20, clip 0.25, dropouts, SGDL 30", () => {
    for (const layers of [2, 3]) {
      for (const o of OPTS) {
        const c = runOf("6.4", `fig7-ptb-lstm${layers}`, o);
        assert.equal(c.dataset.name, "ptb");
        assert.deepEqual(c.model, {
          kind: "awd-lstm", numLayers: layers, embeddingSize: 400, hiddenSize: 1150, tieWeights: true,
          inputDropout: 0.4, layerDropout: 0.3, outputDropout: 0.4, embeddingDropout: 0.1, weightDrop: 0.5,
        });
        assert.equal(c.batchSize, 20);
        assert.equal(c.epochs, 150);
        assert.equal(c.optimizer.clipNorm, 0.25);
        // SGD(M) lr 1 from {0.001, 0.01, 0.1, 1}; Adam and AdaDelta "as above"; SGDL 30.
        checkOptimizer(c, o, { sgdl: 30, sgdm: 1, sgd: 1, adam: 0.001, adadelta: 1.0 }[o], 1.2e-6);
        checkCifarSchedule(c, o);
      }
    }
  });

  test("table1: the paper's lr grids", () => {
    const p = plan("table1", "paper");
    const grid = (o: OptimizerName) => p.groups[`lr-grid-${o}`]!.runs.map((r) => r.lr);
    assert.deepEqual(grid("adam"), [0.0001, 0.001, 0.01]);
    assert.deepEqual(grid("adadelta"), [1.0]);
    assert.deepEqual(grid("sgd"), [0.001, 0.01, 0.05, 0.1]);
    assert.deepEqual(grid("sgdm"), [0.001, 0.01, 0.05, 0.1]);
    assert.deepEqual(grid("sgdl"), [1.0, 1.1, 1.2, 1.3]);
    for (const g of Object.values(p.groups)) {
      for (const r of g.runs) checkOptimizer(parseConfig(r.config), r.optimizer, r.lr);
    }
  });

  test("settings rows: the paper's side equals ours at the paper profile", () => {
    for (const s of ["6.1", "6.2", "6.3", "6.4"] as const) {
      const rows = plan(s, "paper").settings;
      assert.ok(rows.length > 0);
      assert.deepEqual(rows.filter((r) => r.reduced), [], `${s}: nothing reduced`);
    }
  });
});

describe("cpu profile (the default)", () => {
  const p61 = plan("6.1");

  test("is the default, and group names are those of the paper profile", () => {
    assert.equal(p61.profile, "cpu");
    for (const s of SECTIONS) {
      const cpu = Object.keys(plan(s, "cpu").groups);
      const paper = Object.keys(plan(s, "paper").groups);
      assert.ok(cpu.every((g) => paper.includes(g)), `${s}: ${cpu} within ${paper}`);
    }
  });

  test("6.1: real CIFAR-10, ResNet-20 or VGG-16, >= 15,000 training images, " +
    "a test subset each epoch and the full test set last", () => {
    for (const c of planConfigs(p61).map((x) => parseConfig(x))) {
      assert.equal(c.profile, "cpu");
      assert.equal(c.dataset.name, "cifar10");
      if (c.dataset.name !== "cifar10") continue;
      assert.equal(c.dataset.testPerClass, null, "the full 10,000-image test set");
      assert.ok(c.dataset.trainPerClass !== null && c.dataset.trainPerClass * 10 >= 15_000);
      assert.equal(c.dataset.trainBatches, null, "drawn from all five batches");
      assert.equal(c.dataset.crop, null);
      assert.deepEqual(c.augment, { pad: 4, flip: true });
      assert.ok(c.epochs >= 15);
      assert.equal(c.eval.every, 1);
      assert.equal(c.eval.subsetPerClass, 100);
      if (c.model.kind === "resnet") assert.ok(c.model.n >= 3 && c.model.width === 1, "ResNet-20 or deeper");
      if (c.model.kind === "vgg16") assert.ok(c.model.width >= 0.25, "VGG-16 at a width that learns");
    }
    assert.ok(Object.values(p61.groups).every((g) => g.data === "real"));
  });

  test("6.1: the five optimizers with 3 seeds at their paper lrs; schedule drops at 1/3 and 2/3", () => {
    const g = p61.groups["fig4-cifar10-resnet56"]!;
    for (const o of OPTS) {
      const runs = g.runs.filter((r) => r.optimizer === o);
      assert.ok(new Set(runs.map((r) => r.seed)).size >= 3, `${o}: 3 seeds`);
      for (const r of runs) {
        const c = parseConfig(r.config);
        const paper = runOf("6.1", "fig4-cifar10-resnet56", o);
        assert.deepEqual({ ...c.optimizer }, { ...paper.optimizer }, "optimizer settings kept");
        assert.deepEqual(c.schedule, o === "adadelta"
          ? { kind: "constant" }
          : { kind: "multistep", at: [1 / 3, 2 / 3], unit: "fraction", gamma: 0.1 });
        assert.ok(c.epochs < 150);
        assert.equal(c.eval.topK, null);
      }
    }
  });

  test("lr grids: the same size for every optimizer, log-spaced, through the paper lr", () => {
    const sizes = OPTS.map((o) => p61.groups[`lr-grid-${o}`]!.runs.length);
    assert.equal(new Set(sizes).size, 1, `grid sizes ${sizes}`);
    assert.ok(sizes[0]! >= 3);
    const main = new Set(p61.groups["fig4-cifar10-resnet56"]!.runs.map((r) => configHash(r.config)));
    for (const o of OPTS) {
      const g = p61.groups[`lr-grid-${o}`]!;
      const lrs = g.runs.map((r) => r.lr);
      const ratios = lrs.slice(1).map((lr, i) => lr / lrs[i]!);
      assert.ok(ratios.every((q) => Math.abs(q - ratios[0]!) < 1e-9), `${o} log-spaced: ${lrs}`);
      assert.ok(lrs.includes(g.paperLr!), `${o} grid includes its paper lr`);
      const shared = g.runs.filter((r) => main.has(configHash(r.config)));
      assert.equal(shared.length, 1, `${o}: the paper-lr point is the main comparison's run`);
    }
    // table1 at cpu: the same runs.
    const t1 = plan("table1");
    assert.deepEqual(Object.keys(t1.groups), OPTS.map((o) => `lr-grid-${o}`));
    for (const [name, g] of Object.entries(t1.groups)) {
      assert.deepEqual(g.runs.map((r) => configHash(r.config)),
        p61.groups[name]!.runs.map((r) => configHash(r.config)));
    }
  });

  test("6.2-6.4 run labelled stand-ins; 6.2 measures top-5; 6.4 keeps the LSTM recipe", () => {
    const data = (s: "6.2" | "6.3" | "6.4") => Object.values(plan(s).groups).map((g) => g.data);
    assert.deepEqual([...new Set(data("6.2")), ...new Set(data("6.3")), ...new Set(data("6.4"))],
      ["stand-in", "stand-in", "stand-in"]);
    const fm = parseConfig(plan("6.2").groups["fig5-imagenet32-resnet56x4"]!.runs[0]!.config);
    assert.equal(fm.dataset.name, "fashion-mnist");
    if (fm.dataset.name === "fashion-mnist") assert.equal(fm.dataset.standInFor, "imagenet32");
    assert.equal(fm.eval.topK, true);
    const lstm = runOf("6.4", "fig7-ptb-lstm2", "sgdl", "cpu" as "paper");
    assert.equal(lstm.dataset.name, "brown-ptb");
    assert.equal(lstm.optimizer.lr, 30);
    assert.equal(lstm.optimizer.clipNorm, 0.25);
    if (lstm.model.kind === "awd-lstm") assert.equal(lstm.model.weightDrop, 0.5);
    for (const s of ["6.2", "6.3", "6.4"] as const) {
      const groups = Object.values(plan(s).groups).filter((x) => x.kind === "optimizers");
      assert.equal(groups.length, s === "6.4" ? 2 : 1, `${s}: the 2- and 3-layer LSTMs`);
      for (const g of groups) {
        for (const o of OPTS) {
          assert.ok(g.runs.filter((r) => r.optimizer === o).length >= 3, `${g.name} ${o}: >= 3 seeds`);
        }
      }
    }
  });

  test("settings: the paper's value beside ours, reductions flagged", () => {
    const rows = p61.settings.filter((r) => r.group === "fig4-cifar10-resnet56");
    const row = (s: string) => rows.find((r) => r.setting === s)!;
    assert.equal(row("epochs").paper, "150");
    assert.equal(row("epochs").reduced, true);
    assert.match(row("model").paper, /ResNet-56/);
    assert.match(row("model").ours, /ResNet-20/);
    assert.match(row("data").ours, /10,000 test \(all\)/);
    assert.match(row("lr schedule").paper, /epochs 50, 100/);
    assert.equal(row("SGDL lr").reduced, false);
    assert.equal(row("SGDM other").paper, "momentum 0.9, weight decay 0.005");
    assert.match(p61.settings.find((r) => r.setting === "lr grid SGDL")!.paper, /1, 1.1, 1.2, 1.3/);
  });

  test("budget: all sections' fresh training within 8 hours by the estimate", () => {
    const est = estimatePlans(allPlans("cpu"));
    assert.ok(est.seconds < 8 * 3600, `cpu total ${(est.seconds / 60).toFixed(1)} min`);
    assert.ok(est.seconds > 5 * 3600, `cpu total ${(est.seconds / 60).toFixed(1)} min uses the budget`);
    // table1 adds nothing: its runs are 6.1's.
    const t1 = est.groups.filter((g) => g.name.startsWith("table1/"));
    assert.ok(t1.every((g) => g.newRuns === 0));
  });
});

describe("smoke profile and estimates", () => {
  test("every section's smoke plan is estimated in seconds", () => {
    for (const s of SECTIONS) {
      const e = estimatePlan(plan(s, "smoke"));
      assert.ok(e.seconds < 90, `${s}: ${e.seconds.toFixed(0)} s`);
      for (const g of Object.values(plan(s, "smoke").groups)) {
        for (const r of g.runs) assert.equal(parseConfig(r.config).profile, "smoke");
      }
    }
  });

  test("every config of every profile parses; estimateSeconds grows with epochs and data", () => {
    for (const prof of ["smoke", "cpu", "paper"] as const) {
      for (const p of allPlans(prof)) for (const c of planConfigs(p)) parseConfig(c);
    }
    const base = plan("6.1").groups["fig4-cifar10-resnet56"]!.runs[0]!.config;
    const t = estimateSeconds(base);
    assert.ok(estimateSeconds({ ...base, epochs: 30 }) > 1.8 * t - 10);
    assert.ok(t > 400 && t < 720, `ResNet-20, 18,000 images x 15 epochs: ${t.toFixed(0)} s`);
  });

  test("bad section or profile: an error naming the choices", () => {
    assert.throws(() => plan("6.5" as "6.1"), /section must be one of 6\.1, 6\.2/);
    assert.throws(() => plan("6.1", "gpu"), /profile must be smoke, cpu or paper/);
  });
});
