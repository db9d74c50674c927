/**
 * MaxPool, AvgPool and their gradients over NHWC tensors (src/pool.cc).
 * Block: mode (0 max, 1 avg, 2 max grad, 3 avg grad), N, H, W, C, outH,
 * outW, filterH, filterW, strideH, strideW, padTop, padLeft, then the
 * offsets (forward: x, y; max grad: dy, x, dx; avg grad: dy, dx).
 */
import * as tf from "@tensorflow/tfjs";
import { allFloat, invoke, offset, output } from "./heap";
import type { NativeKernel } from "./kernel";

type PoolAttrs = tf.MaxPoolAttrs;
type Shape4 = [number, number, number, number];

function geometry(mode: number, xShape: number[], attrs: PoolAttrs): number[] {
  const info = tf.backend_util.computePool2DInfo(xShape as Shape4,
    attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  return [mode, info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left];
}

function forwardKernel(kernelName: string, mode: number): NativeKernel {
  return {
    kernelName,
    run(addon, { inputs, backend, attrs }) {
      const { x } = inputs as { x: tf.TensorInfo };
      if (!allFloat(x) || x.shape.length !== 4) return null;
      const geo = geometry(mode, x.shape, attrs as unknown as PoolAttrs);
      const y = output(backend, [geo[1]!, geo[5]!, geo[6]!, geo[4]!]);
      invoke(addon.pool, backend, [...geo, offset(backend, x), offset(backend, y)]);
      return y;
    },
  };
}

const maxPoolGrad: NativeKernel = {
  kernelName: tf.MaxPoolGrad,
  run(addon, { inputs, backend, attrs }) {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (!allFloat(dy, input) || input.shape.length !== 4) return null;
    const geo = geometry(2, input.shape, attrs as unknown as PoolAttrs);
    const dx = output(backend, [...input.shape]);
    invoke(addon.pool, backend, [...geo, offset(backend, dy),
      offset(backend, input), offset(backend, dx)]);
    return dx;
  },
};

const avgPoolGrad: NativeKernel = {
  kernelName: tf.AvgPoolGrad,
  run(addon, { inputs, backend, attrs }) {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (!allFloat(dy, input) || input.shape.length !== 4) return null;
    const geo = geometry(3, input.shape, attrs as unknown as PoolAttrs);
    const dx = output(backend, [...input.shape]);
    invoke(addon.pool, backend, [...geo, offset(backend, dy), offset(backend, dx)]);
    return dx;
  },
};

export const POOL_KERNELS: readonly NativeKernel[] = [
  forwardKernel(tf.MaxPool, 0), forwardKernel(tf.AvgPool, 1), maxPoolGrad,
  avgPoolGrad,
];
