/** The shape of every native kernel in this folder. */
import type * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon";
import type { WasmBackend } from "./heap";

/** A kernel call's inputs, backend and attributes, as tfjs passes them. */
export interface KernelCall {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
}

export interface NativeKernel {
  /** The tfjs kernel it registers over (or a kernel of our own). */
  kernelName: string;
  /**
   * The outputs, or null when this call is not for the native path (a
   * dtype, layout or attribute it does not handle): then the wasm kernel
   * it displaced runs instead.
   */
  run(addon: NativeAddon, call: KernelCall): tf.TensorInfo | tf.TensorInfo[] | null;
}
