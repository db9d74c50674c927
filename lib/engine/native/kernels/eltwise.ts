/**
 * Element-wise kernels (src/eltwise.cc): Add, Sub, Mul, RealDiv, Maximum,
 * Minimum, SquaredDifference with the broadcasts training uses, and the
 * float unary ops.
 *
 * addon.binary block: op, broadcast, n (output size), inner, a, b, out,
 * mid (the repeated axes' size of a middle broadcast, else 1).
 * addon.unary block: op, n, x, y, alpha.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon";
import { allFloat, invoke, offset, output, sizeOf } from "./heap";
import type { NativeKernel } from "./kernel";

/** Broadcast codes of eltwise.cc. */
const SAME = 0;
const B_INNER = 1;
const A_INNER = 2;
const B_OUTER = 3;
const A_OUTER = 4;
const B_MIDDLE = 5;
const A_MIDDLE = 6;

/**
 * How `small` repeats to fill `out` (both right-aligned as in numpy):
 * "inner" when it matches out's trailing axes and is 1 elsewhere (a bias
 * over channels), "outer" when it matches the leading axes and is 1 after
 * them (a per-row value), null otherwise.
 */
export function repeatKind(
  small: readonly number[],
  out: readonly number[],
): { kind: "inner" | "outer"; inner: number } | null {
  const padded = [...Array<number>(out.length - small.length).fill(1), ...small];
  const size = sizeOf(small);
  // inner: ones, then out's own dims.
  let k = 0;
  while (k < out.length && padded[k] === 1 && out[k] !== 1) k++;
  if (padded.slice(k).every((d, i) => d === out[k + i])) {
    return { kind: "inner", inner: Math.max(size, 1) };
  }
  // outer: out's own dims, then ones.
  let j = out.length;
  while (j > 0 && padded[j - 1] === 1 && out[j - 1] !== 1) j--;
  if (padded.slice(0, j).every((d, i) => d === out[i])) {
    return { kind: "outer", inner: sizeOf(out) / Math.max(size, 1) };
  }
  return null;
}

/**
 * A `small` that matches out's leading and trailing axes and is 1 on a
 * run of axes between them ([B, 1, H] against [B, T, H]: a mask shared
 * over time): the sizes of the three parts, or null.
 */
export function middleRepeat(
  small: readonly number[],
  out: readonly number[],
): { mid: number; inner: number } | null {
  const padded = [...Array<number>(out.length - small.length).fill(1), ...small];
  const differs = out.map((d, k) => padded[k] !== d);
  const p = differs.indexOf(true);
  const q = differs.lastIndexOf(true) + 1;
  if (p <= 0 || q >= out.length) return null; // no leading or no trailing part
  if (padded.slice(p, q).some((d) => d !== 1)) return null;
  return { mid: sizeOf(out.slice(p, q)), inner: sizeOf(out.slice(q)) };
}

/**
 * The broadcast code, inner size and middle size for a op b, or null if
 * unsupported.
 */
export function broadcastOf(
  a: readonly number[],
  b: readonly number[],
  out: readonly number[],
): [number, number, number] | null {
  const n = sizeOf(out);
  const na = sizeOf(a);
  const nb = sizeOf(b);
  if (na === n && nb === n) {
    return sameShape(a, out) && sameShape(b, out) ? [SAME, Math.max(n, 1), 1] : null;
  }
  for (const [full, small, codes] of [
    [a, b, [B_INNER, B_OUTER, B_MIDDLE]], [b, a, [A_INNER, A_OUTER, A_MIDDLE]],
  ] as const) {
    if (sizeOf(full) !== n || !sameShape(full, out)) continue;
    const r = repeatKind(small, out);
    if (r !== null) return [r.kind === "inner" ? codes[0] : codes[1], r.inner, 1];
    const m = middleRepeat(small, out);
    if (m !== null) return [codes[2], m.inner, m.mid];
  }
  return null;
}

/** Same dims once leading ones are ignored. */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  const strip = (s: readonly number[]) => {
    let i = 0;
    while (i < s.length && s[i] === 1) i++;
    return s.slice(i);
  };
  const x = strip(a);
  const y = strip(b);
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

function binaryKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run(addon: NativeAddon, { inputs, backend }) {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (!allFloat(a, b)) return null;
      const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const n = sizeOf(shape);
      if (n === 0) return null;
      const bc = broadcastOf(a.shape, b.shape, shape);
      if (bc === null) return null;
      const out = output(backend, shape);
      invoke(addon.binary, backend, [op, bc[0], n, bc[1], offset(backend, a),
        offset(backend, b), offset(backend, out), bc[2]]);
      return out;
    },
  };
}

function unaryKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run(addon: NativeAddon, { inputs, backend, attrs }) {
      const { x } = inputs as { x: tf.TensorInfo };
      if (!allFloat(x)) return null;
      const n = sizeOf(x.shape);
      if (n === 0) return null;
      const y = output(backend, [...x.shape]);
      const alpha = typeof attrs["alpha"] === "number" ? attrs["alpha"] : 0;
      invoke(addon.unary, backend, [op, n, offset(backend, x),
        offset(backend, y), alpha]);
      return y;
    },
  };
}

const BINARY: Array<[string, number]> = [
  [tf.Add, 0], [tf.Sub, 1], [tf.Multiply, 2], [tf.RealDiv, 3], [tf.Maximum, 4],
  [tf.Minimum, 5], [tf.SquaredDifference, 6],
];

const UNARY: Array<[string, number]> = [
  [tf.Relu, 0], [tf.Step, 1], [tf.Neg, 2], [tf.Square, 3], [tf.Sqrt, 4],
  [tf.Rsqrt, 5], [tf.Abs, 6], [tf.Exp, 7], [tf.Log, 8], [tf.Sigmoid, 9],
  [tf.Tanh, 10],
];

export const ELTWISE_KERNELS: readonly NativeKernel[] = [
  ...BINARY.map(([name, op]) => binaryKernel(name, op)),
  ...UNARY.map(([name, op]) => unaryKernel(name, op)),
];
