/**
 * The figures of the paper's section 6 and Table 1 as data: which
 * experiments each draws, what it plots, the paper's sentence it
 * reproduces (quoted here and nowhere else) and the claims it is the
 * evidence for. Plans (lib/experiments/plan.ts) name their groups and
 * metrics from here, the claims (lib/experiments/claims.ts) are
 * dispatched from here, and the section 6 notebooks draw each group as
 * its figure says. Adding a figure or a claim to a figure is an edit of
 * this file (plus, for a new kind of claim, its judge in claims.ts).
 */
import type { Dataset } from "../optim/paper_table";

/** A metric of a run's history (lib/train's EpochMetrics field). */
export type MetricName =
  | "trainError" | "testError" | "trainTop5Error" | "testTop5Error"
  | "trainPerplexity" | "testPerplexity" | "trainLoss" | "testLoss";

/**
 * What a group's runs compare:
 * - optimizers: the five optimizers at their chosen lr, over seeds (Fig. 4-7);
 * - lr-sweep: one optimizer over a list of lrs (Fig. 3);
 * - lr-grid: one optimizer over its lr grid (Table 1; our lr sensitivity).
 */
export type GroupKind = "optimizers" | "lr-sweep" | "lr-grid";

/** The headline metric of a group: classification error, top-5 too, or perplexity. */
export type MetricKind = "error" | "top5" | "perplexity";

/**
 * The claims of section 6 judged on a group of training runs (each
 * figure below lists its own; judges in lib/experiments/claims.ts).
 */
export const RUN_CLAIM_KINDS = [
  "larger-lr-helps-sgd", "sgdl-matches-or-beats", "sgdl-beats-sgdm-best-top1",
  "sgdl-beats-sgd", "adam-fast-early-worse-late", "adadelta-poor",
] as const;
export type RunClaimKind = (typeof RUN_CLAIM_KINDS)[number];

/**
 * Every claim of the paper this project judges: section 6's, Table 1's
 * lr rule, the toolchain's constant step, and sections 4 and 5 (judged
 * in lib/theory/views.ts and views_igd.ts).
 */
export const CLAIM_KINDS = [
  ...RUN_CLAIM_KINDS, "sgdl-lr-rule", "constant-step-converges",
  "thm1-interpolation-necessary", "thm2-rho-sufficient", "lemma3-stay-probability",
  "igd-sufficient-bound", "igd-wide-range", "igd-example1-closed-form",
  "igd-example2-regularisation", "igd-example4-linearisation",
] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/** A claim in a few words and what the paper says (its numbers where it gives any). */
export interface PaperClaim {
  claim: string;
  paper: string;
}

