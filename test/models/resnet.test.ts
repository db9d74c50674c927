import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { numParams, resnet } from "../../lib/models";
import {
  assertClassifierShape, assertSeeded, assertTrains, classifierLoss, trainSteps, useWasm,
} from "./helpers";

before(useWasm);

/**
 * ResNet-(6n+2), option A, by formula: stem conv + BN, per block two
 * 3x3 convs and two BNs (gamma, beta), dense with bias.
 */
function resnetCount(n: number, width: number, classes: number): number {
  const c = [16, 32, 64].map((k) => k * width);
  let count = 9 * 3 * c[0]! + 2 * c[0]!;
  let inCh = c[0]!;
  for (const out of c) {
    for (let b = 0; b < n; b++) {
      count += 9 * inCh * out + 9 * out * out + 4 * out;
      inCh = out;
    }
  }
  return count + c[2]! * classes + classes;
}

test("ResNet-20/56/110 have He et al.'s option-A parameter counts", () => {
  // He et al. 2016, Table 6: 0.27M, 0.85M, 1.7M.
  for (const [n, expected] of [[3, 269722], [9, 853018], [18, 1727962]]) {
    assert.equal(resnetCount(n!, 1, 10), expected);
    const model = resnet({ n: n! });
    assert.equal(numParams(model), expected, `ResNet-${6 * n! + 2}`);
    model.dispose();
  }
});

test("ResNet-56 for CIFAR-100, and 4x wide for ImageNet32's 1000", () => {
  const c100 = resnet({ n: 9, numClasses: 100 });
  assert.equal(numParams(c100), 853018 + 90 * 65);
  c100.dispose();
  const wide = resnet({ n: 9, width: 4, numClasses: 1000 });
  assert.equal(numParams(wide), resnetCount(9, 4, 1000));
  assert.equal(numParams(wide), 13_840_936);
  assert.equal(wide.name, "resnet56x4");
  wide.dispose();
});

test("ResNet output shapes: [B, classes] for 10, 100 and 1000 classes", () => {
  const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 1);
  for (const [classes, width] of [[10, 1], [100, 1], [1000, 4]]) {
    assertClassifierShape(resnet({ n: 1, width: width!, numClasses: classes! }), x, classes!);
  }
  x.dispose();
});

test("ResNet-8 trains a few steps on wasm", async () => {
  const model = resnet({ n: 1, seed: 2 });
  const x = tf.randomNormal([4, 32, 32, 3], 0, 1, "float32", 4);
  const trace = await trainSteps(model,
    classifierLoss(model, x, [0, 1, 2, 3], 10), 6, 0.05);
  assertTrains(trace);
  model.dispose();
  x.dispose();
});

test("ResNet: same seed, same weights", () => {
  assertSeeded((seed) => resnet({ n: 1, seed }));
});

test("ResNet: invalid sizes name the parameter", () => {
  assert.throws(() => resnet({ n: 0 }), /resnet: n must/);
  assert.throws(() => resnet({ n: 1.5 }), /resnet: n must/);
  assert.throws(() => resnet({ n: 3, width: 0 }), /resnet: width must/);
  assert.throws(() => resnet({ n: 3, width: -2 }), /resnet: width must/);
  assert.throws(() => resnet({ n: 3, numClasses: 0 }),
    /resnet: numClasses must/);
  assert.throws(() => resnet({ n: 3, seed: -1 }), /resnet: seed must/);
});
