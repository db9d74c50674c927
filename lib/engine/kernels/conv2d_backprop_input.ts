/**
 * Conv2DBackpropInput (the input gradient of conv2d) as forward convs,
 * which run on XNNPACK; the stock wasm kernel is a plain loop that
 * bench/kernels.ts measured 2-10x slower. Two formulations:
 *
 *  - 'dilated': one conv of the zero-dilated dy with the filter flipped
 *    in space and its in/out channels swapped (s*s times the MACs);
 *  - 'phases' (sub-pixel): for stride s, output pixels (s*a + p, s*b + q)
 *    only meet filter taps i = s*t + r(p), j = s*u + r(q), so each of the
 *    s*s phases is a small stride-1 conv of dy itself; the phases are then
 *    interleaved. Same MACs as the forward conv. For stride 1 the two
 *    formulations coincide.
 *
 * Registering this kernel REPLACES the stock one; index.ts does that on
 * purpose (see registerWasmKernels).
 */
import * as tf from '@tensorflow/tfjs';
import {
  type ConvGeometry, type ConvPad, convGeometry, convSignedPads, pair,
} from './conv_util';
import {asTensor, handOver} from './kernel_util';

/** The formulations compared in bench/kernels.ts. */
export type InputGradMethod = 'phases' | 'dilated';

/** Spreads dy [N, h, w, c] to [N, (h-1)*sh+1, (w-1)*sw+1, c] with zeros. */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const dy6 = tf.reshape(dy, [n, h, 1, w, 1, c]);
  const spread = tf.pad(dy6,
    [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const flat = tf.reshape<tf.Rank.R4>(spread, [n, h * sh, w * sw, c]);
  return tf.slice(flat, [0, 0, 0, 0],
    [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/** dx via one conv over the zero-dilated dy. */
function viaDilated(
  dy: tf.Tensor4D, filter: tf.Tensor4D, h: number, w: number,
  g: ConvGeometry,
): tf.Tensor4D {
  const d = dilate(dy, g.sh, g.sw);
  // Flip taps and swap channels: [kh, kw, ci, co] -> [kh, kw, co, ci].
  const f = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  const top = g.kh - 1 - g.top;
  const left = g.kw - 1 - g.left;
  return convSignedPads(d, f, top, h + g.kh - 1 - d.shape[1] - top,
    left, w + g.kw - 1 - d.shape[2] - left);
}

/**
 * One output phase along one axis: output index s*a + p meets the taps
 * k = s*t + r (t < taps), read from dy row a + q - t. Returns the filter
 * indices in conv (flipped) order and the conv's leading pad.
 */
function phase(p: number, s: number, k: number, pad: number) {
  const r = (p + pad) % s;
  const q = Math.floor((p + pad) / s);
  const taps = Math.max(0, Math.ceil((k - r) / s));
  const index = Array.from({length: taps}, (_, u) => s * (taps - 1 - u) + r);
  return {index, lead: taps - 1 - q};
}

/**
 * The filter taps (rows x cols, in the given order) of [kh, kw, a, b]:
 * one slice per tap and a single concat. wasm's Gather is ~4x slower at
 * this (200 vs 50 ms for a 3x3x512x512 filter).
 */
function pickTaps(
  ft: tf.Tensor4D, rows: number[], cols: number[],
): tf.Tensor4D {
  const [kh, kw, a, b] = ft.shape;
  const flat = tf.reshape(ft, [kh * kw, a, b]);
  const parts: tf.Tensor[] = [];
  for (const r of rows) {
    for (const c of cols) {
      parts.push(tf.slice(flat, [r * kw + c, 0, 0], [1, a, b]));
    }
  }
  const taps = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  return tf.reshape(taps, [rows.length, cols.length, a, b]);
}

/** dx via s*s stride-1 convs of dy (sub-pixel), interleaved. */
function viaPhases(
  dy: tf.Tensor4D, filter: tf.Tensor4D, h: number, w: number,
  g: ConvGeometry,
): tf.Tensor4D {
  const [n, outH, outW] = dy.shape;
  const ci = filter.shape[2];
  const rows = Math.ceil(h / g.sh);
  const cols = Math.ceil(w / g.sw);
  // [kh, kw, ci, co] -> [kh, kw, co, ci], the forward conv's layout.
  const ft = tf.transpose(filter, [0, 1, 3, 2]);
  const byCol: tf.Tensor4D[] = [];
  for (let q = 0; q < g.sw; q++) {
    const pw = phase(q, g.sw, g.kw, g.left);
    const byRow: tf.Tensor4D[] = [];
    for (let p = 0; p < g.sh; p++) {
      const ph = phase(p, g.sh, g.kh, g.top);
      if (ph.index.length === 0 || pw.index.length === 0) {
        byRow.push(tf.zeros([n, rows, cols, ci]));
        continue;
      }
      const f = pickTaps(ft, ph.index, pw.index);
      const th = ph.index.length;
      const tw = pw.index.length;
      byRow.push(convSignedPads(dy, f,
        ph.lead, rows - 1 + th - outH - ph.lead,
        pw.lead, cols - 1 + tw - outW - pw.lead));
    }
    // Interleave rows: [N, rows, sh, cols, ci] -> [N, rows*sh, cols, ci].
    byCol.push(byRow.length === 1 ? byRow[0]! : tf.reshape(
      tf.stack(byRow, 2), [n, rows * g.sh, cols, ci]));
  }
  let dx = byCol[0]!;
  if (byCol.length > 1) {
    // Interleave columns the same way, on the transposed (W, H) layout:
    // stacking along an inner axis is much slower on wasm.
    const t = byCol.map((c) => tf.transpose(c, [0, 2, 1, 3]));
    const st = tf.reshape<tf.Rank.R4>(tf.stack(t, 2),
      [n, cols * g.sw, rows * g.sh, ci]);
    dx = tf.transpose(st, [0, 2, 1, 3]);
  }
  if (dx.shape[1] === h && dx.shape[2] === w) return dx;
  return tf.slice(dx, [0, 0, 0, 0], [n, h, w, ci]);
}

/**
 * Input gradient of conv2d for NHWC dy and filter [kh, kw, ci, co];
 * returns [N, H, W, ci] for inputShape [N, H, W, ci].
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D, filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: number | [number, number], pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  method: InputGradMethod = 'phases',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(
      inputShape, filter.shape, pair(strides), pad, dimRoundingMode);
    const [, h, w] = inputShape;
    return method === 'phases'
      ? viaPhases(dy, filter, h, w, g)
      : viaDilated(dy, filter, h, w, g);
  });
}

/** The kernelFunc (NHWC only, like the stock wasm conv kernels). */
function kernelFunc(
  {inputs, backend, attrs}: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (a.dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropInput: only NHWC is supported');
  }
  const dx = tf.tidy(() => conv2dInputGrad(
    asTensor<tf.Rank.R4>(backend, inputs['dy']!),
    asTensor<tf.Rank.R4>(backend, inputs['filter']!),
    a.inputShape, a.strides, a.pad, a.dimRoundingMode));
  return handOver(backend, dx);
}

/** Kernel config for the wasm backend (replaces the stock one). */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc,
};