/** The paper's claims, quoted once. */
export const PAPER_CLAIMS: Readonly<Record<ClaimKind, PaperClaim>> = {
  "larger-lr-helps-sgd": {
    claim: "A larger lr helps vanilla SGD",
    paper: "Vanilla SGD on ResNet-56 with lr 0.2 to 1.0: a small lr like 0.2 or 0.4 has " +
      "a relatively poor test performance (Fig. 3, CIFAR-10 and CIFAR-100).",
  },
  "sgdl-matches-or-beats": {
    claim: "SGDL matches or beats SGDM and the adaptive methods",
    paper: "SGDL works fairly well and has the same or even better performance " +
      "than SGDM and the other optimizers (Fig. 4, Figs. 8-15; Fig. 5, 6, 7).",
  },
  "sgdl-beats-sgdm-best-top1": {
    claim: "SGDL beats SGDM by about 0.5% best top-1 accuracy",
    paper: "On ImageNet32 (ResNet-56 with 4x channels) SGDL outperforms SGDM slightly, by about " +
      "0.5% best accuracy; SGD also does well, the adaptive methods only passably (Fig. 5).",
  },
  "sgdl-beats-sgd": {
    claim: "SGDL far outperforms vanilla SGD",
    paper: "On Speech Commands SGDL is quite competitive and outperforms vanilla SGD " +
      "exceedingly (Fig. 6; SGDM 0.01, SGDL 0.15).",
  },
  "adam-fast-early-worse-late": {
    claim: "Adam is fastest early but ends worse than SGDL",
    paper: "On the PTB LSTMs Adam makes the fastest initial progress, but its final " +
      "performance is worse than SGDL's; SGDM's curves are almost the same as Adam's (Fig. 7).",
  },
  "adadelta-poor": {
    claim: "AdaDelta does poorly",
    paper: "AdaDelta has terrible performance on the LSTM (Fig. 7); on ImageNet32 the two " +
      "adaptive methods work just passably (Fig. 5).",
  },
  "sgdl-lr-rule": {
    claim: "SGDL's lr is at least 10 times SGDM's",
    paper: "SGDL: vanilla SGD with an initial lr at least 10 times the best SGDM lr (Table 1, A.3.1).",
  },
  "constant-step-converges": {
    claim: "A constant step below the threshold converges under interpolation",
    paper: "Under interpolation, SGD with a constant step below a threshold " +
      "converges linearly (Theorem 2); for unit-norm components the threshold is 2.",
  },
  "thm1-interpolation-necessary": {
    claim: "Interpolation is necessary for a point of attraction",
    paper: "Theorem 1: a point of attraction of SGD-CS must satisfy interpolation " +
      "(grad f_i(x*) = 0 for all i); without it SGD-CS does not converge.",
  },
  "thm2-rho-sufficient": {
    claim: "rho(alpha) < 1 gives local linear convergence",
    paper: "Theorem 2: under interpolation, rho(alpha) < 1 (with (6b)-(6c)) gives local " +
      "linear convergence, E||x_k - x*||² <= rho E||x_{k-1} - x*||².",
  },
  "lemma3-stay-probability": {
    claim: "SGD-CS stays near x* with probability at least 1 - delta",
    paper: "Lemma 3: started within sqrt(delta) e of x*, SGD-CS stays in N(x*, e) forever " +
      "with probability at least 1 - delta.",
  },
  "igd-sufficient-bound": {
    claim: "IGD converges below the sufficient step bound",
    paper: "IGD with constant step t converges for t in (0, 2N / rho(mu D + A^T A)) " +
      "(Section 5, Example 3; 2 / lambda_max(E[H_i(x*)]) in Example 4).",
  },
  "igd-wide-range": {
    claim: "IGD converges for a wide range of steps",
    paper: "Figure 2: IGD converges for a wide range of t, rho(K_N(t)) falling as t grows, " +
      "and still computes a good solution at the large step 3.0.",
  },
  "igd-example1-closed-form": {
    claim: "Example 1's spectral radius is |1 - 2t|",
    paper: "Example 1: for f = sum x_i^2, rho(K_N(t)) = |1 - 2t| and IGD converges for t in (0, 1).",
  },
  "igd-example2-regularisation": {
    claim: "Under-determined least squares needs regularisation",
    paper: "Example 2: for under-determined least squares rho(K_N(t)) >= 1 for every t " +
      "(1 is an eigenvalue, from the null space of A); regularisation helps.",
  },
  "igd-example4-linearisation": {
    claim: "A pass of nonlinear IGD is linear near x*",
    paper: "Example 4: near x*, a pass of IGD on nonlinear least squares is K_N(t) x + t c(t) " +
      "with K_N(t) = prod (I - t H_i(x*)), up to o(||x - x*||).",
  },
};

/** One panel of a figure: a metric by epoch. */
export interface Panel {
  metric: MetricName;
  /** The figure's name is `<group>-<suffix>`. */
  suffix: string;
  /** The y axis title. */
  axis: string;
}

export const FIGURE_IDS = ["fig3", "fig4", "fig5", "fig6", "fig7", "table1"] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

/** One figure (or table) of the paper. */
export interface PaperFigure {
  id: FigureId;
  /** As the paper numbers it: "Fig. 4, Figs. 8-15". */
  label: string;
  /** The paper's sentence the figure reproduces. */
  sentence: string;
  /** What its runs compare. */
  kind: GroupKind;
  /** The datasets whose experiments it draws (empty: the lr grids, on 6.1's setup). */
  datasets: readonly Dataset[];
  metric: MetricKind;
  /** Metric-by-epoch panels, one figure each (log: a log y axis). */
  panels: readonly Panel[];
  log?: boolean;
  /** The claims it is the evidence for, judged on its runs. */
  claims: readonly RunClaimKind[];
}

