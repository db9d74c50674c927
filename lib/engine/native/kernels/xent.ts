/**
 * Softmax cross-entropy against integer labels (src/xent.cc), kernels of
 * our own used by lib/engine/ops/sparse_xent.ts when registered.
 *   forward block: N, C, logits, labels, loss, logp
 *   grad block:    N, C, dloss, logp, labels, dlogits
 */
import type * as tf from "@tensorflow/tfjs";
import { invoke, offset, output } from "./heap";
import type { NativeKernel } from "./kernel";

export const SPARSE_XENT = "SgdlSparseXent";
export const SPARSE_XENT_GRAD = "SgdlSparseXentGrad";

const forward: NativeKernel = {
  kernelName: SPARSE_XENT,
  run(addon, { inputs, backend }) {
    const { logits, labels } = inputs as { logits: tf.TensorInfo; labels: tf.TensorInfo };
    const [n, c] = logits.shape as [number, number];
    const loss = output(backend, [n]);
    const logp = output(backend, [n, c]);
    invoke(addon.sparseXent, backend, [n, c, offset(backend, logits), offset(backend, labels),
      offset(backend, loss), offset(backend, logp)]);
    return [loss, logp];
  },
};

const grad: NativeKernel = {
  kernelName: SPARSE_XENT_GRAD,
  run(addon, { inputs, backend }) {
    const { dloss, logp, labels } = inputs as Record<string, tf.TensorInfo>;
    const [n, c] = logp!.shape as [number, number];
    const dx = output(backend, [n, c]);
    invoke(addon.sparseXentGrad, backend, [n, c, offset(backend, dloss), offset(backend, logp),
      offset(backend, labels), offset(backend, dx)]);
    return dx;
  },
};

export const XENT_KERNELS: readonly NativeKernel[] = [forward, grad];
