/** Op-level building blocks for training on any backend. */
export {
  batchNorm, type BatchNormOptions, type BatchNormResult,
} from './batch_norm';
export {mirrorPad, type MirrorMode} from './mirror_pad';
