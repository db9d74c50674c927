/**
 * Conv geometry and a conv2d that accepts negative explicit pads; shared
 * by the conv gradient kernels, which rewrite gradients as forward convs
 * (the wasm backend's fast path, XNNPACK).
 */
import * as tf from '@tensorflow/tfjs';

/** Pad attribute of conv kernels (string, number or explicit pairs). */
export type ConvPad = tf.Conv2DBackpropFilterAttrs['pad'];

/** Geometry of one conv2d, as the gradient formulations need it. */
export interface ConvGeometry {
  kh: number; kw: number; sh: number; sw: number;
  top: number; bottom: number; left: number; right: number;
  outH: number; outW: number;
}

/** Computes pads and output size exactly as the forward conv2d does. */
export function convGeometry(
  xShape: number[], filterShape: [number, number, number, number],
  strides: number | [number, number], pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape, strides, 1,
    pad, dimRoundingMode, false, 'channelsLast');
  const p = info.padInfo;
  return {
    kh: info.filterHeight, kw: info.filterWidth,
    sh: info.strideHeight, sw: info.strideWidth,
    top: p.top, bottom: p.bottom, left: p.left, right: p.right,
    outH: info.outHeight, outW: info.outWidth,
  };
}

/** Normalises a stride attribute to [height, width]. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/**
 * Stride-1 conv2d of x [N, H, W, C] with explicit pads that may be
 * negative: a negative pad crops x instead (rows that would only ever
 * meet padding). dilation applies to the filter as in tf.conv2d.
 */
export function convSignedPads(
  x: tf.Tensor4D, f: tf.Tensor4D,
  top: number, bottom: number, left: number, right: number,
  dilation: [number, number] = [1, 1],
): tf.Tensor4D {
  let xc = x;
  if (Math.min(top, bottom, left, right) < 0) {
    const [, h, w] = x.shape;
    xc = tf.slice(x, [0, Math.max(-top, 0), Math.max(-left, 0), 0], [-1,
      h + Math.min(top, 0) + Math.min(bottom, 0),
      w + Math.min(left, 0) + Math.min(right, 0), -1]);
  }
  const pads: tf.backend_util.ExplicitPadding = [[0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)], [0, 0]];
  return tf.conv2d(xc, f, 1, pads, 'NHWC', dilation);
}
