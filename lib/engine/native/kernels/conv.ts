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

const backpropInput: NativeKernel = {
  kernelName: tf.Conv2DBackpropInput,
  run(addon, { inputs, backend, attrs }) {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    if (!allFloat(dy, filter)) return null;
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const geo = convGeometryArgs(CONV_BACKWARD_DATA, a.inputShape as Shape4,
      filter.shape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode,
      a.dataFormat, false);
    const dx = output(backend, [...a.inputShape]);
    invoke(addon.conv, backend, [...geo, offset(backend, dy),
      offset(backend, filter), offset(backend, dx), -1]);
    return dx;
  },
};

const backpropFilter: NativeKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  run(addon, { inputs, backend, attrs }) {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    if (!allFloat(x, dy)) return null;
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const geo = convGeometryArgs(CONV_BACKWARD_FILTER, x.shape as Shape4,
      a.filterShape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode,
      a.dataFormat, false);
    const dw = output(backend, [...a.filterShape]);
    invoke(addon.conv, backend, [...geo, offset(backend, x),
      offset(backend, dy), offset(backend, dw), -1]);
    return dw;
  },
};

export const CONV_KERNELS: readonly NativeKernel[] = [
  conv2d, fusedConv2d, backpropInput, backpropFilter,
];

export type { KernelCall };
