/**
 * Training-mode batch normalisation with a direct gradient.
 *
 * tf's own route (tf.moments + tf.batchNorm) differentiates through the
 * FusedBatchNorm gradient, which tiles per-channel tensors up to the full
 * activation size and is slow on wasm. This op normalises with the batch
 * statistics and backpropagates with the closed form
 *
 *   dx     = gamma * invstd / N * (N * dy - sum(dy) - xhat * sum(dy * xhat))
 *   dgamma = sum(dy * xhat)
 *   dbeta  = sum(dy)
 *
 * where sums run over every axis but the last (N, H, W for NHWC input;
 * the batch for 2-D input) and N is the number of summed elements.
 * It is a tf.customGrad, so it leaves the global kernels and gradients
 * of every backend untouched. The sums are taken as means through HxW
 * avgPools, the fastest reduction on wasm. (Fused JS loops over the data
 * were measured too: 2x slower than these wasm SIMD ops.)
 */
import * as tf from '@tensorflow/tfjs';

/** Output of batchNorm. */
export interface BatchNormResult<T extends tf.Tensor> {
  /** gamma * (x - mean) / sqrt(variance + eps) + beta, shaped like x. */
  y: T;
  /** Batch mean per channel [C]; no gradient flows through it. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel [C] (divides by N); no gradient. */
  variance: tf.Tensor1D;
}

/**
 * Per-channel mean over all axes but the last, as [C]. For NHWC input it
 * averages each image with an HxW avgPool first: on wasm that is ~10x
 * faster than tf.mean over [0, 1, 2], which transposes (bench/kernels.ts).
 */
function channelMean(x: tf.Tensor): tf.Tensor1D {
  if (x.rank !== 4) return tf.mean(x, 0) as tf.Tensor1D;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const perImage = tf.avgPool(x as tf.Tensor4D, [h, w], 1, 'valid');
  return tf.mean(tf.reshape(perImage, [n, c]), 0) as tf.Tensor1D;
}

/**
 * Normalises x ([N, C] or [N, H, W, C]) with its batch statistics and
 * scales by gamma [C] and shifts by beta [C]. Returns the output together
 * with the batch mean and variance, for running statistics.
 */
export function batchNorm<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5,
): BatchNormResult<T> {
  if (x.rank !== 2 && x.rank !== 4) {
    throw new Error(`batchNorm: x must be 2-D or 4-D, got ${x.shape}`);
  }
  // customGrad allows a single output, so the statistics leave through
  // this side channel (kept, then re-tracked in the caller's scope).
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const mean = channelMean(xi);
    const centred = tf.sub(xi, mean);
    const variance = channelMean(tf.square(centred));
    const invstd = tf.rsqrt(tf.add(variance, eps));
    stats = [tf.keep(mean), tf.keep(variance)];
    save([centred, invstd, g]);
    return {
      // y = xhat * gamma + beta with xhat = centred * invstd, in two passes.
      value: tf.add(tf.mul(centred, tf.mul(g, invstd)), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [cen, is, gm] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        // With means (mean = sum / N) and k = gamma * invstd:
        // dx = k * (dy - mean(dy) - xhat * mean(dy * xhat)), where
        // xhat * mean(dy * xhat) = centred * invstd^2 * mean(dy * centred).
        const meanDy = channelMean(dy);
        const meanDyCen = channelMean(tf.mul(dy, cen));
        const k = tf.mul(gm, is);
        const dx = tf.mul(tf.sub(tf.sub(dy, meanDy),
          tf.mul(cen, tf.mul(tf.square(is), meanDyCen))), k);
        const n = dy.size / dy.shape[dy.rank - 1]!;
        return [dx, tf.mul(tf.mul(meanDyCen, is), n), tf.mul(meanDy, n)];
      },
    };
  });
  const y = op(x, gamma, beta) as T;
  const [keptMean, keptVar] = stats!;
  const mean = tf.clone(keptMean);
  const variance = tf.clone(keptVar);
  keptMean.dispose();
  keptVar.dispose();
  return {y, mean, variance};
}
