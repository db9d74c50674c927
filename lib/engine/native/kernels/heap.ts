/**
 * How native kernels reach tensors: every float32 tensor of the wasm
 * backend lives in the wasm heap at a byte offset. A kernel allocates its
 * outputs there (makeOutput), then hands the addon the heap and a block
 * of numbers (sizes, offsets, attributes); the addon reads and writes in
 * place, with no copies. The heap's view is taken after the outputs are
 * allocated, since an allocation can grow (and so replace) the heap.
 */
import type * as tf from "@tensorflow/tfjs";
import type { NativeKernelFn } from "../addon";

/** What native kernels use of tfjs-backend-wasm's BackendWasm. */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** Byte offset of a tensor's data in the heap; -1 for an absent one. */
export function offset(
  backend: WasmBackend,
  t: tf.TensorInfo | null | undefined,
): number {
  if (t === null || t === undefined) return -1;
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error("native kernel: tensor not on the wasm backend");
  return data.memoryOffset;
}

/**
 * A float32 output of `shape`, allocated in the heap. When the heap is
 * exhausted wasm's malloc returns 0 instead of failing; this throws an
 * "out of memory" error then (guardMemory turns it into the clear
 * EngineMemoryError), so that no kernel ever writes through address 0.
 */
export function output(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, "float32");
  if (offset(backend, out) === 0 && sizeOf(shape) > 0) {
    (backend as unknown as { disposeData(id: tf.DataId): void }).disposeData(out.dataId);
    throw new Error(`out of memory: the wasm heap cannot hold another ` +
      `${(sizeOf(shape) * 4 / 2 ** 20).toFixed(0)} MiB tensor [${shape}]`);
  }
  return out;
}

let block = new Float64Array(64);
const views = new Map<number, Float64Array>();

/** Calls a kernel entry point with `values` as its argument block. */
export function invoke(
  fn: NativeKernelFn,
  backend: WasmBackend,
  values: readonly number[],
): void {
  if (values.length > block.length) {
    block = new Float64Array(2 * values.length);
    views.clear();
  }
  block.set(values);
  let view = views.get(values.length);
  if (view === undefined) {
    view = block.subarray(0, values.length);
    views.set(values.length, view);
  }
  fn(backend.wasm.HEAPU8, view);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when every tensor is float32. */
export function allFloat(...ts: (tf.TensorInfo | undefined)[]): boolean {
  return ts.every((t) => t === undefined || t.dtype === "float32");
}
