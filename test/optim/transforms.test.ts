/**
 * The pieces: clipping, weight decay (L2, decoupled, excluded
 * names), chain bookkeeping, and state growing with new params.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  adam, addDecayedWeights, chain, clipByGlobalNorm, disposeState,
  globalNorm, identity, isBiasOrNorm, scaleByAdam, sgd, sgdm, Stepper,
  trace,
} from '../../lib/optim';
import type { Tensors, Transform } from '../../lib/optim';
import { near } from './helpers';

/** One update from a fresh state; returns plain numbers by name. */
function oneUpdate(
  tx: Transform, grads: Record<string, number[]>,
  params: Record<string, number[]>,
): Record<string, number[]> {
  return tf.tidy(() => {
    const g: Tensors = {};
    const p: Tensors = {};
    for (const [n, v] of Object.entries(grads)) g[n] = tf.tensor(v);
    for (const [n, v] of Object.entries(params)) p[n] = tf.tensor(v);
    const s0 = tx.init(p);
    const [u, s1] = tx.update(g, s0, p);
    const out: Record<string, number[]> = {};
    for (const [n, t] of Object.entries(u)) {
      out[n] = Array.from(t.dataSync());
    }
    disposeState(s0);
    disposeState(s1);
    return out;
  });
}

describe('clipByGlobalNorm', () => {
  it('scales all grads together to the max norm (torch rule)', () => {
    // ||(3, 4)|| = 5 > 0.25: g * 0.25 / (5 + 1e-6)
    const u = oneUpdate(clipByGlobalNorm(0.25), { a: [3], b: [4] }, {});
    near(u['a']?.[0] as number, 3 * 0.25 / (5 + 1e-6));
    near(u['b']?.[0] as number, 4 * 0.25 / (5 + 1e-6));
    const small = oneUpdate(clipByGlobalNorm(10), { a: [3, 4] }, {});
    assert.deepEqual(small['a'], [3, 4]);
  });

  it('globalNorm over several tensors', () => {
    const n = globalNorm({ a: tf.tensor([1, 2]), b: tf.tensor([2]) });
    near(n.dataSync()[0] as number, 3);
  });
});

describe('weight decay', () => {
  it('L2 adds wd * p; excluded names are left alone', () => {
    const tx = addDecayedWeights(0.5, { exclude: isBiasOrNorm });
    const u = oneUpdate(tx,
      { 'dense_Dense1/kernel': [0, 1], 'dense_Dense1/bias': [0] },
      { 'dense_Dense1/kernel': [2, 2], 'dense_Dense1/bias': [2] });
    assert.deepEqual(u['dense_Dense1/kernel'], [1, 2]);
    assert.deepEqual(u['dense_Dense1/bias'], [0]);
  });

  it('isBiasOrNorm knows tfjs-layers names', () => {
    for (const n of ['dense_Dense1/bias', 'conv2d_Conv2D3/bias',
      'batch_normalization_BatchNormalization1/gamma',
      'batch_normalization_BatchNormalization1/beta', 'bn1/gamma',
      'layer_norm/scale']) assert.ok(isBiasOrNorm(n), n);
    for (const n of ['dense_Dense1/kernel', 'conv2d_Conv2D3/kernel',
      'embedding/embeddings', 'lstm/recurrent_kernel']) {
      assert.ok(!isBiasOrNorm(n), n);
    }
  });

  it('decoupled (AdamW) decays beside the Adam step', () => {
    // p = 1, g = 2, lr 0.1, wd 0.5. Adam's first direction is
    // m_hat / (sqrt(v_hat) + eps) = 2 / (2 + 1e-8) ~ 1.
    // L2:        g' = 2 + 0.5 = 2.5, direction still ~1: u = -0.1
    // decoupled: u = -0.1 * (1 + 0.5 * 1) = -0.15
    const l2 = adam({ lr: 0.1, weightDecay: 0.5 });
    const dec = adam({ lr: 0.1, weightDecay: 0.5, decoupled: true });
    near(oneUpdate(l2, { x: [2] }, { x: [1] })['x']?.[0] as number,
      -0.1);
    near(oneUpdate(dec, { x: [2] }, { x: [1] })['x']?.[0] as number,
      -0.15);
  });

  it('decay excluded by predicate in a named optimizer', () => {
    const tx = sgd({ lr: 1, weightDecay: 0.1, excludeFromDecay:
      (n) => n === 'b' });
    const u = oneUpdate(tx, { a: [0], b: [0] }, { a: [1], b: [1] });
    near(u['a']?.[0] as number, -0.1);
    assert.equal(Math.abs(u['b']?.[0] as number), 0);
  });
});

describe('chain', () => {
  it('composes in order and merges slots', () => {
    const tx = chain(clipByGlobalNorm(1), scaleByAdam(), trace(0.5));
    assert.deepEqual(tx.slotNames, ['m', 'v', 'momentum']);
    const s = tx.init({ x: tf.zeros([2]) });
    assert.deepEqual(Object.keys(s.slots).sort(), ['m', 'momentum', 'v']);
    assert.equal(s.step, 0);
    disposeState(s);
  });

  it('rejects two transformations with the same slot', () => {
    assert.throws(() => chain(trace(0.9), trace(0.5)),
      /chain: slot 'momentum' is used by two transformations/);
  });

  it('identity passes grads through as fresh tensors', () => {
    const g = { x: tf.tensor([1, 2]) };
    const [u, s] = identity().update(g, identity().init(g), g);
    assert.notEqual(u['x'], g.x);
    assert.deepEqual(Array.from(u['x']?.dataSync() ?? []), [1, 2]);
    assert.equal(s.step, 1);
    tf.dispose([g.x, u['x'] as tf.Tensor]);
  });

  it('a missing slot is an error naming param and slot', () => {
    const tx = trace(0.9);
    const s = tx.init({ a: tf.zeros([1]) });
    assert.throws(() => tx.update({ b: tf.ones([1]) }, s, {}),
      /no slot 'b\/momentum'/);
    disposeState(s);
  });
});

describe('Stepper', () => {
  it('grows the state when a new param starts getting grads', () => {
    const vars = { a: tf.variable(tf.scalar(0)) };
    const opt = new Stepper(sgdm({ lr: 1, momentum: 0.5 }));
    opt.step(vars, { a: tf.scalar(1) });
    const withB = { ...vars, b: tf.variable(tf.scalar(0)) };
    opt.step(withB, { a: tf.scalar(1), b: tf.scalar(1) });
    // a: buf 1 then 1.5 -> -2.5; b: fresh buf 1 -> -1
    near(withB.a.dataSync()[0] as number, -2.5);
    near(withB.b.dataSync()[0] as number, -1);
    assert.equal(opt.numSteps, 2);
    opt.dispose();
  });
});
