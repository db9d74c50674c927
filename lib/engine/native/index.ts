/**
 * lib/engine/native: the native engine, oneDNN kernels under the wasm
 * backend (a C++ Node-API addon in src/, built by `npm run setup`).
 *
 * - loadAddon / NativeAddon / NativeInfo / ADDON_PATH / BUILD_HINT: the
 *   addon, or why it is unavailable.
 * - registerNativeKernels / unregisterNativeKernels / nativeKernelsActive:
 *   put its kernels over wasm's (initEngine does this for "native").
 * - NATIVE_KERNEL_NAMES: the tfjs kernels it replaces.
 * - BATCH_NORM_TRAIN(_GRAD), LSTM_CELL(_GRAD): its fused batch-norm and
 *   LSTM-cell kernels (used by lib/engine/ops when registered).
 */
export {
  ADDON_PATH,
  BUILD_HINT,
  loadAddon,
  type NativeAddon,
  type NativeInfo,
} from "./addon";
export {
  NATIVE_KERNEL_NAMES,
  nativeKernelsActive,
  registerNativeKernels,
  unregisterNativeKernels,
} from "./register";
export {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  type BatchNormTrainAttrs,
  LSTM_CELL,
  LSTM_CELL_GRAD,
} from "./kernels";
