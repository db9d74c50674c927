/**
 * lib/engine: the tensor engine.
 *
 * - initEngine / engineInfo / describeEngine: pick and start the fastest
 *   TensorFlow.js backend (node-gpu, node, wasm, cpu); EngineInfo goes into
 *   every run record.
 * - guardMemory / EngineMemoryError: a clear error instead of a wasm abort
 *   when the 4 GiB wasm heap runs out.
 * - registerWasmKernels: the gradient kernels stock wasm lacks (also done
 *   by initEngine).
 * - ops: training ops with fast hand-written gradients (batch norm).
 * - namedGrads: gradients keyed by our parameter names.
 */
export {
  describeEngine,
  EngineUnavailableError,
  engineInfo,
  initEngine,
  type EngineInfo,
  type EngineOptions,
} from "./engine";
export { BACKENDS, BACKEND_SPECS, type BackendName } from "./backends";
export {
  EngineMemoryError,
  engineMemoryFailure,
  guardMemory,
  guardMemoryAsync,
  isWasmMemoryFailure,
  memoryMessage,
  wasmHeap,
  type MemoryContext,
} from "./memory";
export { registerWasmKernels } from "./kernels";
export * from "./ops";
export { namedGrads } from "./named_grads";
