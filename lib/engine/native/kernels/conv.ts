/**
 * Conv2D, FusedConv2D (bias and ReLU fused), Conv2DBackpropInput and
 * Conv2DBackpropFilter on oneDNN (src/conv.cc).
 *
 * Argument block of addon.conv (the order of `enum Arg` in conv.cc):
 *   kind (0 forward, 1 backward data, 2 backward filter),
 *   N, C, H, W, O, KH, KW, outH, outW, strideH, strideW, dilationH,
 *   dilationW, padTop, padBottom, padLeft, padRight, channelsLast,
 *   activation (0 none, 1 relu), then three byte offsets (forward: x,
 *   filter, y; backward data: dy, filter, dx; backward filter: x, dy,
 *   dfilter) and the bias offset (-1: none).
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon";
import { allFloat, invoke, offset, output, type WasmBackend } from "./heap";
import type { KernelCall, NativeKernel } from "./kernel";

type Pad = tf.Conv2DAttrs["pad"];
type Rounding = "floor" | "round" | "ceil" | undefined;
type Shape4 = [number, number, number, number];

export const CONV_FORWARD = 0;
export const CONV_BACKWARD_DATA = 1;
export const CONV_BACKWARD_FILTER = 2;

/** The geometry part of the argument block (everything before the offsets). */
export function convGeometryArgs(
  kind: number,
  xShape: Shape4,
  filterShape: Shape4,
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  rounding: Rounding,
  dataFormat: "NHWC" | "NCHW",
  relu: boolean,
): number[] {
  const format = dataFormat === "NHWC" ? "channelsLast" : "channelsFirst";
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides,
    dilations, pad, rounding, false, format);
  const p = info.padInfo;
  return [kind, info.batchSize, info.inChannels, info.inHeight,
    info.inWidth, info.outChannels, info.filterHeight, info.filterWidth,
    info.outHeight, info.outWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, p.top, p.bottom, p.left,
    p.right, dataFormat === "NHWC" ? 1 : 0, relu ? 1 : 0];
}

function outShape(geo: number[], dataFormat: "NHWC" | "NCHW"): number[] {
  const [, n, , , , o, , , oh, ow] = geo as number[];
  return dataFormat === "NHWC" ? [n!, oh!, ow!, o!] : [n!, o!, oh!, ow!];
}

function format(attrs: Record<string, unknown>): "NHWC" | "NCHW" {
  return attrs["dataFormat"] === "NCHW" ? "NCHW" : "NHWC";
}

function forward(
  addon: NativeAddon, backend: WasmBackend, x: tf.TensorInfo,
  filter: tf.TensorInfo, bias: tf.TensorInfo | undefined, relu: boolean,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const a = attrs as unknown as tf.Conv2DAttrs;
  const geo = convGeometryArgs(CONV_FORWARD, x.shape as Shape4,
    filter.shape as Shape4, a.strides, a.dilations, a.pad,
    a.dimRoundingMode, format(attrs), relu);
  const y = output(backend, outShape(geo, format(attrs)));
  invoke(addon.conv, backend, [...geo, offset(backend, x),
    offset(backend, filter), offset(backend, y), offset(backend, bias)]);
  return y;
}

const conv2d: NativeKernel = {
  kernelName: tf.Conv2D,
  run(addon, { inputs, backend, attrs }) {
    const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    if (!allFloat(x, filter)) return null;
    return forward(addon, backend, x, filter, undefined, false, attrs);
  },
};

const fusedConv2d: NativeKernel = {
  kernelName: tf.FusedConv2D,
  run(addon, { inputs, backend, attrs }) {
    const { x, filter, bias, preluActivationWeights } = inputs;
    const act = attrs["activation"];
    if (preluActivationWeights !== undefined) return null;
    if (act !== "linear" && act !== "relu") return null;
    if (!allFloat(x, filter, bias)) return null;
    const outCh = filter!.shape[3]!;
    if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== outCh)) {
      return null;
    }
    return forward(addon, backend, x!, filter!, bias, act === "relu", attrs);
  },
};

/**
 * A backward conv: `wanted` (dx or dfilter) from `a` and `b` (dy and the
 * filter, or x and dy), the forward geometry from x's and the filter's
 * shapes.
 */
function backward(
  kind: number, addon: NativeAddon, backend: WasmBackend, a: tf.TensorInfo,
  b: tf.TensorInfo, xShape: number[], filterShape: number[], wanted: number[],
  attrs: tf.Conv2DBackpropInputAttrs | tf.Conv2DBackpropFilterAttrs,
): tf.TensorInfo | null {
  if (!allFloat(a, b)) return null;
  const geo = convGeometryArgs(kind, xShape as Shape4, filterShape as Shape4,
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat, false);
  const out = output(backend, [...wanted]);
  invoke(addon.conv, backend, [...geo, offset(backend, a), offset(backend, b),
    offset(backend, out), -1]);
  return out;
}

const backpropInput: NativeKernel = {
  kernelName: tf.Conv2DBackpropInput,
  run(addon, { inputs, backend, attrs }) {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    return backward(CONV_BACKWARD_DATA, addon, backend, dy, filter, a.inputShape,
      filter.shape, a.inputShape, a);
  },
};

const backpropFilter: NativeKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  run(addon, { inputs, backend, attrs }) {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    return backward(CONV_BACKWARD_FILTER, addon, backend, x, dy, x.shape,
      a.filterShape, a.filterShape, a);
  },
};

export const CONV_KERNELS: readonly NativeKernel[] = [
  conv2d, fusedConv2d, backpropInput, backpropFilter,
];

export type { KernelCall };
