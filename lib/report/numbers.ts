/**
 * Number formats, one place for the whole report: table cells, learning
 * rates, percentages and percentage points, significant digits.
 */

/** A number for a table cell: integers as they are, others to `digits`. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** An lr without float noise: 0.025, 0.0005, 1.2. */
export function fmtLr(lr: number): string {
  return String(Number(lr.toPrecision(6)));
}

/** A fraction as percent: 0.2534 -> "25.34%". */
export function pct(x: number, digits = 2): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** A fraction difference as percentage points: 0.012 -> "1.20 points". */
export function points(x: number, digits = 2): string {
  return `${(100 * x).toFixed(digits)} points`;
}

/** A number in `d` significant digits; "none" for null; Infinity and NaN as words. */
export function sig(v: number | null, d = 3): string {
  return v === null ? "none" : Number.isFinite(v) ? v.toPrecision(d) : String(v);
}
