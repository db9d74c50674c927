/**
 * Every optimizer reaches the minimum of a parabola (optax
 * `test_parabel`): f = 1/2 ||x - c||^2 over two named params.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { sgd, sgdl, Stepper } from '../../lib/optim';
import {
  fiveOptimizers, flat, makeVars, PARABOLA, runQuadratic,
} from './helpers';

/** Largest |x - target| over all params after the run. */
function finalError(
  traj: Record<string, number[]>[], target: (c: number) => number,
): number {
  const last = traj[traj.length - 1] ?? {};
  let worst = 0;
  for (const [n, xs] of Object.entries(last)) {
    const cs = flat(PARABOLA.c[n] ?? []);
    xs.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - target(cs[i] as number)));
    });
  }
  return worst;
}

describe('convergence on a parabola', () => {
  for (const [name, tx] of Object.entries(fiveOptimizers())) {
    it(`${name} converges in 2000 steps`, () => {
      const vars = makeVars(PARABOLA.x0);
      const opt = new Stepper(tx);
      const traj = runQuadratic(PARABOLA, vars, opt, 2000);
      // L2 decay wd moves the minimum of f + wd/2 x^2 to c / (1 + wd).
      const wd = name === 'sgdm' || name === 'adam' ? 0.005 : 0;
      const err = finalError(traj, (c) => c / (1 + wd));
      assert.ok(err < 1e-4, `${name}: |x - x*| = ${err}`);
      // and it did move: the start is 4 away from the minimum.
      assert.ok(finalError(traj.slice(0, 1), (c) => c) > 0.01);
      opt.dispose();
      tf.dispose(Object.values(vars));
    });
  }

  it('vanilla SGD past lr = 2/L diverges, below converges', () => {
    // curvature L = 1: lr 1.9 contracts by |1 - 1.9| = 0.9,
    // lr 2.1 expands by 1.1.
    for (const [lr, ok] of [[1.9, true], [2.1, false]] as const) {
      const vars = makeVars(PARABOLA.x0);
      const opt = new Stepper(lr < 2 ? sgdl({ lr, weightDecay: 0 })
        : sgd({ lr }));
      const err = finalError(runQuadratic(PARABOLA, vars, opt, 200),
        (c) => c);
      assert.equal(err < 1e-4, ok, `lr ${lr}: err ${err}`);
      opt.dispose();
      tf.dispose(Object.values(vars));
    }
  });
});
