/** Op-level building blocks for training on any backend. */
export {
  batchNorm, type BatchNormOptions, type BatchNormResult,
} from './batch_norm';
export {lstmCell, type LstmCellResult} from './lstm_cell';
export {
  hasFusedRecurrence, lstmRecurrence, type LstmRecurrenceResult,
} from './lstm_recurrence';
export {mirrorPad, type MirrorMode} from './mirror_pad';
export {sparseSoftmaxCrossEntropy} from './sparse_xent';
