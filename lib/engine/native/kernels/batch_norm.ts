/**
 * Batch normalisation kernels (src/batch_norm.cc).
 *
 * - SgdlBatchNormTrain / SgdlBatchNormTrainGrad: kernels of our own,
 *   used by lib/engine/ops/batch_norm.ts when they are registered: batch
 *   statistics, with an optional residual add and ReLU fused in.
 *     train block: rows, C, eps, relu, x, gamma, beta, residual|-1, y,
 *                  mean, variance
 *     grad block:  rows, C, eps, relu, dy, x, y|-1, gamma, mean, variance,
 *                  dx, dgamma, dbeta, g|-1
 * - FusedBatchNorm (tf.batchNorm, evaluation with running statistics):
 *     block: rows, C, eps, x, mean, variance, scale|-1, offset|-1, y
 */
import * as tf from "@tensorflow/tfjs";
import { allFloat, invoke, offset, output, sizeOf } from "./heap";
import type { NativeKernel } from "./kernel";

export const BATCH_NORM_TRAIN = "SgdlBatchNormTrain";
export const BATCH_NORM_TRAIN_GRAD = "SgdlBatchNormTrainGrad";

/** Attributes of both training kernels. */
export interface BatchNormTrainAttrs {
  eps: number;
  relu: boolean;
}

function rowsAndChannels(x: tf.TensorInfo): [number, number] {
  const c = x.shape[x.shape.length - 1]!;
  return [sizeOf(x.shape) / c, c];
}

const train: NativeKernel = {
  kernelName: BATCH_NORM_TRAIN,
  run(addon, { inputs, backend, attrs }) {
    const { x, gamma, beta, residual } = inputs;
    const { eps, relu } = attrs as unknown as BatchNormTrainAttrs;
    const [rows, c] = rowsAndChannels(x!);
    const y = output(backend, [...x!.shape]);
    const mean = output(backend, [c]);
    const variance = output(backend, [c]);
    invoke(addon.batchNormTrain, backend, [rows, c, eps, relu ? 1 : 0,
      offset(backend, x), offset(backend, gamma), offset(backend, beta),
      offset(backend, residual), offset(backend, y), offset(backend, mean),
      offset(backend, variance)]);
    return [y, mean, variance];
  },
};

const trainGrad: NativeKernel = {
  kernelName: BATCH_NORM_TRAIN_GRAD,
  run(addon, { inputs, backend, attrs }) {
    const { dy, x, y, gamma, mean, variance } = inputs;
    const { eps, relu } = attrs as unknown as BatchNormTrainAttrs & { residual: boolean };
    const wantG = relu && attrs["residual"] === true;
    const [rows, c] = rowsAndChannels(x!);
    const dx = output(backend, [...x!.shape]);
    const dgamma = output(backend, [c]);
    const dbeta = output(backend, [c]);
    const g = wantG ? output(backend, [...x!.shape]) : null;
    invoke(addon.batchNormTrainGrad, backend, [rows, c, eps, relu ? 1 : 0,
      offset(backend, dy), offset(backend, x), offset(backend, y),
      offset(backend, gamma), offset(backend, mean), offset(backend, variance),
      offset(backend, dx), offset(backend, dgamma), offset(backend, dbeta),
      offset(backend, g)]);
    return g === null ? [dx, dgamma, dbeta] : [dx, dgamma, dbeta, g];
  },
};

const infer: NativeKernel = {
  kernelName: tf.FusedBatchNorm,
  run(addon, { inputs, backend, attrs }) {
    const { x, mean, variance, offset: shift, scale } = inputs;
    if (!allFloat(x, mean, variance, shift, scale)) return null;
    const c = x!.shape[x!.shape.length - 1]!;
    const perChannel = (t: tf.TensorInfo | undefined) =>
      t === undefined || (sizeOf(t.shape) === c && t.shape.at(-1) === c);
    if (![mean, variance, shift, scale].every(perChannel)) return null;
    if (sizeOf(x!.shape) === 0) return null;
    const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
    const y = output(backend, [...x!.shape]);
    invoke(addon.batchNormInfer, backend, [sizeOf(x!.shape) / c, c, eps,
      offset(backend, x), offset(backend, mean), offset(backend, variance),
      offset(backend, scale), offset(backend, shift), offset(backend, y)]);
    return y;
  },
};

export const BATCH_NORM_KERNELS: readonly NativeKernel[] = [train, trainGrad, infer];
