/**
 * Identity without a copy. The engine clones (Identity) every tensor it
 * saves for the backward pass, and the stock wasm Identity copies the
 * data each time; tensors are immutable, so sharing the buffer, as the
 * cpu backend and wasm's own Reshape do, is safe and saves one full
 * copy per saved activation. index.ts replaces the stock kernel with
 * this one on purpose.
 */
import * as tf from '@tensorflow/tfjs';

/** The one backend method the kernel needs. */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/** The kernelFunc: one more reference to the same data. */
function kernelFunc(
  {inputs, backend}: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const x = inputs['x']!;
  (backend as RefCountingBackend).incRef(x.dataId);
  return {dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype};
}

/** Kernel config for the wasm backend (replaces the stock one). */
export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc,
};
