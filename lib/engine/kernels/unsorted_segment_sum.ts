/**
 * UnsortedSegmentSum, which the stock wasm backend lacks. tf.gather's
 * gradient (an embedding lookup's weight gradient) is this kernel.
 *
 * It is a scatter-add in plain JS: O(size of x), independent of the
 * number of segments. The alternative oneHot(ids)^T x matmul costs
 * O(numSegments * size) and loses badly for large vocabularies (see
 * bench/kernels.ts). Like TensorFlow, ids outside [0, numSegments) are
 * dropped.
 */
import * as tf from '@tensorflow/tfjs';
import {handOver} from './kernel_util';

/** The backend method the kernel reads its inputs with. */
interface ReadingBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

/**
 * Sums rows of x (viewed as [ids.length, rowSize]) into numSegments rows
 * selected by ids. Exported for tests and the benchmark.
 */
export function segmentSumValues(
  x: ArrayLike<number>, ids: ArrayLike<number>, rowSize: number,
  numSegments: number, out: Float32Array | Int32Array,
): void {
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let k = 0; k < rowSize; k++) out[dst + k] += x[src + k];
  }
}

/** The kernelFunc: segmentIds' shape must be a prefix of x's shape. */
function kernelFunc(
  {inputs, backend, attrs}: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const x = inputs['x']!;
  const ids = inputs['segmentIds']!;
  const {numSegments} = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const inner = x.shape.slice(ids.shape.length);
  const rowSize = tf.util.sizeFromShape(inner);
  if (!tf.util.arraysEqual(ids.shape, x.shape.slice(0, ids.shape.length))) {
    throw new Error('UnsortedSegmentSum: segmentIds shape ' +
      `${ids.shape} is not a prefix of x shape ${x.shape}`);
  }
  const b = backend as ReadingBackend;
  const xv = b.readSync(x.dataId) as Float32Array | Int32Array;
  const iv = b.readSync(ids.dataId) as Int32Array;
  const size = numSegments * rowSize;
  const out = x.dtype === 'int32'
    ? new Int32Array(size) : new Float32Array(size);
  segmentSumValues(xv, iv, rowSize, numSegments, out);
  const r = tf.tensor(out, [numSegments, ...inner], x.dtype);
  return handOver(backend, r);
}

/** Kernel config for the wasm backend. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc,
};
