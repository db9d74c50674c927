/**
 * lib/paper: the paper's facts that more than one module reads, as data.
 *
 * - figures: PAPER_FIGURES (section 6's figures and Table 1: what each
 *   draws, the paper's sentence, the claims it is evidence for),
 *   PAPER_CLAIMS (each claim's words and the paper's, quoted once),
 *   optimizersFigure(dataset), and the types a plan and its analysis
 *   share (MetricName, GroupKind, MetricKind, FigureId, ClaimKind, Panel).
 * Table 1 and the experiments' settings (Appendix A.3) are lib/optim's
 * TABLE_1 and PAPER_EXPERIMENTS.
 */
export {
  CLAIM_KINDS, FIGURE_IDS, optimizersFigure, PAPER_CLAIMS, PAPER_FIGURES, RUN_CLAIM_KINDS,
} from "./figures";
export type {
  ClaimKind, FigureId, GroupKind, MetricKind, MetricName, Panel, PaperClaim, PaperFigure,
  RunClaimKind,
} from "./figures";
