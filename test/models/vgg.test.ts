import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { numParams, VGG16_CFG, vgg16 } from "../../lib/models";
import {
  assertClassifierShape, assertSeeded, assertTrains, classifierLoss, trainSteps, useWasm,
} from "./helpers";

before(useWasm);

/** Conv (with bias) + BN per width in VGG16_CFG, then the classifier. */
function vggCount(classes: number, hidden: number[] = [], width = 1): number {
  let count = 0;
  let ch = 3;
  for (const item of VGG16_CFG) {
    if (item === "M") continue;
    const out = item * width;
    count += 9 * ch * out + out + 2 * out;
    ch = out;
  }
  const dims = [ch, ...hidden, classes];
  for (let i = 1; i < dims.length; i++) {
    count += dims[i - 1]! * dims[i]! + dims[i]!;
  }
  return count;
}

test("VGG-16-BN has pytorch-cifar's parameter counts", () => {
  // kuangliu/pytorch-cifar VGG('VGG16'): 14,728,266 for 10 classes.
  assert.equal(vggCount(10), 14_728_266);
  const c10 = vgg16();
  assert.equal(numParams(c10), 14_728_266);
  assert.equal(c10.name, "vgg16_bn");
  c10.dispose();
  const c100 = vgg16({ numClasses: 100 });
  assert.equal(numParams(c100), 14_774_436);
  c100.dispose();
  const mlp = vgg16({ hidden: [512, 512], width: 0.25 });
  assert.equal(numParams(mlp), vggCount(10, [512, 512], 0.25));
  mlp.dispose();
});

test("VGG-16 output shapes: [B, classes] for 10 and 100 classes", () => {
  const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 1);
  for (const numClasses of [10, 100]) {
    assertClassifierShape(vgg16({ numClasses, width: 0.125, hidden: [32] }), x, numClasses);
  }
  x.dispose();
});

test("VGG-16 (full size) trains a few steps on wasm, batch 2", async () => {
  const model = vgg16({ seed: 1 });
  const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 2);
  const trace = await trainSteps(model,
    classifierLoss(model, x, [3, 7], 10), 3, 0.01);
  assertTrains(trace);
  model.dispose();
  x.dispose();
});

test("VGG-16: same seed, same weights", () => {
  assertSeeded((seed) => vgg16({ seed, width: 0.125 }));
});

test("VGG-16: invalid sizes name the parameter", () => {
  assert.throws(() => vgg16({ numClasses: 0 }), /vgg16: numClasses must/);
  assert.throws(() => vgg16({ width: 0 }), /vgg16: width must/);
  assert.throws(() => vgg16({ width: 0.01 }), /vgg16: width must/);
  assert.throws(() => vgg16({ imageSize: 28 }), /vgg16: imageSize must/);
  assert.throws(() => vgg16({ hidden: [512, 0] }), /vgg16: hidden\[1\] must/);
  assert.throws(() => vgg16({ seed: 0.5 }), /vgg16: seed must/);
});
