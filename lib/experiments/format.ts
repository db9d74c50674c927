/** Number formats shared by plans, tables and claims. */

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
