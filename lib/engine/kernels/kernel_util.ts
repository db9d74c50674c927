/**
 * Helpers shared by the kernels in this folder, which are written with
 * public tf ops rather than backend internals so that they work on any
 * backend and stay short.
 */
import * as tf from '@tensorflow/tfjs';

/** The one backend method a kernel needs to hand over an op's result. */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * Turns a tensor computed with tf ops inside a kernelFunc into the
 * TensorInfo the engine expects, without a copy and without a leak.
 *
 * The backend's reference count is raised first, so disposing the op's
 * tensor only drops the op's reference; the engine then wraps the same
 * data in the kernel's output tensor, which becomes its single owner
 * (see makeTensorFromTensorInfo and disposeTensor in tfjs-core's engine).
 * r must be a tensor the kernel made, never one of its inputs.
 */
export function handOver(backend: unknown, r: tf.Tensor): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(r.dataId);
  const info = {dataId: r.dataId, shape: r.shape.slice(), dtype: r.dtype};
  r.dispose();
  return info;
}

/**
 * Views a kernel input as a tensor that public ops accept. The engine
 * passes real tensors, which are returned as they are; a bare TensorInfo
 * is wrapped without a copy. Call it inside tf.tidy: the tidy then drops
 * the wrapper's reference and leaves the caller's tensor alone.
 */
export function asTensor<R extends tf.Rank>(
  backend: unknown, info: tf.TensorInfo,
): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  (backend as RefCountingBackend).incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

