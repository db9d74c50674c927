/**
 * Section 4's results as what the report shows: each figure as traces,
 * layout, caption, the paper's sentence and ours; each table as rows and
 * a caption; each claim with its verdict. The notebook (04-theory) calls
 * one function per figure, table and claim:
 *
 *   const t1 = theorem1(cfg.theorem1);
 *   await s.figure("theorem1-error", ...figureArgs(theorem1Figure(t1, profile)));
 *   s.claim(theorem1Claim(t1, profile));
 *
 * The claims' words and the paper's are lib/paper's PAPER_CLAIMS.
 */
import { PAPER_CLAIMS, type ClaimKind } from "../paper";
import { sig } from "../report/numbers";
import type { PlotLayout, PlotTrace, Verdict } from "../report/types";
import type { ContractionStudy, Theorem1Result, Theorem3Result } from "./section4";

/** A figure as lib/report's figure() takes it. */
export interface FigureView {
  traces: PlotTrace[];
  layout: PlotLayout;
  caption: string;
  paper: string;
  ours: string;
}

/** A table as lib/report's table() takes it. */
export interface TableView {
  rows: Array<Record<string, string | number | boolean | null>>;
  caption: string;
}

/** A claim as lib/report's claim() takes it (section filled in by the Section). */
export interface ClaimView {
  id: string;
  paper: string;
  ours: string;
  verdict: Verdict;
  evidence: string[];
}

/** [traces, layout, options] for `s.figure(name, ...figureArgs(view))`. */
export function figureArgs(v: FigureView): [PlotTrace[], PlotLayout, { caption: string; paper: string; ours: string }] {
  return [v.traces, v.layout, { caption: v.caption, paper: v.paper, ours: v.ours }];
}


const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
const color = (i: number): string => COLORS[i % COLORS.length]!;

/** A claim of lib/paper's PAPER_CLAIMS (its id is its kind) with what we found. */
export function claimOf(kind: ClaimKind, ours: string, verdict: Verdict, evidence: string[]): ClaimView {
  return { id: kind, paper: PAPER_CLAIMS[kind].paper, ours, verdict, evidence };
}

// ---- Theorem 1 ----------------------------------------------------------

/** The steps whose transient is over: the realizable run is below a tenth of the noisy floor. */
function settled(t1: Theorem1Result): number[] {
  return t1.alphas.filter((a) => {
    const real = t1.floors.find((f) => f.problem === "realizable" && f.alpha === a)!;
    const noisy = t1.floors.find((f) => f.problem === "noisy" && f.alpha === a)!;
    return real.mc < 0.1 * noisy.exact;
  });
}

const floorsOf = (t1: Theorem1Result, p: "realizable" | "noisy") => t1.floors.filter((f) => f.problem === p);

/** One line about the Theorem 1 run, printed before its figure. */
export function theorem1Text(t1: Theorem1Result): string {
  const c = t1.settings;
  return `d = ${c.dim}, N = ${c.n}, ${c.runs} runs x ${c.steps} steps; mean-square limit alpha = ` +
    `${sig(t1.alphaMeanSquare)}; interpolation: realizable ${t1.interpolation.realizable}, ` +
    `noisy ${t1.interpolation.noisy}`;
}

