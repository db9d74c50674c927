/**
 * Puts the native kernels over the wasm backend's, and takes them off
 * again. A native kernel that declines a call (returns null) passes it to
 * the kernel it displaced, so everything it does not handle still runs on
 * wasm.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "./addon";
import { NATIVE_KERNELS } from "./kernels";
import type { KernelCall } from "./kernels/kernel";

const displaced = new Map<string, tf.KernelConfig | undefined>();
const installed = new Map<string, tf.KernelConfig>();
let lastAddon: NativeAddon | null = null;
/** Wrappers made so far, by kernel, for the kernel they displaced. */
const made = new Map<string, { fallback: tf.KernelConfig | undefined; config: tf.KernelConfig }>();

/** Registers every native kernel for the wasm backend. Idempotent. */
export function registerNativeKernels(addon: NativeAddon): void {
  lastAddon = addon;
  for (const k of NATIVE_KERNELS) {
    const current = tf.getKernel(k.kernelName, "wasm");
    if (current !== undefined && current === installed.get(k.kernelName)) continue;
    const fallback = current;
    const config = wrapperFor(k, fallback, addon);
    if (current !== undefined) tf.unregisterKernel(k.kernelName, "wasm");
    tf.registerKernel(config);
    displaced.set(k.kernelName, fallback);
    installed.set(k.kernelName, config);
  }
}

/** The native kernel k over `fallback` (the same object each time). */
function wrapperFor(
  k: (typeof NATIVE_KERNELS)[number],
  fallback: tf.KernelConfig | undefined,
  addon: NativeAddon,
): tf.KernelConfig {
  const before = made.get(k.kernelName);
  if (before !== undefined && before.fallback === fallback) return before.config;
  const kernelFunc: tf.KernelFunc = (args) => {
    const call = args as unknown as KernelCall;
    const out = k.run(addon, call.attrs === undefined ? { ...call, attrs: {} } : call);
    if (out !== null) return out;
    if (fallback === undefined) {
      throw new Error(`${k.kernelName}: no wasm kernel for this call`);
    }
    return fallback.kernelFunc(args);
  };
  const config: tf.KernelConfig = {
    kernelName: k.kernelName,
    backendName: "wasm",
    kernelFunc,
  };
  // The displaced kernel keeps its set-up (stock wasm kernels bind
  // their wasm functions in setupFunc).
  if (fallback?.setupFunc) config.setupFunc = fallback.setupFunc;
  if (fallback?.disposeFunc) config.disposeFunc = fallback.disposeFunc;
  made.set(k.kernelName, { fallback, config });
  return config;
}

/** Puts back the kernels registerNativeKernels displaced. */
export function unregisterNativeKernels(): void {
  for (const [name, config] of installed) {
    if (tf.getKernel(name, "wasm") === config) tf.unregisterKernel(name, "wasm");
    const before = displaced.get(name);
    if (before !== undefined) tf.registerKernel(before);
  }
  installed.clear();
  displaced.clear();
}

/**
 * Runs fn (which registers wasm kernels) with the native kernels taken
 * off, then puts them back over whatever fn registered.
 */
export function withNativeKernelsOff(fn: () => void): void {
  const addon = installed.size > 0 ? lastAddon : null;
  if (addon !== null) unregisterNativeKernels();
  try {
    fn();
  } finally {
    if (addon !== null) registerNativeKernels(addon);
  }
}

/**
 * The wasm kernel registered under `name`, looking through a native
 * kernel to the one it displaced.
 */
export function wasmKernelBelow(name: string): tf.KernelConfig | undefined {
  const current = tf.getKernel(name, "wasm");
  if (current !== undefined && current === installed.get(name)) return displaced.get(name);
  return current;
}

/** True while the native kernels are registered. */
export function nativeKernelsActive(): boolean {
  return installed.size > 0;
}

/** Names of the kernels the native engine registers. */
export const NATIVE_KERNEL_NAMES: readonly string[] = NATIVE_KERNELS.map(
  (k) => k.kernelName,
);
