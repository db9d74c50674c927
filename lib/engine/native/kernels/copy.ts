/**
 * Slice, PadV2, Concat, SplitV, Pack and Unpack of float32 tensors
 * (src/copy.cc): contiguous runs copied in parallel.
 *   slice block:  rank, shape, begin, size, x, y
 *   pad block:    rank, shape, before, after, value, x, y
 *   concat block: outer, count, (inner_i, x_i) for each input, y
 *   split block:  outer, count, (inner_i, y_i) for each output, x
 */
import * as tf from "@tensorflow/tfjs";
import { allFloat, invoke, offset, output, sizeOf } from "./heap";
import type { NativeKernel } from "./kernel";

const MAX_RANK = 8;

const slice: NativeKernel = {
  kernelName: tf.Slice,
  run(addon, { inputs, backend, attrs }) {
    const { x } = inputs as { x: tf.TensorInfo };
    const rank = x.shape.length;
    if (!allFloat(x) || rank < 1 || rank > MAX_RANK) return null;
    const a = attrs as unknown as tf.SliceAttrs;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size);
    if (sizeOf(size) === 0) return null;
    const y = output(backend, size);
    invoke(addon.slice, backend, [rank, ...x.shape, ...begin, ...size,
      offset(backend, x), offset(backend, y)]);
    return y;
  },
};

const pad: NativeKernel = {
  kernelName: tf.PadV2,
  run(addon, { inputs, backend, attrs }) {
    const { x } = inputs as { x: tf.TensorInfo };
    const rank = x.shape.length;
    if (!allFloat(x) || rank < 1 || rank > MAX_RANK || sizeOf(x.shape) === 0) return null;
    const { paddings, constantValue } = attrs as unknown as tf.PadV2Attrs;
    if (paddings.length !== rank) return null;
    const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    const y = output(backend, shape);
    invoke(addon.pad, backend, [rank, ...x.shape, ...paddings.map((p) => p[0]),
      ...paddings.map((p) => p[1]), constantValue, offset(backend, x),
      offset(backend, y)]);
    return y;
  },
};

const concat: NativeKernel = {
  kernelName: tf.Concat,
  run(addon, { inputs, backend, attrs }) {
    const all = Object.values(inputs) as tf.TensorInfo[];
    if (all.length === 0 || !allFloat(...all)) return null;
    const parts = all.filter((t) => sizeOf(t.shape) > 0);
    // The stock kernel handles the trivial cases (and reports bad shapes).
    if (parts.length < 2) return null;
    const axis = tf.util.parseAxisParam(attrs["axis"] as number, parts[0]!.shape)[0]!;
    const shapes = parts.map((t) => t.shape);
    try {
      tf.backend_util.assertParamsConsistent(shapes, axis);
    } catch {
      return null;
    }
    const shape = tf.backend_util.computeOutShape(shapes, axis);
    const outer = sizeOf(shape.slice(0, axis));
    const y = output(backend, shape);
    invoke(addon.concat, backend, [outer, parts.length,
      ...parts.flatMap((t) => [sizeOf(t.shape.slice(axis)), offset(backend, t)]),
      offset(backend, y)]);
    return y;
  },
};

const splitV: NativeKernel = {
  kernelName: tf.SplitV,
  run(addon, { inputs, backend, attrs }) {
    const { x } = inputs as { x: tf.TensorInfo };
    if (!allFloat(x) || sizeOf(x.shape) === 0) return null;
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
    let sizes: number[];
    try {
      sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    } catch {
      return null; // the stock kernel reports the bad split
    }
    if (sizes.some((n) => n === 0)) return null;
    const outer = sizeOf(x.shape.slice(0, ax));
    const rest = sizeOf(x.shape.slice(ax + 1));
    const outs = sizes.map((n) => output(backend, x.shape.map((d, i) => (i === ax ? n : d))));
    invoke(addon.split, backend, [outer, outs.length,
      ...outs.flatMap((t, i) => [sizes[i]! * rest, offset(backend, t)]), offset(backend, x)]);
    return outs;
  },
};

/** tf.unstack (an LSTM's time steps): a split into slices of size 1, axis dropped. */
const unpack: NativeKernel = {
  kernelName: tf.Unpack,
  run(addon, { inputs, backend, attrs }) {
    const { value: x } = inputs as { value: tf.TensorInfo };
    if (!allFloat(x) || sizeOf(x.shape) === 0) return null;
    const ax = tf.util.parseAxisParam(attrs["axis"] as number, x.shape)[0]!;
    const count = x.shape[ax]!;
    const outer = sizeOf(x.shape.slice(0, ax));
    const inner = sizeOf(x.shape.slice(ax + 1));
    const shape = x.shape.filter((_, i) => i !== ax);
    const outs = Array.from({ length: count }, () => output(backend, shape));
    invoke(addon.split, backend, [outer, count,
      ...outs.flatMap((t) => [inner, offset(backend, t)]), offset(backend, x)]);
    return outs;
  },
};

/** tf.stack (and Unpack's gradient): a concat of same-shaped tensors along a new axis. */
const pack: NativeKernel = {
  kernelName: tf.Pack,
  run(addon, { inputs, backend, attrs }) {
    const parts = Object.values(inputs) as tf.TensorInfo[];
    if (parts.length < 2 || !allFloat(...parts)) return null;
    const first = parts[0]!.shape;
    if (sizeOf(first) === 0 || parts.some((t) => t.shape.join() !== first.join())) return null;
    const ax = tf.util.parseAxisParam(attrs["axis"] as number, [...first, 1])[0]!;
    const shape = [...first.slice(0, ax), parts.length, ...first.slice(ax)];
    const outer = sizeOf(first.slice(0, ax));
    const inner = sizeOf(first.slice(ax));
    const y = output(backend, shape);
    invoke(addon.concat, backend, [outer, parts.length,
      ...parts.flatMap((t) => [inner, offset(backend, t)]), offset(backend, y)]);
    return y;
  },
};

export const COPY_KERNELS: readonly NativeKernel[] = [slice, pad, concat, splitV, unpack, pack];
