/**
 * Gradient clipping by global norm (optax `clip_by_global_norm`).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensors, Transform } from '../types';
import { checkPositive } from '../validate';
import { stateless } from './base';

/** sqrt(sum over all grads of sum(g^2)), as a scalar tensor. */
export function globalNorm(grads: Tensors): tf.Scalar {
  return tf.tidy(() => {
    const parts = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    if (parts.length === 0) return tf.scalar(0);
    return tf.sqrt(tf.addN(parts)) as tf.Scalar;
  });
}

/**
 * g <- g * min(1, maxNorm / (||g|| + 1e-6)) with ||g|| the norm of
 * all grads together, exactly torch.nn.utils.clip_grad_norm_
 * (Pascanu et al., ICML 2013). The paper's LSTMs use maxNorm 0.25
 * (Appendix A.3.3). Put it first in a chain, before weight decay,
 * as torch clips `.grad` before `optimizer.step()` adds L2.
 */
export function clipByGlobalNorm(maxNorm: number): Transform {
  checkPositive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return stateless((grads) => {
    const norm = globalNorm(grads);
    const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    const out: Tensors = {};
    for (const [n, g] of Object.entries(grads)) out[n] = tf.mul(g, coef);
    return out;
  });
}
