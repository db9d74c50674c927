/**
 * Scaling by a constant or by the (scheduled) learning rate.
 */
import * as tf from '@tensorflow/tfjs';
import { toSchedule } from '../schedules';
import type { Schedule, Transform } from '../types';
import { checkFinite } from '../validate';
import { stateless } from './base';

/** update = factor * g. */
export function scale(factor: number): Transform {
  checkFinite('scale', 'factor', factor);
  return stateless((grads) => {
    const out: Record<string, tf.Tensor> = {};
    for (const [n, g] of Object.entries(grads)) {
      out[n] = tf.mul(g, factor);
    }
    return out;
  });
}

/**
 * update = -lr(step) * g: the descent step (optax `scale_by_lr`).
 * `step` counts updates already made (0 for the first), so
 * lr(k) is the rate of update k+1, as a torch scheduler stepped
 * after each optimizer.step(). A schedule value that is negative or
 * not finite throws, naming the step.
 */
export function scaleByLr(lr: number | Schedule): Transform {
  const schedule = toSchedule(lr, 'scaleByLr', 'lr');
  return stateless((grads, _params, step) => {
    const rate = schedule(step);
    if (!Number.isFinite(rate) || rate < 0) {
      throw new RangeError(
        `scaleByLr: lr must be >= 0, got ${rate} at step ${step}`);
    }
    const out: Record<string, tf.Tensor> = {};
    for (const [n, g] of Object.entries(grads)) {
      out[n] = tf.mul(g, -rate);
    }
    return out;
  });
}
