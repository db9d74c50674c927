/** Summary statistics for Monte Carlo runs (plain numbers in, out). */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

/** Sample variance (n - 1 in the denominator). */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - m) ** 2;
  return xs.length > 1 ? s / (xs.length - 1) : 0;
}

/** Standard error of the mean. */
export function stdErr(xs: ArrayLike<number>): number {
  return Math.sqrt(variance(xs) / xs.length);
}

/** Quantile with linear interpolation (type 7, as numpy's default). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs).sort();
  return quantileSorted(s, q);
}

export function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] as number) + (h - lo) * ((s[hi] as number) - (s[lo] as number));
}

/** Wilson score interval for a binomial proportion (z = 1.96: 95%). */
export function wilson(successes: number, n: number, z = 1.96): { lo: number; hi: number } {
  if (n === 0) return { lo: 0, hi: 1 };
  const p = successes / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Evenly spaced grid of `count` points from lo to hi inclusive. */
export function linspace(lo: number, hi: number, count: number): number[] {
  if (count === 1) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

/** Geometric grid of `count` points from lo to hi inclusive (lo, hi > 0). */
export function geomspace(lo: number, hi: number, count: number): number[] {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return linspace(a, b, count).map(Math.exp);
}

/**
 * Largest x in [lo, hi] with pred(x) true, assuming pred is true at lo and
 * false at hi and flips once in between (bisection to `tol`).
 */
export function bisectLast(
  pred: (x: number) => boolean,
  lo: number,
  hi: number,
  tol = 1e-6,
): number {
  let a = lo;
  let b = hi;
  while (b - a > tol * Math.max(1, Math.abs(a))) {
    const c = 0.5 * (a + b);
    if (pred(c)) a = c;
    else b = c;
  }
  return a;
}

/**
 * Largest grid point where pred holds before it first fails, refined by
 * bisection towards the next grid point; `null` if it fails at grid[0],
 * the last grid point if it never fails.
 */
export function thresholdOnGrid(
  grid: readonly number[],
  pred: (x: number) => boolean,
  tol = 1e-6,
): number | null {
  if (grid.length === 0 || !pred(grid[0] as number)) return null;
  for (let i = 1; i < grid.length; i++) {
    if (!pred(grid[i] as number)) {
      return bisectLast(pred, grid[i - 1] as number, grid[i] as number, tol);
    }
  }
  return grid[grid.length - 1] as number;
}