/** E||x_k - x*||^2 by step, realizable (solid) against noisy (dashed), with the 10-90% band. */
export function theorem1Figure(t1: Theorem1Result, profile: string): FigureView {
  const c = t1.settings;
  const traces: PlotTrace[] = t1.curves.flatMap((cv) => {
    const col = color(t1.alphas.indexOf(cv.alpha));
    const name = `${cv.problem}, alpha = ${sig(cv.alpha)}`;
    return [
      { type: "scatter", mode: "lines", name: `${name} (10-90%)`, showlegend: false,
        x: [...cv.k, ...cv.k.slice().reverse()], y: [...cv.q90, ...cv.q10.slice().reverse()],
        fill: "toself", fillcolor: `${col}22`, line: { width: 0 }, hoverinfo: "skip" },
      { type: "scatter", mode: "lines", name, x: cv.k, y: cv.mean,
        line: { color: col, width: 2, dash: cv.problem === "noisy" ? "dash" : "solid" } },
    ];
  });
  const noisy = floorsOf(t1, "noisy");
  return {
    traces,
    layout: {
      xaxis: { title: { text: "step k" } },
      yaxis: { title: { text: "E||x_k - x*||²" }, type: "log", exponentformat: "power" },
      height: 480, legend: { orientation: "h", y: -0.28 },
    },
    caption: `SGD-CS on least squares (d = ${c.dim}, N = ${c.n}, ` +
      `batch ${c.batch}): mean of ||x_k - x*||² over ${c.runs} runs ` +
      `(lines) and the 10-90% band, realizable (solid) vs noisy targets (dashed, noise ` +
      `${c.noise}), for steps at ${c.alphaFractions.join(", ")} of the ` +
      `mean-square limit ${sig(t1.alphaMeanSquare)}; profile ${profile}.`,
    paper: "Theorem 1: if x* is a point of attraction, then grad f_i(x*) = 0 for all i.",
    ours: `Realizable runs reach ${floorsOf(t1, "realizable").map((f) => sig(f.mc, 2)).join(", ")} ` +
      `(last quarter, by step); noisy runs stall at ${noisy.map((f) => sig(f.mc, 2)).join(", ")} ` +
      `(exact floors ${noisy.map((f) => sig(f.exact, 2)).join(", ")}).`,
  };
}

/** The floors: Monte Carlo over the last quarter against the exact stationary value. */
export function theorem1Floors(t1: Theorem1Result, profile: string): TableView {
  const over = settled(t1);
  return {
    rows: t1.floors.map((f) => ({
      problem: f.problem, alpha: f.alpha,
      "MC floor (mean of last quarter)": f.mc, "standard error": f.mcSe,
      "exact stationary E||x - x*||^2": f.exact,
      "transient over": over.includes(f.alpha),
    })),
    caption: `Theorem 1: E||x_k - x*||² averaged over the last quarter of ` +
      `${t1.settings.steps} steps (Monte Carlo, ${t1.settings.runs} runs) against the exact ` +
      `stationary value; "transient over" when the realizable run is below a tenth of the ` +
      `noisy floor. Profile ${profile}.`,
  };
}

/**
 * Supported when, at every step whose transient is over (at least two),
 * the noisy runs sit at the exact floor (within 3 standard errors or
 * 20%), the floor grows with the step, and the realizable runs go far
 * below it.
 */
export function theorem1Claim(t1: Theorem1Result, profile: string): ClaimView {
  const over = settled(t1);
  const noisy = floorsOf(t1, "noisy");
  const real = floorsOf(t1, "realizable");
  const floorsMatch = over.every((a) => {
    const f = noisy.find((x) => x.alpha === a)!;
    return Math.abs(f.mc - f.exact) <= Math.max(3 * f.mcSe, 0.2 * f.exact);
  });
  const mc = over.map((a) => noisy.find((x) => x.alpha === a)!.mc);
  const growing = mc.every((v, i) => i === 0 || v > mc[i - 1]!);
  return claimOf("thm1-interpolation-necessary",
    `Noisy least squares stalls at E||x - x*||² = ${mc.map((v) => sig(v, 2)).join(", ")} ` +
    `for alpha = ${over.map((a) => sig(a, 2)).join(", ")} (exact floors agree: ${floorsMatch}; ` +
    `growing with alpha: ${growing}) while the realizable runs reach ` +
    `${over.map((a) => sig(real.find((x) => x.alpha === a)!.mc, 2)).join(", ")} ` +
    `(profile ${profile}).`,
    over.length >= 2 && floorsMatch && growing ? "supported" : "inconclusive",
    ["theorem1-error", "theorem1-floors"]);
}

// ---- Theorem 2 ----------------------------------------------------------

/** Every grid step with rho(alpha) < 1 contracts, within the bound. */
export function boundHolds(r: ContractionStudy): boolean {
  return r.alphas.every((_, i) => !(r.rhoBound[i]! < 1) || (r.observed[i]!.rate < 1 && r.boundHolds[i]!));
}

