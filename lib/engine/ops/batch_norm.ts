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
 *
 * Options fold what the paper's models do next into the op: `residual`
 * is added to the normalised output and `relu` applied last, i.e.
 * y = relu(bn(x) + residual). Where the native engine's fused kernels are
 * registered (lib/engine/native), all of it is one pass forward and two
 * backward; elsewhere it is the composite above followed by tf.add and
 * tf.relu, with the same result.
 */
import * as tf from '@tensorflow/tfjs';
import {
  BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, type BatchNormTrainAttrs,
} from '../native/kernels/batch_norm';

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

/** What batchNorm folds in after normalising. */
export interface BatchNormOptions {
  /** Added to the normalised output (a residual branch), shaped like x. */
  residual?: tf.Tensor;
  /** Apply ReLU last. */
  relu?: boolean;
}

/**
 * Normalises x ([N, C] or [N, H, W, C]) with its batch statistics and
 * scales by gamma [C] and shifts by beta [C], then adds opts.residual and
 * applies ReLU if asked. Returns the output together with the batch mean
 * and variance, for running statistics.
 */
export function batchNorm<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5,
  opts: BatchNormOptions = {},
): BatchNormResult<T> {
  if (x.rank !== 2 && x.rank !== 4) {
    throw new Error(`batchNorm: x must be 2-D or 4-D, got ${x.shape}`);
  }
  const {residual, relu = false} = opts;
  if (residual !== undefined && residual.shape.join() !== x.shape.join()) {
    throw new Error(`batchNorm: residual shape ${residual.shape} differs ` +
      `from x's ${x.shape}`);
  }
  if (fusedKernelsRegistered() && x.dtype === 'float32') {
    return fusedBatchNorm(x, gamma, beta, eps, relu, residual);
  }
  const out = compositeBatchNorm(x, gamma, beta, eps);
  if (residual === undefined && !relu) return out;
  const y = tf.tidy(() => {
    const z = residual === undefined ? out.y : tf.add(out.y, residual);
    return (relu ? tf.relu(z) : z) as T;
  });
  out.y.dispose();
  return {...out, y};
}

/** True when the active backend has the native fused kernels. */
function fusedKernelsRegistered(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/** Takes kept statistics into the caller's scope (clone, then drop). */
function handStats(kept: [tf.Tensor1D, tf.Tensor1D]): [tf.Tensor1D, tf.Tensor1D] {
  const mean = tf.clone(kept[0]);
  const variance = tf.clone(kept[1]);
  tf.dispose(kept);
  return [mean, variance];
}

/** One native kernel each way (lib/engine/native/kernels/batch_norm.ts). */
function fusedBatchNorm<T extends tf.Tensor>(
  x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, relu: boolean,
  residual: tf.Tensor | undefined,
): BatchNormResult<T> {
  const attrs: BatchNormTrainAttrs = {eps, relu};
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xi, g, b, r] = args as tf.Tensor[];
    const inputs: tf.NamedTensorMap = {x: xi!, gamma: g!, beta: b!};
    if (r !== undefined && residual !== undefined) inputs['residual'] = r;
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN,
      inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    stats = [tf.keep(mean as tf.Tensor1D), tf.keep(variance as tf.Tensor1D)];
    save([xi!, y!, g!, mean!, variance!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, sg, sm, sv] = saved;
        const grads = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD,
          {dy, x: sx!, y: sy!, gamma: sg!, mean: sm!, variance: sv!},
          {...attrs, residual: residual !== undefined} as
            unknown as tf.NamedAttrMap) as tf.Tensor[];
        if (residual === undefined) return grads;
        // The residual's gradient: dy through the ReLU (g), or dy itself.
        return [...grads.slice(0, 3), relu ? grads[3]! : tf.clone(dy)];
      },
    };
  });
  const y = (residual === undefined ? op(x, gamma, beta) :
    op(x, gamma, beta, residual)) as T;
  const [mean, variance] = handStats(stats!);
  return {y, mean, variance};
}

/** The composite route: public ops, any backend. */
function compositeBatchNorm<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number,
): BatchNormResult<T> {
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
  const [mean, variance] = handStats(stats!);
  return {y, mean, variance};
}
