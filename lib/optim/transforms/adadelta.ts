/**
 * AdaDelta's scaling (optax `scale_by_adadelta`).
 */
import * as tf from '@tensorflow/tfjs';
import { carryOver, slotTensor, zerosLike } from '../state';
import type { Tensors, Transform } from '../types';
import { tidyUpdate } from './base';
import { checkInterval, checkPositive } from '../validate';

export interface AdadeltaScaleOptions {
  rho?: number;
  eps?: number;
}

/**
 * AdaDelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method",
 * 2012), as torch.optim.Adadelta computes it:
 *   sq    <- rho * sq + (1 - rho) * g^2
 *   delta = sqrt(acc + eps) / sqrt(sq + eps) * g
 *   acc   <- rho * acc + (1 - rho) * delta^2
 *   update = delta          (then scaleByLr: p <- p - lr * delta)
 * Defaults rho 0.9 (the paper's, Table 1) and torch's eps 1e-6.
 * Slots: `square_avg`, `acc_delta` (torch's names).
 */
export function scaleByAdadelta(
  options: AdadeltaScaleOptions = {},
): Transform {
  const { rho = 0.9, eps = 1e-6 } = options;
  checkInterval('adadelta', 'rho', rho, 0, 1, '()');
  checkPositive('adadelta', 'eps', eps);
  return {
    slotNames: ['square_avg', 'acc_delta'],
    init: (params) => ({
      step: 0,
      slots: {
        square_avg: zerosLike(params),
        acc_delta: zerosLike(params),
      },
    }),
    update: (grads, state, _params) => tidyUpdate(() => {
      const sq: Tensors = {};
      const acc: Tensors = {};
      const out: Tensors = {};
      for (const [name, g] of Object.entries(grads)) {
        const sq0 = slotTensor(state, 'square_avg', name);
        const acc0 = slotTensor(state, 'acc_delta', name);
        sq[name] = tf.add(
          tf.mul(sq0, rho), tf.mul(tf.square(g), 1 - rho));
        const std = tf.sqrt(tf.add(sq[name], eps));
        const delta = tf.mul(
          tf.div(tf.sqrt(tf.add(acc0, eps)), std), g);
        acc[name] = tf.add(
          tf.mul(acc0, rho), tf.mul(tf.square(delta), 1 - rho));
        out[name] = delta;
      }
      const slots = {
        square_avg: carryOver(state.slots['square_avg'] ?? {}, sq),
        acc_delta: carryOver(state.slots['acc_delta'] ?? {}, acc),
      };
      return [out, { step: state.step + 1, slots }];
    }),
  };
}
