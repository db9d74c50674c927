/** Seeded shuffling (Fisher-Yates / Durstenfeld). */
import type { Rng } from "../rng";

type Writable<T> = { length: number; [i: number]: T };

/** Shuffles in place and returns the same array. */
export function shuffleInPlace<T, A extends Writable<T>>(a: A, rng: Rng): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** A random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace<number, Int32Array>(p, rng);
}