const ERROR_PANELS: readonly Panel[] = [
  { metric: "trainError", suffix: "train", axis: "train error" },
  { metric: "testError", suffix: "test", axis: "test error" },
];

/** Section 6's figures and Table 1, in the order the paper shows them. */
export const PAPER_FIGURES: Readonly<Record<FigureId, PaperFigure>> = {
  fig3: {
    id: "fig3", label: "Fig. 3",
    sentence: "A small lr such as 0.2 or 0.4 has a relatively poor test performance; larger " +
      "learning rates (0.6 to 1.0) end with a lower test error (Fig. 3).",
    kind: "lr-sweep", datasets: ["cifar10", "cifar100"], metric: "error",
    panels: [{ metric: "testError", suffix: "test-error", axis: "test error" }],
    claims: ["larger-lr-helps-sgd"],
  },
  fig4: {
    id: "fig4", label: "Fig. 4, Figs. 8-15",
    sentence: "SGDL works fairly well, with the same or better performance than SGDM and " +
      "the other optimizers (Fig. 4, Figs. 8-15).",
    kind: "optimizers", datasets: ["cifar10", "cifar100"], metric: "error",
    panels: ERROR_PANELS,
    claims: ["sgdl-matches-or-beats"],
  },
  fig5: {
    id: "fig5", label: "Fig. 5",
    sentence: "On ImageNet32 SGDL outperforms SGDM slightly (about 0.5% best accuracy); SGD " +
      "also does well, the adaptive methods only passably (Fig. 5).",
    kind: "optimizers", datasets: ["imagenet32"], metric: "top5",
    panels: [
      { metric: "trainError", suffix: "train-error", axis: "train error" },
      { metric: "testError", suffix: "top1", axis: "test top-1 error" },
      { metric: "testTop5Error", suffix: "top5", axis: "test top-5 error" },
    ],
    claims: ["sgdl-matches-or-beats", "sgdl-beats-sgdm-best-top1", "adadelta-poor"],
  },
  fig6: {
    id: "fig6", label: "Fig. 6",
    sentence: "On Speech Commands SGDL is quite competitive and outperforms vanilla SGD " +
      "exceedingly (Fig. 6).",
    kind: "optimizers", datasets: ["speech-commands"], metric: "error",
    panels: ERROR_PANELS,
    claims: ["sgdl-matches-or-beats", "sgdl-beats-sgd"],
  },
  fig7: {
    id: "fig7", label: "Fig. 7",
    sentence: "On the PTB LSTMs Adam makes the fastest initial progress but ends worse than " +
      "SGDL; SGDM is almost the same as Adam; AdaDelta does terribly (Fig. 7).",
    kind: "optimizers", datasets: ["ptb"], metric: "perplexity",
    panels: [
      { metric: "trainPerplexity", suffix: "train", axis: "train perplexity" },
      { metric: "testPerplexity", suffix: "test", axis: "test perplexity" },
    ],
    log: true,
    claims: ["sgdl-matches-or-beats", "adam-fast-early-worse-late", "adadelta-poor"],
  },
  table1: {
    id: "table1", label: "Table 1",
    sentence: "Table 1: each optimizer's lr picked from a grid; SGDL's at least 10 x SGDM's.",
    kind: "lr-grid", datasets: [], metric: "error",
    panels: [],
    // The lr rule is a claim about the paper's own table, not about runs:
    // claimSgdlLrRule (claims.ts) judges it, in 06-5.
    claims: [],
  },
};

/** The figure of the five-optimizer comparison on a dataset (Fig. 4-7). */
export function optimizersFigure(dataset: Dataset): PaperFigure {
  const f = Object.values(PAPER_FIGURES).find((x) => x.kind === "optimizers" && x.datasets.includes(dataset));
  if (f === undefined) throw new Error(`lib/paper: no figure compares the optimizers on ${dataset}`);
  return f;
}