/** Grid steps with rho(alpha) < 1. */
export function stepsBelow(r: ContractionStudy): number {
  return r.rhoBound.filter((v) => v < 1).length;
}

/** The bound, the exact rate and the observed contraction against alpha, with the two step limits. */
function rhoTraces(r: ContractionStudy): PlotTrace[] {
  const a = r.alphas;
  const ok = (v: number) => (Number.isFinite(v) ? v : null);
  const vline = (x: number | null, name: string, col: string): PlotTrace[] => x === null ? [] : [{
    type: "scatter", mode: "lines", name, x: [x, x], y: [0.8, 1.3],
    line: { color: col, width: 1.5, dash: "dot" } }];
  const sameBound = r.rhoBound.every((v, i) => v === r.rhoBoundPaper[i]);
  return [
    { type: "scatter", mode: "lines", name: "Theorem 2 bound rho(alpha)", x: a, y: r.rhoBound,
      line: { color: color(0) } },
    ...(sameBound ? [] : [{ type: "scatter", mode: "lines", name: "bound as stated (m-free)",
      x: a, y: r.rhoBoundPaper, line: { color: color(0), dash: "dash" } }]),
    { type: "scatter", mode: "lines", name: "exact mean-square rate rho(S)", x: a, y: r.rhoExact,
      line: { color: color(2) } },
    { type: "scatter", mode: "markers", name: "observed (Monte Carlo)", x: a,
      y: r.observed.map((c) => ok(c.rate)), marker: { color: color(3), size: 7 },
      error_y: { type: "data", symmetric: false, color: color(3),
        array: r.observed.map((c) => ok(c.hi - c.rate)),
        arrayminus: r.observed.map((c) => ok(c.rate - c.lo)) } },
    { type: "scatter", mode: "lines", name: "rate 1", x: [a[0]!, a[a.length - 1]!], y: [1, 1],
      line: { color: "#888", width: 1 } },
    ...vline(r.thresholds.alphaBound, "largest alpha with rho(alpha) < 1", color(0)),
    ...vline(r.thresholds.alphaObserved, "largest alpha observed to contract", color(3)),
  ];
}

const RHO_LAYOUT: PlotLayout = {
  xaxis: { title: { text: "step alpha" } },
  yaxis: { title: { text: "contraction of E||x_k - x*||² per step" }, range: [0.8, 1.3] },
  height: 480, legend: { orientation: "h", y: -0.28 },
};

type Study = ContractionStudy & { settings: { runs: number } };

/** One line about a Theorem 2 study, printed before its figure. */
export function theorem2Text(r: Study): string {
  const t = r.thresholds;
  return r.lipschitz === 0
    ? `quadratic: largest alpha with rho < 1: ${sig(t.alphaBound)}; exact mean-square limit ` +
      `${sig(t.alphaMeanSquare)}; observed to contract up to ${sig(t.alphaObserved)}; bound held at ` +
      `${r.boundHolds.filter(Boolean).length}/${r.alphas.length} steps`
    : `phase retrieval, m = ${r.batch}: e = ${sig(r.radius)}, L = ${sig(r.lipschitz)}; ` +
      `rho < 1 up to alpha = ${sig(t.alphaBound)} (m-free: ${sig(t.alphaBoundPaper)}); (6b) limit ` +
      `${sig(t.alpha6b)}; observed to contract up to ${sig(t.alphaObserved)}`;
}

