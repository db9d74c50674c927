/**
 * `verdict`: a comparison of two optimizers' results over seeds turned
 * into "supported" / "not supported" / "inconclusive" with a one-line
 * reason.
 *
 * The rule: d = how much better A is than B (B's mean minus A's when
 * lower is better); se = the Welch standard error of d from the seeds'
 * spread. A difference counts only beyond `k` standard errors (default
 * 2, about a 95% interval with many seeds; with 3 seeds a side, a
 * rough guide). So:
 * - claim "better":  d > k se -> supported; d < -k se -> not supported;
 *   else inconclusive (within the seed spread).
 * - claim "noWorse" (matches or beats): d > k se -> supported (beats);
 *   |d| + k se <= tolerance -> supported (matches within tolerance);
 *   d < -max(k se, tolerance) -> not supported; else inconclusive.
 * Fewer than 2 finished runs on a side: inconclusive (no spread to
 * judge by), whatever the difference.
 */
import type { Verdict } from "../report/types";
import { pct, points } from "../report/numbers";
import { diffStdError, type Stats } from "./stats";

export interface VerdictOptions {
  /** Lower values are better (errors, perplexity); default true. */
  lowerIsBetter?: boolean;
  /** "better" (A beats B) or "noWorse" (A matches or beats B); default "better". */
  claim?: "better" | "noWorse";
  /** For "noWorse": a difference this small counts as a match; default 0. */
  tolerance?: number;
  /** Standard errors a difference must exceed; default 2. */
  k?: number;
  /** How values print: "error" (fractions as %), "perplexity", or "raw" (default). */
  unit?: "error" | "perplexity" | "raw";
}

export interface VerdictResult {
  verdict: Verdict;
  /** One line: the numbers and why. */
  reason: string;
  /** A's improvement over B (positive: A better); null without data. */
  difference: number | null;
  /** k x the standard error of the difference; null with < 2 runs a side. */
  threshold: number | null;
}

function fmt(x: number, unit: VerdictOptions["unit"]): string {
  if (unit === "error") return pct(x);
  if (unit === "perplexity") return x.toFixed(1);
  return Number(x.toPrecision(4)).toString();
}

function fmtDiff(x: number, unit: VerdictOptions["unit"]): string {
  if (unit === "error") return points(x);
  return fmt(x, unit);
}

/**
 * Compares A with B (named `a`, `b` in the reason) from their stats over
 * seeds, for the claim that A is better (or no worse).
 */
export function verdict(
  a: Stats | null,
  b: Stats | null,
  names: { a: string; b: string },
  opts: VerdictOptions = {},
): VerdictResult {
  const { lowerIsBetter = true, claim = "better", tolerance = 0, k = 2, unit = "raw" } = opts;
  if (a === null || b === null) {
    const none = [a === null ? names.a : null, b === null ? names.b : null].filter((x) => x !== null);
    return {
      verdict: "inconclusive", difference: null, threshold: null,
      reason: `no finished runs of ${none.join(" and ")}`,
    };
  }
  const d = lowerIsBetter ? b.mean - a.mean : a.mean - b.mean;
  const runs = (s: Stats) => `${s.n} run${s.n === 1 ? "" : "s"}`;
  const head = `${names.a} ${fmt(a.mean, unit)} (${runs(a)}) vs ${names.b} ${fmt(b.mean, unit)} (${runs(b)})`;
  const dir = d >= 0 ? "better" : "worse";
  const by = `${names.a} ${fmtDiff(Math.abs(d), unit)} ${dir}`;
  const se = diffStdError(a, b);
  if (se === null) {
    return {
      verdict: "inconclusive", difference: d, threshold: null,
      reason: `${head}: ${by}; fewer than 2 runs a side, no seed spread to judge it by`,
    };
  }
  const t = k * se;
  const spread = `${k} SE = ${fmtDiff(t, unit)}`;
  if (d > t) {
    return {
      verdict: "supported", difference: d, threshold: t,
      reason: `${head}: ${by}, beyond the seed spread (${spread})`,
    };
  }
  if (claim === "noWorse") {
    if (Math.abs(d) + t <= tolerance) {
      return {
        verdict: "supported", difference: d, threshold: t,
        reason: `${head}: a match, the difference and its spread (${spread}) within ` +
          `the tolerance ${fmtDiff(tolerance, unit)}`,
      };
    }
    if (d < -Math.max(t, tolerance)) {
      return {
        verdict: "not supported", difference: d, threshold: t,
        reason: `${head}: ${by}, beyond the seed spread (${spread})` +
          (tolerance > 0 ? ` and the tolerance ${fmtDiff(tolerance, unit)}` : ""),
      };
    }
    return {
      verdict: "inconclusive", difference: d, threshold: t,
      reason: `${head}: ${by}, within the seed spread (${spread}); consistent with a match, not resolved`,
    };
  }
  if (d < -t) {
    return {
      verdict: "not supported", difference: d, threshold: t,
      reason: `${head}: ${by}, beyond the seed spread (${spread})`,
    };
  }
  return {
    verdict: "inconclusive", difference: d, threshold: t,
    reason: `${head}: ${by}, within the seed spread (${spread})`,
  };
}

/**
 * Several verdicts that must all hold (e.g. SGDL vs SGDM, vs Adam, vs
 * AdaDelta): supported if all are, not supported if any is not,
 * otherwise inconclusive.
 */
export function allOf(vs: readonly VerdictResult[]): Verdict {
  if (vs.length === 0) return "not run";
  if (vs.some((v) => v.verdict === "not supported")) return "not supported";
  if (vs.every((v) => v.verdict === "supported")) return "supported";
  return "inconclusive";
}
