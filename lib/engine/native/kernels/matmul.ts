/**
 * BatchMatMul (tf.matMul, dense layers, the LSTM) on oneDNN's sgemm
 * (src/matmul.cc). Leading axes are flattened into one batch axis; a
 * batch of 1 broadcasts against the other operand's.
 * Block: batchA, batchB, m, n, k, transposeA, transposeB, a, b, out.
 */
import * as tf from "@tensorflow/tfjs";
import { allFloat, invoke, offset, output, sizeOf } from "./heap";
import type { NativeKernel } from "./kernel";

const batchMatMul: NativeKernel = {
  kernelName: tf.BatchMatMul,
  run(addon, { inputs, backend, attrs }) {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (!allFloat(a, b) || a.shape.length < 2 || b.shape.length < 2) return null;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (k !== kb) return null; // the stock kernel reports the mismatch
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const ba = sizeOf(batchA);
    const bb = sizeOf(batchB);
    let batchShape: number[];
    if (ba === bb && batchA.join() === batchB.join()) batchShape = batchA;
    else if (ba === 1) batchShape = batchB;
    else if (bb === 1) batchShape = batchA;
    else return null;
    if (m * n * k === 0 || sizeOf(batchShape) === 0) return null;
    const out = output(backend, [...batchShape, m, n]);
    invoke(addon.matmul, backend, [ba, bb, m, n, k, transposeA ? 1 : 0,
      transposeB ? 1 : 0, offset(backend, a), offset(backend, b),
      offset(backend, out)]);
    return out;
  },
};

export const MATMUL_KERNELS: readonly NativeKernel[] = [batchMatMul];
