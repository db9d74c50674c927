/**
 * Argument checks shared by the model constructors. Each error names
 * the model and the parameter, e.g. "vgg16: numClasses must be a whole
 * number >= 1, got 0".
 */

/** A whole number >= min (default 1). */
export function checkInt(
  model: string, name: string, v: number, min = 1,
): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`${model}: ${name} must be a whole number >= ${min}, ` +
      `got ${v}`);
  }
}

/** A dropout probability: 0 <= v < 1. */
export function checkRate(model: string, name: string, v: number): void {
  if (!(typeof v === "number" && v >= 0 && v < 1)) {
    throw new Error(`${model}: ${name} must be in [0, 1), got ${v}`);
  }
}

/** A seed: a whole number >= 0. */
export function checkSeed(model: string, v: number): void {
  checkInt(model, "seed", v, 0);
}

/**
 * `cfg` over `defaults`, where a field left out or `undefined` keeps
 * its default (as destructuring defaults do).
 */
export function withDefaults<T extends object>(defaults: Partial<Required<T>>, cfg: T): Required<T> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(cfg)) if (v !== undefined) out[k] = v;
  return out as Required<T>;
}
