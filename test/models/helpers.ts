/** Shared pieces of the model tests: engine start, a tiny training loop. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine, namedGrads } from "../../lib/engine";
import type { Model, Parameterised } from "../../lib/models";
import { sgdm, Stepper, type Transform } from "../../lib/optim";

/** The models must train on wasm, the engine of cpu-only machines. */
export async function useWasm(): Promise<void> {
  await initEngine({ backend: "wasm", quiet: true });
}

export interface TrainTrace {
  losses: number[];
  /** tf.memory().numTensors after each step. */
  counts: number[];
}

/**
 * `steps` optimizer steps (a number: SGDM with that lr) on
 * `lossFn(step)` (which builds its tensors inside the gradient tape),
 * recording losses and tensor counts.
 */
export async function trainSteps(
  model: Parameterised,
  lossFn: (step: number) => tf.Scalar,
  steps: number,
  optimizer: number | Transform,
  afterStep: (step: number) => void = () => {},
): Promise<TrainTrace> {
  const opt = new Stepper(typeof optimizer === "number"
    ? sgdm({ lr: optimizer, momentum: 0.9 })
    : optimizer);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { value, grads } = namedGrads(() => lossFn(i), model.params);
    opt.step(model.params, grads);
    losses.push((await value.data())[0]!);
    tf.dispose([value, grads]);
    afterStep(i);
    counts.push(tf.memory().numTensors);
  }
  opt.dispose();
  return { losses, counts };
}

/** Loss fell (last < `factor` x first), all finite; tensor count flat. */
export function assertTrains(trace: TrainTrace, factor = 0.8): void {
  const { losses, counts } = trace;
  const shown = losses.map((l) => l.toFixed(3)).join(", ");
  assert.ok(losses.every(Number.isFinite), `losses ${shown}`);
  assert.ok(losses.at(-1)! < factor * losses[0]!,
    `loss should fall below ${factor} x the first: ${shown}`);
  // Optimizer slots appear at step 1; after that nothing may grow.
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts ${counts}`);
}

/** Softmax cross-entropy of a classifier on a fixed batch. */
export function classifierLoss(
  model: Model,
  x: tf.Tensor,
  labels: number[],
  numClasses: number,
  training = true,
): (step: number) => tf.Scalar {
  return (step) => {
    const y = tf.oneHot(tf.tensor1d(labels, "int32"), numClasses);
    const logits = model.apply(x, training, { seed: step });
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
}

/** Every parameter's values, by name. */
export function snapshot(model: Parameterised): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(model.params)) {
    out[name] = v.dataSync() as Float32Array;
  }
  return out;
}

/** Same seed: identical weights; another seed: other weights. */
export function assertSeeded(make: (seed: number) => Parameterised): void {
  const a = make(5);
  const b = make(5);
  const c = make(6);
  const [sa, sb, sc] = [a, b, c].map(snapshot) as [
    Record<string, Float32Array>, Record<string, Float32Array>,
    Record<string, Float32Array>];
  assert.deepEqual(Object.keys(sa), Object.keys(sb));
  for (const name of Object.keys(sa)) {
    assert.deepEqual(sa[name], sb[name], `${name} differs for one seed`);
  }
  const differs = Object.keys(sa).filter((n) =>
    sa[n]!.some((v, i) => v !== sc[n]![i]));
  // Every randomly initialised tensor changes with the seed.
  const random = Object.keys(sa).filter((n) =>
    sa[n]!.some((v) => v !== sa[n]![0]));
  assert.deepEqual(differs, random, "another seed must change the weights");
  assert.ok(random.length > 0);
  [a, b, c].forEach((m) => m.dispose());
}

/** Max |a - b| of two tensors' values. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/**
 * `model` maps `x` to [batch, classes] in training and in evaluation
 * mode; the model is disposed afterwards.
 */
export function assertClassifierShape(model: Model, x: tf.Tensor, classes: number): void {
  try {
    for (const training of [true, false]) {
      const y = model.apply(x, training, { seed: 1 });
      assert.deepEqual(y.shape, [x.shape[0], classes], `training ${training}`);
      y.dispose();
    }
  } finally {
    model.dispose();
  }
}
