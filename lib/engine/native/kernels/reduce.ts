/**
 * Sum, Mean and Max over a contiguous run of axes (src/reduce.cc): the
 * input is viewed as [outer, mid, inner] and mid is reduced.
 * Block: op (0 sum, 1 mean, 2 max), outer, mid, inner, x, y.
 */
import * as tf from "@tensorflow/tfjs";
import { allFloat, invoke, offset, output, sizeOf } from "./heap";
import type { NativeKernel } from "./kernel";

/** [outer, mid, inner] for reducing `axes` of `shape`, or null. */
export function reductionView(
  shape: readonly number[],
  axes: readonly number[],
): [number, number, number] | null {
  const sorted = [...new Set(axes)].sort((p, q) => p - q);
  if (sorted.length === 0) return null;
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  if (last - first + 1 !== sorted.length) {
    // Not contiguous: still fine when the axes between are all size 1.
    for (let i = first; i <= last; i++) {
      if (!sorted.includes(i) && shape[i] !== 1) return null;
    }
  }
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)),
    sizeOf(shape.slice(last + 1))];
}

function reduceKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run(addon, { inputs, backend, attrs }) {
      const { x } = inputs as { x: tf.TensorInfo };
      if (!allFloat(x) || sizeOf(x.shape) === 0) return null;
      // Max names its axes reductionIndices; Sum and Mean say axis.
      const axis = (attrs["axis"] ?? attrs["reductionIndices"]) as number | number[];
      const keepDims = attrs["keepDims"] === true;
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const view = reductionView(x.shape, axes);
      if (view === null) return null;
      const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        .filter((_, i) => keepDims || !axes.includes(i));
      const y = output(backend, shape);
      invoke(addon.reduce, backend, [op, ...view, offset(backend, x),
        offset(backend, y)]);
      return y;
    },
  };
}

export const REDUCE_KERNELS: readonly NativeKernel[] = [
  reduceKernel(tf.Sum, 0), reduceKernel(tf.Mean, 1), reduceKernel(tf.Max, 2),
];