/** Theorem 2 on the quadratic (L = 0) or on phase retrieval (L > 0). */
export function theorem2Figure(r: Study, profile: string): FigureView {
  const t = r.thresholds;
  const ours = `the bound held at every step with rho < 1: ${boundHolds(r)}.`;
  if (r.lipschitz === 0) {
    return {
      traces: rhoTraces(r), layout: RHO_LAYOUT,
      caption: `Theorem 2 on realizable least squares (d = ${r.dim}, N = ${r.n}, batch ` +
        `${r.batch}): rho(alpha), the exact rate rho(S) and the Monte Carlo contraction over ` +
        `steps [${r.window.join(", ")}] (${r.settings.runs} runs, ±2 s.e.); profile ${profile}.`,
      paper: "rho(alpha) < 1 implies E||x_k - x*||² <= rho E||x_{k-1} - x*||² (Theorem 2).",
      ours: `rho(alpha) < 1 up to alpha = ${sig(t.alphaBound)}; runs contract up to ` +
        `${sig(t.alphaObserved)} (exact limit ${sig(t.alphaMeanSquare)}); ${ours}`,
    };
  }
  return {
    traces: rhoTraces(r), layout: RHO_LAYOUT,
    caption: `Theorem 2 on realizable phase retrieval (d = ${r.dim}, N = ${r.n}, ` +
      `mini-batch m = ${r.batch}, ball radius e = ${sig(r.radius)}, start at e/2): ` +
      `rho(alpha) with the m-aware and the paper's m-free variance term, the exact rate of ` +
      `the linearisation and the Monte Carlo contraction over steps [${r.window.join(", ")}] ` +
      `(${r.settings.runs} runs); profile ${profile}.`,
    paper: "Under interpolation, rho(alpha) < 1 with (6b)-(6c) makes x* a point of strong attraction.",
    ours: `rho(alpha) < 1 up to alpha = ${sig(t.alphaBound)} ` +
      `(m-free: ${sig(t.alphaBoundPaper)}); runs contract up to ` +
      `${sig(t.alphaObserved)}; ${ours}`,
  };
}

/** Theorem 2's step limits beside the exact and observed ones, both problems. */
export function keyNumbers(q: Study, pr: Study, profile: string): TableView {
  const row = (quantity: string, f: (r: Study) => string | number | null) =>
    ({ quantity, quadratic: f(q), "phase retrieval": f(pr) });
  return {
    rows: [
      { quantity: "ball radius e", quadratic: "any (L = 0)", "phase retrieval": pr.radius },
      row("largest alpha with rho(alpha) < 1", (r) => r.thresholds.alphaBound),
      row("the same, paper's m-free rho", (r) => r.thresholds.alphaBoundPaper),
      row("(6b) limit", (r) => r.thresholds.alpha6b),
      row("exact mean-square limit (rho(S) < 1)", (r) => r.thresholds.alphaMeanSquare),
      row("largest grid alpha observed to contract", (r) => r.thresholds.alphaObserved),
      row("grid steps with rho < 1 / bound held there", (r) => `${stepsBelow(r)} / ${boundHolds(r)}`),
    ],
    caption: `Theorem 2's step limits against the exact and observed ones ` +
      `(quadratic: batch ${q.batch}; phase retrieval: batch ${pr.batch}); profile ${profile}.`,
  };
}

/** Supported when every grid step with rho(alpha) < 1 contracts, within the bound, on both problems. */
export function theorem2Claim(q: Study, pr: Study): ClaimView {
  const [a, b] = [q.thresholds, pr.thresholds];
  return claimOf("thm2-rho-sufficient",
    `At every grid step with rho < 1 (${stepsBelow(q)} quadratic, ${stepsBelow(pr)} phase retrieval, ` +
    `m = ${pr.batch}) the runs contracted within the bound. The bound is conservative: rho < 1 ` +
    `up to alpha = ${sig(a.alphaBound)} and ${sig(b.alphaBound)}, ` +
    `runs contract up to ${sig(a.alphaObserved)} and ` +
    `${sig(b.alphaObserved)}; the (6b) side condition is stricter still ` +
    `(${sig(a.alpha6b)}, ${sig(b.alpha6b)}).`,
    boundHolds(q) && boundHolds(pr) && stepsBelow(q) > 0 && stepsBelow(pr) > 0 ? "supported" : "not supported",
    ["theorem2-quadratic", "theorem2-phase-retrieval", "key-numbers"]);
}

// ---- Lemma 3 ------------------------------------------------------------

