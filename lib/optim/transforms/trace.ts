/**
 * Momentum (heavy ball) as a transformation (optax `trace`).
 */
import * as tf from '@tensorflow/tfjs';
import { carryOver, slotTensor, zerosLike } from '../state';
import type { Tensors, Transform } from '../types';
import { tidyUpdate } from './base';
import { checkInterval } from '../validate';

/**
 * Heavy-ball momentum as in torch.optim.SGD (dampening 0):
 *   buf <- momentum * buf + g
 *   update = buf                      (heavy ball, Polyak 1964)
 *   update = g + momentum * buf       (nesterov: Sutskever et
 *                                      al., ICML 2013)
 * with buf = 0 at the start, which equals torch's buf = g on the
 * first step. Slot: `${param}/momentum`.
 */
export function trace(momentum: number, nesterov = false): Transform {
  checkInterval('trace', 'momentum', momentum, 0, 1, '[)');
  if (nesterov && momentum === 0) {
    throw new RangeError(
      `trace: nesterov needs momentum > 0, got ${momentum}`);
  }
  return {
    slotNames: ['momentum'],
    init: (params) => ({
      step: 0, slots: { momentum: zerosLike(params) },
    }),
    update: (grads, state, _params) => tidyUpdate(() => {
      const buf: Tensors = {};
      const out: Tensors = {};
      for (const [name, g] of Object.entries(grads)) {
        const b = slotTensor(state, 'momentum', name);
        buf[name] = tf.add(tf.mul(b, momentum), g);
        out[name] = nesterov
          ? tf.add(g, tf.mul(buf[name], momentum))
          : tf.clone(buf[name]);
      }
      const prev = state.slots['momentum'] ?? {};
      const slots = { momentum: carryOver(prev, buf) };
      return [out, { step: state.step + 1, slots }];
    }),
  };
}
