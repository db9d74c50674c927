/**
 * ChainOptimizer: a tiny model trained with model.fit through the
 * adapter ends with the same weights as a hand-written loop with
 * the same chain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  ChainOptimizer, multiStep, sgdm, Stepper,
} from '../../lib/optim';
import type { Tensors, Transform, Variables } from '../../lib/optim';

const X = tf.tensor2d(Array.from({ length: 8 * 4 },
  (_, i) => Math.sin(i + 1)), [8, 4]);
const Y = tf.tensor2d(Array.from({ length: 8 },
  (_, i) => Math.cos(2 * i)), [8, 1]);

/** 4 -> 3 (tanh) -> 1, deterministic weights. */
function makeModel(): tf.Sequential {
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }),
    tf.layers.dense({ units: 1 }),
  ] });
  model.setWeights(model.getWeights().map((w, k) =>
    tf.tensor(Array.from({ length: w.size },
      (_, i) => 0.3 * Math.cos(7 * k + i)), w.shape)));
  return model;
}

/** The chain both sides use: SGDM with decay and an lr drop. */
function makeTx(): Transform {
  return sgdm({ lr: multiStep(0.1, [6]), momentum: 0.9,
    weightDecay: 0.005 });
}

const numEpochs = 5;
const batchSize = 4; // 2 steps per epoch, 10 in all

async function viaFit(): Promise<[tf.Sequential, ChainOptimizer]> {
  const model = makeModel();
  const optimizer = new ChainOptimizer(makeTx());
  model.compile({ optimizer, loss: 'meanSquaredError' });
  await model.fit(X, Y, {
    epochs: numEpochs, batchSize, shuffle: false, verbose: 0,
  });
  return [model, optimizer];
}

function viaLoop(): tf.Sequential {
  const model = makeModel();
  const vars: Variables = {};
  for (const w of model.trainableWeights) {
    vars[w.name] = w.read() as tf.Variable;
  }
  const opt = new Stepper(makeTx());
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    for (let start = 0; start < 8; start += batchSize) {
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const xb = X.slice([start, 0], [batchSize, 4]);
        const yb = Y.slice([start, 0], [batchSize, 1]);
        const pred = model.apply(xb) as tf.Tensor;
        return tf.mean(tf.square(tf.sub(pred, yb))) as tf.Scalar;
      }), Object.values(vars));
      opt.step(vars, grads as Tensors);
      tf.dispose([value, ...Object.values(grads)]);
    }
  }
  opt.dispose();
  return model;
}

describe('ChainOptimizer (tf.LayersModel adapter)', () => {
  it('model.fit gives the hand-written loop\'s weights', async () => {
    const [fitted, optimizer] = await viaFit();
    const looped = viaLoop();
    assert.equal(optimizer.iterations, 10);
    assert.equal(optimizer.stepper.numSteps, 10);
    const a = fitted.getWeights();
    const b = looped.getWeights();
    const start = makeModel().getWeights();
    assert.equal(a.length, 4);
    a.forEach((wa, k) => {
      const xa = Array.from(wa.dataSync());
      const xb = Array.from((b[k] as tf.Tensor).dataSync());
      const x0 = Array.from((start[k] as tf.Tensor).dataSync());
      xa.forEach((v, i) => {
        const w = xb[i] as number;
        assert.ok(Math.abs(v - w) <= 1e-6 * Math.max(1, Math.abs(w)),
          `weight ${k}[${i}]: fit ${v}, loop ${w}`);
      });
      // training moved the weights
      assert.ok(xa.some((v, i) => Math.abs(v - (x0[i] as number)) > 1e-3));
    });
    // slots are named after the model's variables
    const names = (await optimizer.getWeights()).map((w) => w.name);
    assert.equal(names[0], 'iter');
    assert.ok(names.slice(1).every((n) => /\/(kernel|bias)\/momentum$/
      .test(n)), names.join());
  });

  it('getWeights / setWeights carry the state to a new optimizer',
    async () => {
      const [, optimizer] = await viaFit();
      const other = new ChainOptimizer(makeTx());
      await other.setWeights(await optimizer.getWeights());
      assert.equal(other.iterations, 10);
      assert.deepEqual(other.save(), optimizer.save());
    });

  it('memory is flat across fit epochs', async () => {
    const model = makeModel();
    model.compile({ optimizer: new ChainOptimizer(makeTx()),
      loss: 'meanSquaredError' });
    await model.fit(X, Y, { epochs: 1, batchSize, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(X, Y, { epochs: 20, batchSize, verbose: 0 });
    assert.equal(tf.memory().numTensors, before);
  });
});
