/**
 * Shared helpers for the engine tests: seeded random data, running one
 * computation on both the pure-JS 'cpu' backend and 'wasm', and the
 * error measure used to compare them.
 *
 * 'wasm' here is the engine under test: wasm with this project's
 * kernels, plus the native engine's oneDNN kernels over them where the
 * addon loads, unless SGDL_BACKEND=wasm (CI runs the engine tests both
 * ways, so the plain wasm fallback stays tested).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {registerWasmKernels} from '../../../lib/engine/kernels';
import {loadAddon, registerNativeKernels} from '../../../lib/engine/native';

/** "native" when the native kernels are under test, else "wasm". */
export const ENGINE_UNDER_TEST: 'native' | 'wasm' =
  process.env['SGDL_BACKEND'] !== 'wasm' && 'addon' in loadAddon() ?
    'native' : 'wasm';

/** Initialises wasm with this project's kernels; leaves wasm active. */
export async function initWasm(): Promise<void> {
  registerWasmKernels();
  await tf.setBackend('wasm');
  await tf.ready();
  const native = loadAddon();
  if (ENGINE_UNDER_TEST === 'native' && 'addon' in native) {
    // Two threads: the OpenMP paths are the ones training takes.
    native.addon.setThreads(2);
    registerNativeKernels(native.addon);
  }
}

/** A fresh seed per call; tests print it so a failure can be rerun. */
export function freshSeed(): number {
  const env = process.env['ENGINE_TEST_SEED'];
  return env ? Number(env) : Math.floor(Math.random() * 2 ** 31);
}

/** mulberry32: small, fast, seeded uniform generator on [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n standard normal draws (Box-Muller), times scale. */
export function normals(
  next: () => number, n: number, scale = 1,
): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - next();
    const v = next();
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** n integers uniform in [0, k). */
export function ints(next: () => number, n: number, k: number): Int32Array {
  return Int32Array.from({length: n}, () => Math.floor(next() * k));
}

/**
 * Runs fn on the named backend and returns its tensors' values.
 * fn must build its tensors from plain arrays, so that both backends see
 * identical inputs; everything it creates is disposed.
 */
export async function runOn(
  backend: 'cpu' | 'wasm', fn: () => tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

/**
 * Relative error of a against the reference b:
 * max_i |a_i - b_i| / max(max_i |b_i|, 1e-6). Scaling by the largest
 * reference magnitude (not elementwise) keeps near-zero entries, which
 * float32 sums cannot reproduce exactly, from dominating.
 */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Infinity;
    diff = Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/**
 * Computes fn on cpu (reference) and wasm and returns the worst relative
 * error over its outputs, with a label per output for messages.
 */
export async function compareBackends(
  fn: () => tf.Tensor[],
): Promise<{worst: number; errors: number[]}> {
  const ref = await runOn('cpu', fn);
  const got = await runOn('wasm', fn);
  if (ref.length !== got.length) throw new Error('output count differs');
  const errors = got.map((g, i) => relErr(g, ref[i]!));
  return {worst: Math.max(...errors), errors};
}
