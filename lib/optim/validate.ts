/**
 * Hyperparameter checks shared by every transformation and schedule.
 * Each throws at construction with an error that names the owner, the
 * parameter and the value, e.g. `adam: beta1 must be in [0, 1), got 1.5`.
 */

/** `owner: name must be a finite number, got v` unless v is finite. */
export function checkFinite(
  owner: string, name: string, v: number,
): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(
      `${owner}: ${name} must be a finite number, got ${v}`);
  }
}

/** v >= 0 (learning rates, weight decay). */
export function checkNonNegative(
  owner: string, name: string, v: number,
): void {
  checkFinite(owner, name, v);
  if (v < 0) {
    throw new RangeError(`${owner}: ${name} must be >= 0, got ${v}`);
  }
}

/** v > 0 (eps, clip norm, lengths). */
export function checkPositive(
  owner: string, name: string, v: number,
): void {
  checkFinite(owner, name, v);
  if (v <= 0) {
    throw new RangeError(`${owner}: ${name} must be > 0, got ${v}`);
  }
}

/** An integer >= min (steps, epochs, boundaries). */
export function checkInt(
  owner: string, name: string, v: number, min = 0,
): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(
      `${owner}: ${name} must be an integer >= ${min}, got ${v}`);
  }
}

/**
 * v in an interval; `bounds` is '[)', '()', '[]' or '(]', e.g.
 * checkInterval('adam', 'beta1', b1, 0, 1, '[)').
 */
export function checkInterval(
  owner: string, name: string, v: number,
  lo: number, hi: number, bounds: '[)' | '()' | '[]' | '(]',
): void {
  checkFinite(owner, name, v);
  const okLo = bounds[0] === '[' ? v >= lo : v > lo;
  const okHi = bounds[1] === ']' ? v <= hi : v < hi;
  if (!okLo || !okHi) {
    const range = `${bounds[0]}${lo}, ${hi}${bounds[1]}`;
    throw new RangeError(
      `${owner}: ${name} must be in ${range}, got ${v}`);
  }
}
