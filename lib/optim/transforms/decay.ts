/**
 * Weight decay as a transformation (optax `add_decayed_weights`).
 */
import * as tf from '@tensorflow/tfjs';
import type { Transform } from '../types';
import { checkNonNegative } from '../validate';
import { stateless } from './base';

/** Which params to leave undecayed, by name. */
export type NamePredicate = (name: string) => boolean;

export interface DecayOptions {
  /** Params for which this returns true are not decayed. */
  exclude?: NamePredicate;
}

/**
 * g <- g + weightDecay * p.
 *
 * First in a chain it is L2 regularisation added to the gradient,
 * PyTorch's `weight_decay` (the paper's 0.005, Table 1). Placed
 * after the adaptive scaling and before `scaleByLr` it is decoupled
 * weight decay, p <- p - lr * wd * p (AdamW: Loshchilov & Hutter,
 * "Decoupled Weight Decay Regularization", ICLR 2019).
 */
export function addDecayedWeights(
  weightDecay: number, options: DecayOptions = {},
): Transform {
  checkNonNegative('addDecayedWeights', 'weightDecay', weightDecay);
  const exclude = options.exclude ?? (() => false);
  return stateless((grads, params) => {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(grads)) {
      const p = params[name];
      if (weightDecay === 0 || exclude(name)) {
        out[name] = g;
      } else if (p === undefined) {
        throw new Error(
          `addDecayedWeights: no param '${name}' for its gradient`);
      } else {
        out[name] = tf.add(g, tf.mul(p, weightDecay));
      }
    }
    return out;
  });
}

/**
 * True for names that look like biases or batch-norm parameters in
 * tfjs-layers naming (`dense_Dense1/bias`, `batch_normalization_1/
 * gamma`, `.../beta`, moving stats): the usual no-decay set.
 */
export function isBiasOrNorm(name: string): boolean {
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (/^(bias|gamma|beta|moving_mean|moving_variance)(_\d+)?$/
    .test(last)) return true;
  return /batch_?norm|layer_?norm|batch_normalization/i.test(name);
}
