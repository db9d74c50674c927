/**
 * The `paper` profile builds: every distinct model of sections 6.1-6.4 at
 * its exact paper settings (ResNet-56/110, VGG-16, DenseNet-BC-100 for 10
 * and 100 classes, ResNet-56 with 4x channels for 1000 classes, the
 * speech net, the 2- and 3-layer AWD-LSTMs) takes two training steps with
 * the trainer's own model, schedule and optimizer builders, and every
 * optimizer configuration the plans give that model applies an update.
 * The paper's data cannot be had here, so the inputs are made-up batches
 * of the paper data's shape (2 images or clips; 2 x 8 tokens, a shorter
 * bptt than the paper's 70 to keep the test quick); the loss must be
 * finite, the weights must move and every tensor must be freed.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { DATASET_FACTS } from "../../lib/data/facts";
import { initEngine } from "../../lib/engine";
import {
  describeModel, plan, planConfigs, SECTIONS,
} from "../../lib/experiments";
import type { LanguageModel, Model } from "../../lib/models";
import { Stepper } from "../../lib/optim";
import {
  buildModel, buildOptimizer, classifyGrads, EpochClock, epochSchedule, isLanguageModel, lmGrads,
  parseConfig,
  type TrainConfig,
} from "../../lib/train";

/** One example's shape per paper dataset (Speech Commands: 1 s at 16 kHz -> 98 frames x 40 mels). */
const INPUT_SHAPE: Record<string, number[]> = {
  cifar10: [32, 32, 3], cifar100: [32, 32, 3], imagenet32: [32, 32, 3], "speech-commands": [98, 40, 1],
};
const PTB_VOCAB = 10_000;

interface ModelCase { key: string; model: TrainConfig; optimizers: TrainConfig[] }

/** The paper plans' configs grouped by model (and its data), optimizers deduplicated. */
function paperCases(): ModelCase[] {
  const byModel = new Map<string, ModelCase>();
  for (const section of SECTIONS.filter((s) => s !== "table1")) {
    for (const input of planConfigs(plan(section, "paper"))) {
      const cfg = parseConfig(input);
      assert.equal(cfg.profile, "paper");
      const key = JSON.stringify([cfg.model, cfg.dataset.name, DATASET_FACTS[cfg.dataset.name].classes]);
      const c = byModel.get(key) ?? { key, model: cfg, optimizers: [] };
      const opt = JSON.stringify([cfg.optimizer, cfg.schedule, cfg.epochs]);
      if (!c.optimizers.some((o) => JSON.stringify([o.optimizer, o.schedule, o.epochs]) === opt)) {
        c.optimizers.push(cfg);
      }
      byModel.set(key, c);
    }
  }
  return [...byModel.values()];
}

/** A random batch of the paper data's shape: loss and gradients of 2 examples. */
function gradsOf(model: Model | LanguageModel, cfg: TrainConfig, seed: number) {
  const rand = (n: number, hi: number) =>
    Int32Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % hi);
  if (isLanguageModel(model)) {
    const len = Math.min(8, (cfg.dataset as { bptt: number }).bptt);
    const state = model.initState(2);
    const out = lmGrads(model, rand(2 * len, PTB_VOCAB), rand(2 * len, PTB_VOCAB), 2, len, state, seed);
    tf.dispose([...state, ...out.state]);
    return { grads: out.grads, loss: out.loss };
  }
  const shape = INPUT_SHAPE[cfg.dataset.name]!;
  const classes = DATASET_FACTS[cfg.dataset.name].classes!;
  const per = shape.reduce((a, b) => a * b, 1);
  const xs = Float32Array.from({ length: 2 * per }, (_, i) => Math.sin(i * 0.37 + seed));
  const out = classifyGrads(model, xs, rand(2, classes), [2, ...shape], classes, null, seed, false);
  return { grads: out.grads, loss: out.loss };
}

describe("paper profile: every model builds and trains a step at the paper's settings", () => {
  before(async () => {
    await initEngine({ backend: "wasm", threads: 1, quiet: true });
  });
  after(() => tf.disposeVariables());

  const cases = paperCases();

  test("the plans name 12 distinct models (8 CIFAR, ImageNet32, speech, 2 LSTMs)", () => {
    assert.equal(cases.length, 12, cases.map((c) => c.key).join("\n"));
  });

  for (const c of cases) {
    const cfg = c.model;
    const what = `${describeModel(cfg.model)} on ${cfg.dataset.name}`;
    test(`${what}: 2 steps, then ${c.optimizers.length} optimizer configs update`, () => {
      const before = tf.memory().numTensors;
      const model = buildModel(cfg.model, {
        seed: cfg.seed,
        numClasses: INPUT_SHAPE[cfg.dataset.name] ? DATASET_FACTS[cfg.dataset.name].classes : null,
        inputShape: INPUT_SHAPE[cfg.dataset.name] ?? null,
        vocabSize: isLm(cfg) ? PTB_VOCAB : null,
      });
      try {
        const sgdl = c.optimizers.find((o) => o.optimizer.name === "sgdl") ?? c.optimizers[0]!;
        for (const o of [sgdl, ...c.optimizers]) {
          const clock = new EpochClock();
          const schedule = epochSchedule(o.optimizer.lr, o.schedule, o.epochs);
          assert.equal(schedule(0), o.optimizer.lr, "the schedule starts at the paper lr");
          const opt = new Stepper(buildOptimizer(o.optimizer, schedule, clock));
          try {
            const steps = o === sgdl ? 2 : 1;
            for (let s = 0; s < steps; s++) {
              const name = Object.keys(model.params)[0]!;
              const w0 = model.params[name]!.dataSync().slice(0, 8);
              const { grads, loss } = gradsOf(model, cfg, s);
              assert.ok(Number.isFinite(loss) && loss > 0, `${o.optimizer.name}: loss ${loss}`);
              opt.step(model.params, grads);
              tf.dispose(grads);
              const w1 = model.params[name]!.dataSync().slice(0, 8);
              assert.ok(w1.some((v, i) => v !== w0[i]), `${o.optimizer.name} lr ${o.optimizer.lr}: ${name} moved`);
            }
          } finally {
            opt.dispose();
          }
        }
      } finally {
        model.dispose();
      }
      assert.equal(tf.memory().numTensors, before, "every tensor freed");
    });
  }
});

function isLm(cfg: TrainConfig): boolean {
  return cfg.model.kind === "awd-lstm";
}
