/**
 * MaxPoolGrad in plain JS. The stock wasm kernel gives wrong gradients
 * for some windows (e.g. 2x2 stride 2 'valid', 3x3 stride 1 'same'; see
 * test/engine/kernels.test.ts), so index.ts replaces it on purpose.
 *
 * Each output's gradient goes to the first strict maximum of its window
 * in row-major order, as on the cpu backend and in TensorFlow: ties
 * (e.g. all-zero windows after a relu) must not split the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import {handOver} from './kernel_util';

/** The backend method the kernel reads its inputs with. */
interface ReadingBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

/** Window geometry, as computed by tf.backend_util.computePool2DInfo. */
export interface PoolGeometry {
  n: number; h: number; w: number; c: number;
  outH: number; outW: number; fh: number; fw: number;
  sh: number; sw: number; top: number; left: number;
}

/** Scatters dy [n, outH, outW, c] onto the window maxima of x. */
export function maxPoolGradValues(
  x: ArrayLike<number>, dy: ArrayLike<number>, g: PoolGeometry,
): Float32Array {
  const {n, h, w, c} = g;
  const dx = new Float32Array(n * h * w * c);
  const best = new Float64Array(c);
  const at = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const r0 = Math.max(oh * g.sh - g.top, 0);
      const r1 = Math.min(oh * g.sh - g.top + g.fh, h);
      for (let ow = 0; ow < g.outW; ow++, o += c) {
        const c0 = Math.max(ow * g.sw - g.left, 0);
        const c1 = Math.min(ow * g.sw - g.left + g.fw, w);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const base = ((b * h + r) * w + col) * c;
            for (let d = 0; d < c; d++) {
              const v = x[base + d]!;
              if (v > best[d]!) {
                best[d] = v;
                at[d] = base + d;
              }
            }
          }
        }
        for (let d = 0; d < c; d++) {
          if (at[d]! >= 0) dx[at[d]!] += dy[o + d]!;
        }
      }
    }
  }
  return dx;
}

/** The kernelFunc (NHWC, like tf.maxPool). */
function kernelFunc(
  {inputs, backend, attrs}: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const x = inputs['input']!;
  const dy = inputs['dy']!;
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], a.filterSize, a.strides,
    1, a.pad, a.dimRoundingMode);
  const b = backend as ReadingBackend;
  const dx = maxPoolGradValues(
    b.readSync(x.dataId) as Float32Array,
    b.readSync(dy.dataId) as Float32Array, {
      n: info.batchSize, h: info.inHeight, w: info.inWidth,
      c: info.inChannels, outH: info.outHeight, outW: info.outWidth,
      fh: info.filterHeight, fw: info.filterWidth,
      sh: info.strideHeight, sw: info.strideWidth,
      top: info.padInfo.top, left: info.padInfo.left,
    });
  return handOver(backend, tf.tensor(dx, x.shape, 'float32'));
}

/** Kernel config for the wasm backend (replaces the stock one). */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc,
};
