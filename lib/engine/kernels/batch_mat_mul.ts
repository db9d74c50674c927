/**
 * BatchMatMul with transposed operands made explicit. The stock wasm
 * kernel is fast only for a x b; with transposeA or transposeB it takes a
 * slow path (bench/kernels.ts: a [700, 650] x b [650, 10000] with
 * transposeB ~6x slower than transposing b first). Every matMul gradient
 * uses one of those, so this wrapper transposes the flagged operands with
 * tf.transpose and hands the plain product to the stock kernel.
 * index.ts replaces the stock kernel with this one on purpose.
 */
import * as tf from '@tensorflow/tfjs';
import {asTensor, handOver} from './kernel_util';

/** Swaps the last two axes (the matrix axes) of t. */
function swapMatrixAxes(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = t.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return tf.transpose(t, perm);
}

/**
 * Wraps the stock wasm BatchMatMul config: same setup, and the stock
 * kernelFunc runs every untransposed product.
 */
export function batchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const {inputs, backend, attrs} = args;
    const a = attrs as unknown as tf.BatchMatMulAttrs;
    if (!a.transposeA && !a.transposeB) return stock.kernelFunc(args);
    const product = tf.tidy(() => {
      let x = asTensor(backend, inputs['a']!);
      let y = asTensor(backend, inputs['b']!);
      if (a.transposeA) x = swapMatrixAxes(x);
      if (a.transposeB) y = swapMatrixAxes(y);
      // Runs this kernel again, untransposed: the stock path.
      return tf.matMul(x, y);
    });
    return handOver(backend, product);
  };
  const config: tf.KernelConfig = {
    kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc,
  };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  if (stock.disposeFunc) config.disposeFunc = stock.disposeFunc;
  return config;
}
