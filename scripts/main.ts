/**
 * The main job. Until the report exists, the smallest real end-to-end
 * run there is: start the engine, load real CIFAR-10 (verified), train a
 * ResNet-8 with SGD-momentum and the paper's augmentation on a
 * class-balanced subset for a few epochs, and report test error on the
 * full 10,000-image test set.
 *
 *   npm start [-- --epochs 3 --per-class 100 --lr 0.1 --seed 0]
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import {
  balancedSubset,
  channelStats,
  type ImageSplit,
  imageBatches,
  loadCifar10,
  PAPER_AUGMENT,
  Rng,
  takeImages,
} from "../lib/data";
import { initEngine, namedGrads } from "../lib/engine";
import { type Model, numParams, resnet } from "../lib/models";
import { sgdm, Stepper } from "../lib/optim";

const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "3" },
    "per-class": { type: "string", default: "100" },
    lr: { type: "string", default: "0.1" },
    batch: { type: "string", default: "64" },
    seed: { type: "string", default: "0" },
  },
});
const numEpochs = Number(args.epochs);
const perClass = Number(args["per-class"]);
const lr = Number(args.lr);
const batchSize = Number(args.batch);
const seed = Number(args.seed);

const engine = await initEngine();
const data = await loadCifar10();
const rng = new Rng(seed);
const idx = balancedSubset(data.train.labels, perClass, rng);
const train = takeImages(data.train, idx, 32 * 32 * 3);
const stats = channelStats(data.train, 3);
const shape = { height: 32, width: 32, channels: 3 };
const model = resnet({ n: 1, seed });
const opt = new Stepper(sgdm({ lr, momentum: 0.9, weightDecay: 5e-3 }));
console.log(`CIFAR-10 (real): ${train.n} train images (${perClass} per ` +
  `class), ${data.test.n} test; ${model.name}, ${numParams(model)} ` +
  `parameters; SGDM lr ${lr}, batch ${batchSize}, seed ${seed}`);

for (let epoch = 1; epoch <= numEpochs; epoch++) {
  const t0 = performance.now();
  let lossSum = 0;
  let wrong = 0;
  for (const b of imageBatches(train, shape, { batchSize, rng, stats,
    augment: PAPER_AUGMENT })) {
    const [loss, errs] = trainStep(model, opt, b.x, b.y, b.shape);
    lossSum += loss * b.size;
    wrong += errs;
  }
  const secs = (performance.now() - t0) / 1000;
  const testErr = evaluate(model, data.test);
  console.log(`epoch ${epoch}/${numEpochs}: train loss ` +
    `${(lossSum / train.n).toFixed(3)}, train error ` +
    `${pct(wrong / train.n)}, test error ${pct(testErr)} ` +
    `(${(train.n / secs).toFixed(0)} images/s training)`);
}
console.log(`done on ${engine.backend}; tensors alive: ` +
  `${tf.memory().numTensors}`);
process.exit(0);

/** One SGD step; returns the batch's mean loss and its error count. */
function trainStep(
  m: Model,
  o: Stepper,
  x: Float32Array,
  y: Int32Array,
  xShape: [number, number, number, number],
): [number, number] {
  const xs = tf.tensor4d(x, xShape);
  const labels = tf.tensor1d(y, "int32");
  let logits: tf.Tensor | null = null;
  const { value, grads } = namedGrads(() => {
    logits = tf.keep(m.apply(xs, true));
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits);
  }, m.params);
  o.step(m.params, grads);
  const errs = countErrors(logits!, labels);
  const loss = value.dataSync()[0]!;
  tf.dispose([xs, labels, value, grads, logits!]);
  return [loss, errs];
}

function countErrors(logits: tf.Tensor, labels: tf.Tensor1D): number {
  return tf.tidy(() =>
    tf.notEqual(tf.argMax(logits, 1), labels).sum().dataSync()[0]!);
}

/** Test error on a split, in batches of 500. */
function evaluate(m: Model, split: ImageSplit): number {
  let wrong = 0;
  for (const b of imageBatches(split, shape, { batchSize: 500,
    shuffle: false, stats })) {
    wrong += tf.tidy(() => countErrors(
      m.apply(tf.tensor4d(b.x, b.shape), false),
      tf.tensor1d(b.y, "int32")));
  }
  return wrong / split.n;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
