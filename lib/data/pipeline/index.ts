/**
 * The input pipeline on typed arrays: seeded shuffling, batching, the
 * paper's augmentation, per-channel normalisation, class-balanced
 * subsets, language-model batchify/BPTT.
 */
export { shuffleInPlace, permutation } from "./shuffle";
export { balancedSubset, classCounts, subsetImages, takeImages } from "./subset";
export type { SubsetOptions } from "./subset";
export { channelStats, normLut, unitStats } from "./normalize";
export {
  augmentInto,
  drawAugment,
  PAPER_AUGMENT,
  reflect,
  reflectPad,
} from "./augment";
export type { AugmentConfig, AugmentDraw } from "./augment";
export {
  featureBatch,
  featureBatches,
  featureStats,
  imageBatch,
  imageBatches,
  indexBatches,
  standardize,
} from "./batches";
export type { ImageBatchOptions, ImageShape, OrderOptions } from "./batches";
export {
  awdSeqLen,
  batchify,
  bpttWindow,
  bpttWindows,
  buildVocab,
  encodeLines,
  EOS,
  tokens,
  UNK,
} from "./lm";
export type { Batchified, BpttWindow } from "./lm";
