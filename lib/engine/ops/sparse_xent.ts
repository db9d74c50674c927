/**
 * Softmax cross-entropy of logits [N, C] against integer labels [N], per
 * row: logsumexp(x) - x[label]. On the native engine one kernel each way
 * (log-softmax forward, softmax minus one-hot backward) without building
 * the [N, C] one-hot matrix, which dominates a language model's loss at
 * 10,000 classes; elsewhere tf.losses.softmaxCrossEntropy on the one-hot
 * labels, the same value.
 */
import * as tf from '@tensorflow/tfjs';
import {SPARSE_XENT, SPARSE_XENT_GRAD} from '../native/kernels/xent';

export function sparseSoftmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`sparseSoftmaxCrossEntropy: logits [N, C] and labels [N], got ` +
      `[${logits.shape}] and [${labels.shape}]`);
  }
  if (tf.getKernel(SPARSE_XENT, tf.getBackend()) !== undefined && logits.dtype === 'float32' &&
    labels.dtype === 'int32') {
    const [loss, logp] = tf.engine().runKernel(SPARSE_XENT, {logits, labels}, {}) as tf.Tensor[];
    logp!.dispose();
    return loss as tf.Tensor1D;
  }
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(
    tf.oneHot(labels, logits.shape[1]), logits, undefined, 0, tf.Reduction.NONE) as tf.Tensor1D);
}

// The native kernel's gradient (d logp is never used: logp is internal).
tf.registerGradient({
  kernelName: SPARSE_XENT,
  inputsToSave: ['labels'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [dloss] = dys as tf.Tensor[];
    const [labels, logp] = saved;
    return {
      logits: () => tf.engine().runKernel(SPARSE_XENT_GRAD,
        {dloss: dloss!, logp: logp!, labels: labels!}, {}) as tf.Tensor,
      labels: () => tf.zerosLike(labels!),
    };
  },
});
