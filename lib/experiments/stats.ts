/**
 * Mean and spread of a few numbers (seeds): what every figure and
 * table of the experiments reports (STYLE.md 7: mean and spread, never
 * a single run dressed as a finding).
 */

export interface Stats {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  std: number;
  min: number;
  max: number;
  n: number;
}

/** Stats of the finite values; null when there are none. */
export function summarize(values: ReadonlyArray<number | null | undefined>): Stats | null {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...xs),
    max: Math.max(...xs),
    n,
  };
}

/** Standard error of the difference of two means (Welch); null below 2 values a side. */
export function diffStdError(a: Stats, b: Stats): number | null {
  if (a.n < 2 || b.n < 2) return null;
  return Math.sqrt(a.std ** 2 / a.n + b.std ** 2 / b.n);
}
