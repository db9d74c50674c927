/**
 * lib/optim: the paper's optimizers as pure, composable update
 * rules on named tensors (optax-style), with schedules, a
 * and the paper's Table 1 as data.
 *
 * - types:            Tensors, OptState, Transform, Schedule
 * - transforms/:      chain, scaleByLr, trace, scaleByAdam,
 *                     scaleByAdadelta, addDecayedWeights,
 *                     clipByGlobalNorm, ...
 * - alias:            sgd, sgdm, adam, adadelta, sgdl
 * - schedules:        constant, multiStep, stepEvery, cosine,
 *                     decreasingThenConstant (Fig. 1), fromEpochs
 * - apply:            applyUpdates, Stepper (hand-written loops)
 * - state:            disposeState, saveState, loadState
 * - paper_table:      TABLE_1, PAPER_EXPERIMENTS, formatTable1, and the
 *                     report's rows of them (table1Rows,
 *                     paperExperimentRows, paperAssumptionRows)
 * - validate:         hyperparameter checks
 */
export type { OptState, Schedule, Slots, Tensors, Transform } from './types';
export * from './transforms';
export {
  adadelta, adam, sgd, sgdl, sgdm,
} from './alias';
export type {
  AdadeltaOptions, AdamOptions, CommonOptions, SgdlOptions,
  SgdmOptions, SgdOptions,
} from './alias';
export {
  constant, cosine, decreasingThenConstant, fromEpochs, multiStep,
  multiStepAtFractions, stepEvery, toSchedule,
} from './schedules';
export type { DecayShape, FromEpochsOptions } from './schedules';
export { applyUpdates, Stepper } from './apply';
export type { Variables } from './apply';
export {
  carryOver, disposeState, extendState, loadState, saveState,
  slotTensor, stateTensors, zerosLike,
} from './state';
export type { SavedState, SavedTensor } from './state';
export {
  FIGURE_3_LRS, formatTable1, LSTM_LR_GRID, OPTIMIZER_LABELS,
  OPTIMIZER_NAMES, PAPER_EXPERIMENTS, paperAssumptionRows, paperExperiment,
  paperExperimentRows, SGDL_PRESET, TABLE_1, TABLE_1_DEFAULTS, table1Rows,
} from './paper_table';
export type {
  Dataset, LrPlan, OptimizerChoice, OptimizerName, PaperExperiment,
  Table1Row,
} from './paper_table';
export {
  checkFinite, checkInt, checkInterval, checkNonNegative,
  checkPositive,
} from './validate';
