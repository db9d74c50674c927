/**
 * lib/engine/native/kernels: the tfjs kernels the native engine puts over
 * the wasm backend's, by family. Each one hands its call back to the
 * kernel it displaced when it does not handle it (other dtypes, layouts
 * or attributes).
 */
import { BATCH_NORM_KERNELS } from "./batch_norm";
import { CONV_KERNELS } from "./conv";
import { COPY_KERNELS } from "./copy";
import { ELTWISE_KERNELS } from "./eltwise";
import type { NativeKernel } from "./kernel";
import { LSTM_KERNELS } from "./lstm";
import { XENT_KERNELS } from "./xent";
import { MATMUL_KERNELS } from "./matmul";
import { POOL_KERNELS } from "./pool";
import { REDUCE_KERNELS } from "./reduce";

export const NATIVE_KERNELS: readonly NativeKernel[] = [
  ...CONV_KERNELS,
  ...BATCH_NORM_KERNELS,
  ...ELTWISE_KERNELS,
  ...POOL_KERNELS,
  ...MATMUL_KERNELS,
  ...REDUCE_KERNELS,
  ...COPY_KERNELS,
  ...LSTM_KERNELS,
  ...XENT_KERNELS,
];

export {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  type BatchNormTrainAttrs,
} from "./batch_norm";
export { convGeometryArgs } from "./conv";
export { LSTM_CELL, LSTM_CELL_GRAD } from "./lstm";
export { SPARSE_XENT, SPARSE_XENT_GRAD } from "./xent";
export { broadcastOf, middleRepeat, repeatKind } from "./eltwise";
export { reductionView } from "./reduce";
export type { KernelCall, NativeKernel } from "./kernel";
export type { WasmBackend } from "./heap";
