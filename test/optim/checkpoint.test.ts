/**
 * Save the optimizer state mid-run (through JSON), restore it into
 * a fresh Stepper, and the run continues bit for bit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  adam, loadState, multiStep, saveState, sgdm, Stepper,
} from '../../lib/optim';
import type { SavedState, Transform } from '../../lib/optim';
import {
  fiveOptimizers, makeVars, PARABOLA, runQuadratic, snapshot,
} from './helpers';

function resumeMatches(make: () => Transform): void {
  // Straight run: 10 steps, checkpoint, 10 more.
  const vars = makeVars(PARABOLA.x0);
  const opt = new Stepper(make());
  runQuadratic(PARABOLA, vars, opt, 10);
  const saved = JSON.parse(JSON.stringify(opt.save())) as SavedState;
  const varsAt10 = snapshot(vars);
  const straight = runQuadratic(PARABOLA, vars, opt, 10);

  // Resumed run: fresh variables and optimizer from the checkpoint.
  const shapes = Object.fromEntries(Object.entries(vars)
    .map(([n, v]) => [n, v.shape]));
  const vars2 = makeVars({});
  for (const [n, xs] of Object.entries(varsAt10)) {
    vars2[n] = tf.variable(tf.tensor(xs, shapes[n]));
  }
  const opt2 = new Stepper(make());
  opt2.restore(saved);
  assert.equal(opt2.numSteps, 10);
  const resumed = runQuadratic(PARABOLA, vars2, opt2, 10);
  assert.deepEqual(resumed, straight); // bitwise: same float32s
  assert.deepEqual(opt2.save(), opt.save());
  for (const o of [opt, opt2]) o.dispose();
  tf.dispose([...Object.values(vars), ...Object.values(vars2)]);
}

describe('checkpoint and resume', () => {
  for (const name of Object.keys(fiveOptimizers())) {
    it(`${name} resumes identically`, () => {
      resumeMatches(() => fiveOptimizers()[name] as Transform);
    });
  }

  it('the step count comes back: a schedule resumes in place', () => {
    // lr drops at step 15, after the checkpoint at 10.
    resumeMatches(() => sgdm({ lr: multiStep(0.1, [15]) }));
    resumeMatches(() => adam({ lr: 0.05 })); // bias correction uses t
  });

  it('saved names read `${param}/${slot}`', () => {
    const tx = adam();
    const state = tx.init({ 'dense/kernel': tf.zeros([2]) });
    const saved = saveState(state);
    assert.deepEqual(saved.tensors.map((t) => t.name).sort(),
      ['dense/kernel/m', 'dense/kernel/v']);
    const back = loadState(saved, tx);
    assert.deepEqual(Object.keys(back.slots).sort(), ['m', 'v']);
    assert.deepEqual(back.slots['m']?.['dense/kernel']?.shape, [2]);
    assert.throws(() => loadState(saved, sgdm({ lr: 1 })),
      /unexpected state tensor 'dense\/kernel\/m'/);
    tf.dispose([...Object.values(state.slots).flatMap(Object.values),
      ...Object.values(back.slots).flatMap(Object.values)]);
  });

  it('save before any step throws', () => {
    const opt = new Stepper(sgdm({ lr: 0.1 }));
    assert.throws(() => opt.save(), /no state yet/);
  });
});
