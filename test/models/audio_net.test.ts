import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { audioNet, dropoutMask, numParams } from "../../lib/models";
import {
  assertClassifierShape, assertSeeded, assertTrains, classifierLoss, maxDiff, trainSteps, useWasm,
} from "./helpers";

before(useWasm);

test("audio net on 98 x 40 log-mels, 35 words: 2,986,575 parameters", () => {
  // conv1 5*5*1*20 + 20; conv2 5*5*20*20 + 20; 98x40 -> 94x36 -> 47x18
  // -> 43x14 -> 21x7, so fc1 has 21*7*20 = 2940 inputs.
  const expected = (25 * 20 + 20) + (25 * 20 * 20 + 20) +
    (2940 * 1000 + 1000) + (1000 * 35 + 35);
  assert.equal(expected, 2_986_575);
  const model = audioNet();
  assert.equal(numParams(model), expected);
  assert.deepEqual(Object.keys(model.params), [
    "conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias",
    "fc1/kernel", "fc1/bias", "fc2/kernel", "fc2/bias",
  ]);
  model.dispose();
  // GCommandsPytorch's LeNet on 161 x 101 spectrograms, 30 words:
  // fc1 has 16,280 inputs (its nn.Linear(16280, 1000)).
  const gcommands = audioNet({ frames: 161, mels: 101, numClasses: 30 });
  assert.equal(gcommands.params["fc1/kernel"]!.shape[0], 16280);
  gcommands.dispose();
});

test("audio net output shapes: [B, classes]", () => {
  const x = tf.randomNormal([3, 98, 40, 1], 0, 1, "float32", 1);
  for (const numClasses of [12, 35]) {
    assertClassifierShape(audioNet({ numClasses, hidden: [16] }), x, numClasses);
  }
  const small = audioNet({ frames: 16, mels: 16, hidden: [8, 8] });
  const y = small.apply(tf.zeros([2, 16, 16, 1]), true, { seed: 1 });
  assert.deepEqual(y.shape, [2, 35]);
  small.dispose();
  tf.dispose([x, y]);
});

test("audio net (full size) trains a few steps on wasm", async () => {
  const model = audioNet({ seed: 2 });
  const x = tf.randomNormal([4, 98, 40, 1], 0, 1, "float32", 3);
  const trace = await trainSteps(model,
    classifierLoss(model, x, [0, 5, 10, 34], 35), 5, 0.001);
  assertTrains(trace);
  model.dispose();
  x.dispose();
});

test("channel dropout: same seed same output, other seed other output", () => {
  const model = audioNet({ hidden: [32], seed: 1 });
  const x = tf.randomNormal([2, 98, 40, 1], 0, 1, "float32", 4);
  const a = model.apply(x, true, { seed: 7 });
  const b = model.apply(x, true, { seed: 7 });
  const c = model.apply(x, true, { seed: 8 });
  const e1 = model.apply(x, false, { seed: 7 });
  const e2 = model.apply(x, false, { seed: 8 });
  assert.equal(maxDiff(a, b), 0);
  assert.ok(maxDiff(a, c) > 1e-4, "another seed must drop other channels");
  assert.equal(maxDiff(e1, e2), 0, "evaluation has no dropout");
  // Without dropout, training and evaluation agree (no batch norm).
  const plain = audioNet({ hidden: [32], seed: 1, dropout2d: 0 });
  const p = plain.apply(x, true, { seed: 7 });
  assert.ok(maxDiff(p, e1) < 1e-5);
  // With no seed given, calls differ but a rebuilt model repeats them.
  const n1 = model.apply(x, true);
  const n2 = model.apply(x, true);
  assert.ok(maxDiff(n1, n2) > 1e-4);
  tf.dispose([a, b, c, e1, e2, p, x, n1, n2]);
  model.dispose();
  plain.dispose();
});

test("dropoutMask: values 0 or 1/(1-p), rate about p, seeded", () => {
  const m1 = dropoutMask([200, 1, 1, 20], 0.25, 3);
  const m2 = dropoutMask([200, 1, 1, 20], 0.25, 3);
  const m3 = dropoutMask([200, 1, 1, 20], 0.25, 4);
  const v = m1.dataSync();
  assert.ok(v.every((x) => x === 0 || Math.abs(x - 1 / 0.75) < 1e-6));
  const dropped = v.filter((x) => x === 0).length / v.length;
  assert.ok(Math.abs(dropped - 0.25) < 0.04, `dropped ${dropped}`);
  assert.equal(maxDiff(m1, m2), 0);
  assert.ok(maxDiff(m1, m3) > 0);
  tf.dispose([m1, m2, m3]);
});

test("audio net: same seed, same weights", () => {
  assertSeeded((seed) => audioNet({ seed, hidden: [8] }));
});

test("audio net: invalid sizes and rates name the parameter", () => {
  assert.throws(() => audioNet({ numClasses: 0 }), /audioNet: numClasses/);
  assert.throws(() => audioNet({ channels: 0 }), /audioNet: channels/);
  assert.throws(() => audioNet({ frames: 15 }), /audioNet: frames must/);
  assert.throws(() => audioNet({ mels: 3 }), /audioNet: mels must/);
  assert.throws(() => audioNet({ dropout2d: 1 }), /audioNet: dropout2d/);
  assert.throws(() => audioNet({ dropout2d: -0.1 }), /audioNet: dropout2d/);
  assert.throws(() => audioNet({ denseDropout: 1.5 }),
    /audioNet: denseDropout/);
  assert.throws(() => audioNet({ hidden: [0] }), /audioNet: hidden\[0\]/);
  const model = audioNet({ hidden: [8] });
  assert.throws(() => model.apply(tf.zeros([1, 40, 98, 1]), false),
    /audioNet: input must be \[B, 98, 40, 1\]/);
  model.dispose();
});
