/**
 * lib/theory: Sections 4 and 5 of the paper as numerical experiments.
 * Every notebook cell is one call that returns plain arrays and objects
 * ready to plot (and JSON-safe), e.g.
 *
 *   const S = theorySettings("cpu");            // or "smoke", "paper"
 *   const t1 = theorem1(S.section4.theorem1);   // curves + floors
 *   const f2 = figure2(S.section5.figure2);     // left/middle/right panels
 *
 * Section 4 (SGD with a constant step on f = (1/N) sum f_i):
 * - theorem1: realizable vs noisy least squares, E||x_k - x*||^2 over k
 *   (mean, 10/50/90% quantiles, exact curve) and the noise floors.
 * - theorem2, theorem2Nonlinear, contractionStudy: Theorem 2's rho(alpha)
 *   (mini-batch aware and as stated) vs the exact mean-square rate and
 *   the Monte Carlo contraction on an alpha grid, with step limits.
 * - theorem3: Lemma 3's stay probability against 1 - delta.
 * - moments: hessianStats, rhoBound, theorem2Limits, the second-moment
 *   superoperator, exact moment recursion, the noise floor.
 * - problems: leastSquares (realizable/noisy), phaseRetrieval.
 * - sgd: sgdRun, sgdEnsemble, summarize, contraction.
 *
 * Section 5 / Appendix A.2 (IGD with a constant step t):
 * - figure2: rho(K_N(t)) vs t with the bounds, ||x(t) - .||^2 vs t, and
 *   x(3.0) beside the noisy data (denoising reading, see section5.ts).
 * - example1..example4: the quadratic, under-determined least squares,
 *   regularised least squares (bound vs largest convergent t), nonlinear
 *   least squares (phase retrieval) and its linearisation.
 * - igd: the pass map, K_N(t) by structured updates, its spectral radius,
 *   the fixed point x(t).
 *
 * The toolchain notebook's run (SGD with a constant step through
 * TensorFlow.js and lib/optim): `interpolationErrors`, imported from
 * "lib/theory/toolchain" itself so that sections 4 and 5 do not load
 * TensorFlow.js.
 *
 * Numerics: eigen (non-symmetric eigenvalues: balance + Hessenberg +
 * Francis QR), linalg (dense helpers), stats (quantiles, Wilson
 * intervals, bisection). settings: theorySettings(profile, overrides).
 */
export { theorySettings } from "./settings";
export type {
  ExamplesSettings,
  Figure2Settings,
  NonlinearSettings,
  Profile,
  Theorem1Settings,
  Theorem2Settings,
  Theorem3Settings,
  TheoryOverrides,
  TheorySettings,
} from "./settings";

export {
  contractionStudy,
  hessianSpectrum,
  meanSquareLimit,
  nonlinearRadius,
  theorem1,
  theorem2,
  theorem2Nonlinear,
  theorem3,
} from "./section4";
export type {
  ContractionStudy,
  ContractionStudyOptions,
  StayRow,
  Theorem1Curve,
  Theorem1Result,
  Theorem3Result,
} from "./section4";

export {
  convergentIntervals,
  denoisingData,
  denoisingSystem,
  example1,
  example2,
  example3,
  example4,
  figure2,
  firstDivergentStep,
  igdBounds,
  iterateVsFixedPoint,
  spectralSweep,
} from "./section5";
export type {
  DenoisingData,
  Example1Result,
  Example2Result,
  Example3Result,
  Example3Study,
  Example4Result,
  Figure2Result,
} from "./section5";

export {
  exactMeanSquare,
  hessianStats,
  meanSquareRate,
  rhoBound,
  secondMomentOperator,
  stationaryMeanSquare,
  theorem2Limits,
  theorem2Matrix,
  varianceScale,
} from "./moments";
export type { HessianStats, Sampling } from "./moments";

export { defaultScales, leastSquares, phaseRetrieval, randomUnit } from "./problems";
export type { FiniteSum, LeastSquaresOptions, PhaseRetrievalOptions } from "./problems";

export { column, contraction, sgdEnsemble, sgdRun, summarize } from "./sgd";
export type { Contraction, Curve, Ensemble, SgdOptions } from "./sgd";

export {
  bandwidth,
  differencePenalty,
  igdFixedPoint,
  igdHessian,
  igdMinimizer,
  igdPass,
  igdRun,
  igdSpectralRadius,
  passMatrix,
  passOffset,
  sparseFromDense,
  sparseIdentity,
  sparseToDense,
} from "./igd";
export type { IgdSpectrum, IgdSystem, PassMatrix, SparseSym } from "./igd";

export { eigenvalues, sortedSpectrum, spectralRadius } from "./eigen";
export type { Eigenvalues } from "./eigen";
export { eye, fromRows, matmul, matvec, solve, symEig, toRows, zeros } from "./linalg";
export type { Mat } from "./linalg";
export {
  bisectLast,
  geomspace,
  linspace,
  mean,
  quantile,
  stdErr,
  thresholdOnGrid,
  variance,
  wilson,
} from "./stats";
