/**
 * Conv2DBackpropFilter (the weight gradient of conv2d), which the stock
 * wasm backend lacks. It is built from kernels wasm does have, so it runs
 * on the fast XNNPACK conv/matmul code:
 *
 *  - 'swapped': one forward conv over x with batch and channel axes
 *    swapped, dy (also swapped) as the filter and the stride as dilation;
 *  - 'im2col': the kh*kw tap views of padded x, concatenated into
 *    patches [M, kh*kw*ci], then one matmul with dy [M, co];
 *  - 'taps': one matmul per filter tap (no big patch matrix).
 *
 * 'auto' picks per shape what bench/kernels.ts measured fastest.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type ConvGeometry, type ConvPad, convGeometry, convSignedPads, pair,
} from './conv_util';
import {asTensor, handOver} from './kernel_util';

/** The formulations compared in bench/kernels.ts. */
export type FilterGradMethod = 'swapped' | 'im2col' | 'taps';

/** Pads x (NHWC) by the conv's pads so every tap reads in bounds. */
function padInput(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const {top, bottom, left, right} = g;
  if (top + bottom + left + right === 0) return x;
  return tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

/**
 * The input pixels filter tap (i, j) meets: [N, outH, outW, ci]. Strided
 * taps subsample with a 1x1 avgPool: wasm's StridedSlice is ~50x slower.
 */
function tapInput(
  xp: tf.Tensor4D, g: ConvGeometry, i: number, j: number,
): tf.Tensor4D {
  const [n, hp, wp, c] = xp.shape;
  const size = [n, g.outH, g.outW, c];
  if (g.sh === 1 && g.sw === 1) {
    if (i === 0 && j === 0 && g.outH === hp && g.outW === wp) return xp;
    return tf.slice(xp, [0, i, j, 0], size);
  }
  const from = i === 0 && j === 0
    ? xp : tf.slice(xp, [0, i, j, 0], [n, hp - i, wp - j, c]);
  const sub = tf.avgPool(from, 1, [g.sh, g.sw], 'valid');
  if (sub.shape[1] === g.outH && sub.shape[2] === g.outW) return sub;
  return tf.slice(sub, [0, 0, 0, 0], size);
}

/** dW via one conv with batch and channels swapped (see file doc). */
function viaSwappedConv(
  x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry,
): tf.Tensor4D {
  // Pad x so that the last tap's last read is its last row; a negative
  // pad crops rows the conv's own padding made unreachable.
  const needH = g.kh + (g.outH - 1) * g.sh;
  const needW = g.kw + (g.outW - 1) * g.sw;
  const bottom = needH - x.shape[1] - g.top;
  const right = needW - x.shape[2] - g.left;
  const xT = tf.transpose(x, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  const y = convSignedPads(
    xT, dyT, g.top, bottom, g.left, right, [g.sh, g.sw]);
  return tf.transpose(y, [1, 2, 0, 3]);
}

/** dW via patches [M, kh*kw*ci] and one matmul with dy [M, co]. */
function viaIm2col(
  x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry,
): tf.Tensor4D {
  const ci = x.shape[3];
  const co = dy.shape[3];
  const m = dy.size / co;
  const xp = padInput(x, g);
  const taps: tf.Tensor4D[] = [];
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) taps.push(tapInput(xp, g, i, j));
  }
  const cols = taps.length === 1 ? taps[0]! : tf.concat(taps, 3);
  const k = g.kh * g.kw * ci;
  const colsT = tf.transpose(tf.reshape(cols, [m, k]));
  const dw = tf.matMul(colsT, tf.reshape(dy, [m, co]));
  return tf.reshape(dw, [g.kh, g.kw, ci, co]);
}

/** dW via one matmul per tap: dW[i, j] = tap(i, j)^T dy. */
function viaTaps(
  x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry,
): tf.Tensor4D {
  const ci = x.shape[3];
  const co = dy.shape[3];
  const m = dy.size / co;
  const xp = padInput(x, g);
  const dy2 = tf.reshape(dy, [m, co]);
  const rows: tf.Tensor2D[] = [];
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const t = tf.reshape(tapInput(xp, g, i, j), [m, ci]);
      rows.push(tf.matMul(tf.transpose(t), dy2));
    }
  }
  const dw = rows.length === 1 ? rows[0]! : tf.concat(rows, 0);
  return tf.reshape(dw, [g.kh, g.kw, ci, co]);
}

/**
 * The fastest formulation measured for this shape on wasm (1 thread):
 * a 1x1 kernel is a single matmul; larger kernels use the swapped conv.
 */
export function pickFilterGradMethod(g: ConvGeometry): FilterGradMethod {
  return g.kh * g.kw === 1 ? 'taps' : 'swapped';
}

/**
 * Weight gradient of conv2d for NHWC x [N, H, W, ci] and dy
 * [N, outH, outW, co]; returns [kh, kw, ci, co]. Uses public ops only,
 * so it can be checked on any backend.
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D, dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number], pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  method: FilterGradMethod | 'auto' = 'auto',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(
      x.shape, filterShape, pair(strides), pad, dimRoundingMode);
    const m = method === 'auto' ? pickFilterGradMethod(g) : method;
    if (m === 'swapped') return viaSwappedConv(x, dy, g);
    if (m === 'im2col') return viaIm2col(x, dy, g);
    return viaTaps(x, dy, g);
  });
}

/** Converts explicit NCHW pads to NHWC order; other pads pass through. */
function padToNhwc(pad: ConvPad): ConvPad {
  if (!Array.isArray(pad)) return pad;
  return [pad[0], pad[2], pad[3], pad[1]];
}

/** The kernelFunc: NCHW inputs are transposed to NHWC (dW is HWIO). */
function kernelFunc(
  {inputs, backend, attrs}: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dw = tf.tidy(() => {
    let x = asTensor<tf.Rank.R4>(backend, inputs['x']!);
    let dy = asTensor<tf.Rank.R4>(backend, inputs['dy']!);
    let pad = a.pad;
    if (a.dataFormat === 'NCHW') {
      x = tf.transpose(x, [0, 2, 3, 1]);
      dy = tf.transpose(dy, [0, 2, 3, 1]);
      pad = padToNhwc(pad);
    }
    return conv2dFilterGrad(
      x, dy, a.filterShape, a.strides, pad, a.dimRoundingMode);
  });
  return handOver(backend, dw);
}

/** Kernel config for the wasm backend. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc,
};
