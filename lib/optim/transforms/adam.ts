/**
 * Adam's adaptive scaling (optax `scale_by_adam`).
 */
import * as tf from '@tensorflow/tfjs';
import { carryOver, slotTensor, zerosLike } from '../state';
import type { Tensors, Transform } from '../types';
import { tidyUpdate } from './base';
import { checkInterval, checkPositive } from '../validate';

export interface AdamScaleOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization",
 * ICLR 2015), written as torch.optim.Adam computes it, t = step + 1:
 *   m <- beta1 * m + (1 - beta1) * g
 *   v <- beta2 * v + (1 - beta2) * g^2
 *   update = (m / (1 - beta1^t)) / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * (eps outside the square root, after bias correction). Defaults
 * are torch's and the paper's: 0.9, 0.999, 1e-8. Slots: `m`, `v`.
 */
export function scaleByAdam(options: AdamScaleOptions = {}): Transform {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
  checkInterval('adam', 'beta1', beta1, 0, 1, '[)');
  checkInterval('adam', 'beta2', beta2, 0, 1, '[)');
  checkPositive('adam', 'eps', eps);
  return {
    slotNames: ['m', 'v'],
    init: (params) => ({
      step: 0, slots: { m: zerosLike(params), v: zerosLike(params) },
    }),
    update: (grads, state, _params) => tidyUpdate(() => {
      const t = state.step + 1;
      const bc1 = 1 - beta1 ** t;
      const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
      const m: Tensors = {};
      const v: Tensors = {};
      const out: Tensors = {};
      for (const [name, g] of Object.entries(grads)) {
        const m0 = slotTensor(state, 'm', name);
        const v0 = slotTensor(state, 'v', name);
        m[name] = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
        v[name] = tf.add(
          tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
        const denom = tf.add(
          tf.div(tf.sqrt(v[name]), sqrtBc2), eps);
        out[name] = tf.div(tf.div(m[name], bc1), denom);
      }
      const slots = {
        m: carryOver(state.slots['m'] ?? {}, m),
        v: carryOver(state.slots['v'] ?? {}, v),
      };
      return [out, { step: state.step + 1, slots }];
    }),
  };
}
