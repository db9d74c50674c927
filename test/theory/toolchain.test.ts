/**
 * The toolchain notebook's run (constant-step SGD through TensorFlow.js
 * and lib/optim) and its claim: converges below the threshold 2,
 * diverges above it, repeats exactly with a seed, leaks no tensor.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { claimConstantStep } from "../../lib/experiments";
import { interpolationErrors } from "../../lib/theory/toolchain";

const base = { n: 32, dim: 8, steps: 400, seed: 0 };

describe("interpolationErrors", () => {
  it("lr 1 converges linearly, lr 2.1 diverges; same seed, same numbers; no tensors left", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const one = interpolationErrors({ ...base, lr: 1 });
    assert.equal(one.length, base.steps);
    assert.ok(one[base.steps - 1]! < 1e-6 * one[0]!, `${one[0]} -> ${one[base.steps - 1]}`);
    const over = interpolationErrors({ ...base, lr: 2.1 });
    assert.ok(over[base.steps - 1]! > over[0]!);
    assert.deepEqual(interpolationErrors({ ...base, lr: 1 }), one);
    assert.notDeepEqual(interpolationErrors({ ...base, lr: 1, seed: 1 }), one);
    assert.equal(tf.memory().numTensors, before);
    let calls = 0;
    interpolationErrors({ ...base, steps: 5, lr: 0.5, onStep: () => { calls++; } });
    assert.equal(calls, 5);
  });
});

describe("claimConstantStep", () => {
  it("supported when it converges below 2, not supported when not, inconclusive at 2 and above", () => {
    const run = (lr: number) => interpolationErrors({ ...base, lr });
    assert.equal(claimConstantStep(run(1), 1, "smoke").verdict, "supported");
    assert.equal(claimConstantStep(run(0.001), 0.001, "smoke").verdict, "not supported");
    assert.equal(claimConstantStep(run(2.1), 2.1, "smoke").verdict, "inconclusive");
    assert.equal(claimConstantStep([], 1, "smoke").verdict, "not run");
    const c = claimConstantStep(run(1), 1, "cpu");
    assert.equal(c.id, "toolchain-constant-step");
    assert.match(c.ours, /^At lr = 1 the squared error fell from \S+ to \S+ in 400 steps \(profile cpu\)\.$/);
  });
});
