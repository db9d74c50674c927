/**
 * No leaked tensors (tfjs-core optimizer tests): the tensor count
 * is flat over 1,000 steps and back to its start after dispose.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  adam, clipByGlobalNorm, chain, isBiasOrNorm, sgdm, Stepper, trace,
} from '../../lib/optim';
import type { Transform } from '../../lib/optim';
import {
  fiveOptimizers, makeVars, PARABOLA, quadraticGrads,
} from './helpers';

function countOver1000Steps(tx: Transform): number[] {
  const vars = makeVars(PARABOLA.x0);
  const start = tf.memory().numTensors;
  const opt = new Stepper(tx);
  const counts: number[] = [];
  for (let k = 1; k <= 1000; k++) {
    const grads = quadraticGrads(PARABOLA, vars);
    opt.step(vars, grads);
    tf.dispose(Object.values(grads));
    if (k === 1 || k === 1000) counts.push(tf.memory().numTensors);
  }
  opt.dispose();
  counts.push(tf.memory().numTensors - start);
  tf.dispose(Object.values(vars));
  return counts;
}

describe('tf.memory().numTensors is flat', () => {
  const txs: Record<string, Transform> = {
    ...fiveOptimizers(),
    'adamw + clip + exclude': adam({
      lr: 0.01, weightDecay: 0.1, decoupled: true, clipNorm: 0.25,
      excludeFromDecay: isBiasOrNorm,
    }),
    'nesterov': sgdm({ lr: 0.05, nesterov: true }),
    'bare trace (no scaleByLr)': chain(clipByGlobalNorm(1), trace(0.5)),
  };
  for (const [name, tx] of Object.entries(txs)) {
    it(`${name}: 1000 steps`, () => {
      const [after1, after1000, leftover] = countOver1000Steps(tx);
      assert.equal(after1000, after1, 'count grew during the run');
      assert.equal(leftover, 0, 'tensors left after dispose');
    });
  }

  it('update() leaves its inputs alive and returns fresh tensors', () => {
    const tx = sgdm({ lr: 0.1 });
    const params = { x: tf.tensor([1, 2]) };
    const grads = { x: tf.tensor([0.5, 0.5]) };
    const s0 = tx.init(params);
    const before = tf.memory().numTensors;
    const [updates, s1] = tx.update(grads, s0, params);
    // new: one update and one momentum buffer.
    assert.equal(tf.memory().numTensors, before + 2);
    assert.notEqual(updates['x'], grads['x']);
    assert.equal(params.x.isDisposed || grads.x.isDisposed, false);
    tf.dispose([updates['x'] as tf.Tensor, params.x, grads.x,
      s0.slots['momentum']?.['x'] as tf.Tensor,
      s1.slots['momentum']?.['x'] as tf.Tensor]);
  });
});
