import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initEngine, namedGrads } from "../../lib/engine";
import { numParams, resnet } from "../../lib/models";
import { sgdm, Stepper } from "../../lib/optim";

test("ResNet-20 trains on wasm: falling loss, flat tensor count", async () => {
  await initEngine({ backend: "wasm", quiet: true });
  const model = resnet({ n: 3, seed: 7 });
  assert.equal(numParams(model), 269722); // ResNet-20, option A
  const opt = new Stepper(sgdm({ lr: 0.05, momentum: 0.9 }));
  // One fixed batch of 16 CIFAR-shaped images: the net can fit it.
  const x = tf.randomNormal([16, 32, 32, 3], 0, 1, "float32", 3);
  const labels = tf.tensor1d([...Array(16).keys()].map((i) => i % 10),
    "int32");
  const y = tf.oneHot(labels, 10);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 8; i++) {
    const { value, grads } = namedGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, true)),
      model.params,
    );
    opt.step(model.params, grads);
    losses.push((await value.data())[0]!);
    tf.dispose([value, grads]);
    counts.push(tf.memory().numTensors);
  }
  assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!,
    `loss should fall by half: ${losses.map((l) => l.toFixed(3))}`);
  // The optimizer's state appears after step 1; then nothing may grow.
  assert.deepEqual(new Set(counts.slice(1)).size, 1, `counts ${counts}`);
  opt.dispose();
  model.dispose();
  tf.dispose([x, labels, y]);
});
