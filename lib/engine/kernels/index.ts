/**
 * Registers the kernels the stock wasm backend needs to train the
 * paper's models (conv nets, embeddings) and, deliberately, replacements
 * for stock wasm kernels found slow (bench/kernels.ts) or wrong
 * (test/engine/kernels.test.ts).
 *
 * Safe to call any number of times, before or after tf.setBackend: the
 * kernels run public ops (the BatchMatMul wrapper keeps the stock setup).
 */
import * as tf from '@tensorflow/tfjs';
// The stock wasm kernels must be registered first: some are replaced.
import '@tensorflow/tfjs-backend-wasm';
import {batchMatMulConfig} from './batch_mat_mul';
import {conv2dBackpropFilterConfig} from './conv2d_backprop_filter';
import {conv2dBackpropInputConfig} from './conv2d_backprop_input';
import {identityConfig} from './identity';
import {maxPoolGradConfig} from './max_pool_grad';
import {unsortedSegmentSumConfig} from './unsorted_segment_sum';
import {wasmKernelBelow, withNativeKernelsOff} from '../native/register';

/** Kernels wasm lacks; registered only where none is registered yet. */
export const ADDED_WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  unsortedSegmentSumConfig,
];

/** Builds a replacement from the stock config it displaces. */
type Replacement = (stock: tf.KernelConfig) => tf.KernelConfig;

/**
 * Stock wasm kernels replaced on purpose, and why:
 * - Conv2DBackpropInput: 2-10x faster as forward convs;
 * - MaxPoolGrad: the stock one returns wrong gradients (windows holding
 *   zeros or negatives, 2x2 windows, ...);
 * - Identity: the stock one copies every tensor saved for backprop;
 * - BatchMatMul: transposed operands are made explicit (up to ~6x faster
 *   matMul gradients); the stock kernel does the products.
 */
export const REPLACED_WASM_KERNELS: Readonly<Record<string, Replacement>> = {
  [tf.Conv2DBackpropInput]: () => conv2dBackpropInputConfig,
  [tf.MaxPoolGrad]: () => maxPoolGradConfig,
  [tf.Identity]: () => identityConfig,
  [tf.BatchMatMul]: batchMatMulConfig,
};

/** Names of every kernel registerWasmKernels puts in place. */
export const WASM_KERNEL_NAMES: readonly string[] = [
  ...ADDED_WASM_KERNELS.map((c) => c.kernelName),
  ...Object.keys(REPLACED_WASM_KERNELS),
];

/** Our replacements in place, and the stock configs they displaced. */
const ours = new Map<string, tf.KernelConfig>();
const stock = new Map<string, tf.KernelConfig>();

/**
 * Registers ADDED_WASM_KERNELS where missing and REPLACED_WASM_KERNELS
 * over the stock ones. {replace: false} keeps the stock kernels; that is
 * for benchmarks only, as the stock MaxPoolGrad is wrong.
 */
export function registerWasmKernels(options: {replace?: boolean} = {}): void {
  // The native engine's kernels, when on, sit above these: keep them so.
  withNativeKernelsOff(() => registerBelowNative(options));
}

function registerBelowNative(options: {replace?: boolean}): void {
  for (const config of ADDED_WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) {
      tf.registerKernel(config);
    }
  }
  if (options.replace === false) return;
  for (const [name, make] of Object.entries(REPLACED_WASM_KERNELS)) {
    const current = tf.getKernel(name, 'wasm');
    if (current === undefined || current === ours.get(name)) continue;
    const config = make(current);
    stock.set(name, current);
    ours.set(name, config);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

/** Names of the kernels now registered for wasm that are this module's. */
export function installedWasmKernels(): string[] {
  return WASM_KERNEL_NAMES.filter((name) => {
    const current = wasmKernelBelow(name);
    return current !== undefined && (current === ours.get(name) ||
      ADDED_WASM_KERNELS.includes(current));
  });
}

/** Puts back the stock wasm kernels that registerWasmKernels replaced. */
export function restoreStockWasmKernels(): void {
  withNativeKernelsOff(restoreBelowNative);
}

function restoreBelowNative(): void {
  const backend = tf.findBackend('wasm');
  for (const [name, config] of stock) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    // A stock kernel registered before wasm started was never set up.
    if (backend && config.setupFunc) config.setupFunc(backend);
  }
  stock.clear();
  ours.clear();
}