/** The rows with rho < 1, the smallest margin over 1 - delta, and the row with the largest delta. */
function stay(t3: Theorem3Result) {
  const applies = t3.rows.filter((r) => r.rhoBound < 1);
  const margin = Math.min(...applies.map((r) => r.fraction - r.guarantee));
  // the largest delta with rho < 1: where Lemma 3 promises least
  const loosest = applies.reduce((b, r) => (r.delta > b.delta ? r : b), applies[0] ?? t3.rows[0]!);
  return { applies, margin, loosest };
}

/** One line about the Lemma 3 run, printed before its figure. */
export function theorem3Text(t3: Theorem3Result): string {
  const { applies, margin } = stay(t3);
  return `e = ${sig(t3.radius)}; rows with rho < 1: ${applies.length}/${t3.rows.length}; ` +
    `smallest stay fraction minus (1 - delta) among them: ${sig(margin)}`;
}

/** The fraction of runs that stay in the ball against Lemma 3's guarantee 1 - delta. */
export function theorem3Figure(t3: Theorem3Result, profile: string): FigureView {
  const c = t3.settings;
  const { margin, loosest } = stay(t3);
  const steps = [...new Set(t3.rows.map((r) => r.alpha))];
  return {
    traces: [
      { type: "scatter", mode: "lines", name: "guarantee 1 - delta", x: [0, 1], y: [0, 1],
        line: { color: "#888", dash: "dash" } },
      ...steps.map((a, i): PlotTrace => {
        const rows = t3.rows.filter((r) => r.alpha === a);
        return { type: "scatter", mode: "lines+markers",
          name: `alpha = ${sig(a)} (rho = ${sig(rows[0]!.rhoBound)})`,
          x: rows.map((r) => r.guarantee), y: rows.map((r) => r.fraction),
          line: { color: color(i), dash: rows[0]!.rhoBound < 1 ? "solid" : "dot" },
          error_y: { type: "data", symmetric: false, array: rows.map((r) => r.hi - r.fraction),
            arrayminus: rows.map((r) => r.fraction - r.lo) } };
      }),
    ],
    layout: {
      xaxis: { title: { text: "1 - delta (Lemma 3's guarantee)" }, range: [0, 1] },
      yaxis: { title: { text: "fraction of runs that stay in N(x*, e)" }, range: [0, 1.02] },
      height: 460, legend: { orientation: "h", y: -0.28 },
    },
    caption: `Lemma 3 on phase retrieval (d = ${c.dim}, N = ${c.n}, ` +
      `e = ${sig(t3.radius)}): fraction of ${c.runs} runs that never leave the ` +
      `e-ball in ${c.steps} steps, started at distance sqrt(delta) e, against ` +
      `1 - delta (95% Wilson intervals; dotted: rho(alpha) >= 1); profile ${profile}.`,
    paper: "Lemma 3: P{tau = infinity} >= 1 - delta for a start within sqrt(delta) e.",
    ours: `Where rho < 1 the stay fraction exceeds 1 - delta by at least ${sig(margin, 2)}; ` +
      `at delta = ${loosest.delta} it is ${sig(loosest.fraction)} against ${sig(loosest.guarantee, 2)}.`,
  };
}

/** Supported when every stay fraction with rho(alpha) < 1 is at least 1 - delta up to its Wilson interval. */
export function theorem3Claim(t3: Theorem3Result): ClaimView {
  const c = t3.settings;
  const { applies, margin, loosest } = stay(t3);
  const ok = applies.every((r) => r.hi >= r.guarantee);
  return claimOf("lemma3-stay-probability",
    `In ${applies.length} settings with rho < 1 (deltas ${c.deltas.join(", ")}) ` +
    `the stay fraction over ${c.steps} steps exceeded 1 - delta by at least ` +
    `${sig(margin, 2)}; at delta = ${loosest.delta} it was ${sig(loosest.fraction)} against ` +
    `${sig(loosest.guarantee, 2)}: the bound holds and is loose (${c.runs} runs each).`,
    applies.length === 0 ? "inconclusive" : ok ? "supported" : "not supported",
    ["theorem3-stay"]);
}
