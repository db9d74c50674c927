import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { densenet, numParams } from "../../lib/models";
import {
  assertClassifierShape, assertSeeded, assertTrains, classifierLoss, trainSteps, useWasm,
} from "./helpers";

before(useWasm);

/**
 * DenseNet(-BC) by formula: BN (2c) before every conv, convs bias-free,
 * final BN and a dense layer with bias.
 */
function densenetCount(depth: number, k: number, bc: boolean,
  classes: number): number {
  const m = (depth - 4) / (bc ? 6 : 3);
  let ch = bc ? 2 * k : 16;
  let count = 9 * 3 * ch;
  for (let b = 0; b < 3; b++) {
    for (let i = 0; i < m; i++) {
      count += bc
        ? 2 * ch + ch * 4 * k + 2 * 4 * k + 9 * 4 * k * k
        : 2 * ch + 9 * ch * k;
      ch += k;
    }
    if (b < 2) {
      const out = bc ? Math.floor(ch / 2) : ch;
      count += 2 * ch + ch * out;
      ch = out;
    }
  }
  return count + 2 * ch + ch * classes + classes;
}

test("DenseNet-BC (L=100, k=12) has 0.8M parameters (769,162)", () => {
  // Huang et al. 2017 Table 2: 0.8M; osmr/imgclsmob: 769,162 / 800,032.
  assert.equal(densenetCount(100, 12, true, 10), 769_162);
  const c10 = densenet();
  assert.equal(numParams(c10), 769_162);
  assert.equal(c10.name, "densenet-bc100k12");
  c10.dispose();
  const c100 = densenet({ numClasses: 100 });
  assert.equal(numParams(c100), 800_032);
  c100.dispose();
});

test("plain DenseNet (L=100, k=12) has 7.0M and (L=40) 1.0M", () => {
  // Huang et al. 2017 Table 2: 7.0M and 1.0M.
  for (const [depth, expected] of [[100, 6_979_642], [40, 1_019_722]]) {
    assert.equal(densenetCount(depth!, 12, false, 10), expected);
    const model = densenet({ depth: depth!, bottleneck: false });
    assert.equal(numParams(model), expected);
    model.dispose();
  }
});

test("DenseNet output shapes: [B, classes] for 10 and 100 classes", () => {
  const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 1);
  for (const numClasses of [10, 100]) {
    for (const bottleneck of [true, false]) {
      assertClassifierShape(densenet({ depth: bottleneck ? 10 : 7, growthRate: 4,
        bottleneck, numClasses }), x, numClasses);
    }
  }
  x.dispose();
});

test("DenseNet-BC (L=22, k=12) trains a few steps on wasm", async () => {
  const model = densenet({ depth: 22, seed: 3 });
  const x = tf.randomNormal([4, 32, 32, 3], 0, 1, "float32", 2);
  const trace = await trainSteps(model,
    classifierLoss(model, x, [0, 1, 2, 3], 10), 5, 0.05);
  assertTrains(trace);
  model.dispose();
  x.dispose();
});

test("plain DenseNet (L=13, k=12) trains a few steps on wasm", async () => {
  const model = densenet({ depth: 13, bottleneck: false, seed: 3 });
  const x = tf.randomNormal([4, 32, 32, 3], 0, 1, "float32", 2);
  const trace = await trainSteps(model,
    classifierLoss(model, x, [0, 1, 2, 3], 10), 5, 0.05);
  assertTrains(trace);
  model.dispose();
  x.dispose();
});

test("DenseNet: same seed, same weights", () => {
  assertSeeded((seed) => densenet({ depth: 10, growthRate: 4, seed }));
});

test("DenseNet: an impossible depth or size names the parameter", () => {
  // BC needs (L - 4) % 6 == 0, plain (L - 4) % 3 == 0.
  assert.throws(() => densenet({ depth: 43, bottleneck: true }),
    /densenet: depth must be 6m \+ 4/);
  assert.throws(() => densenet({ depth: 101, bottleneck: false }),
    /densenet: depth must be 3m \+ 4/);
  assert.throws(() => densenet({ depth: 4 }), /densenet: depth must/);
  assert.throws(() => densenet({ depth: 0 }), /densenet: depth must/);
  assert.throws(() => densenet({ growthRate: 0 }),
    /densenet: growthRate must/);
  assert.throws(() => densenet({ numClasses: -1 }),
    /densenet: numClasses must/);
});
