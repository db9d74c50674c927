/**
 * Clearly labelled stand-ins for data that cannot be had here, written in
 * the official formats so the real loaders read them: synthetic spoken
 * keywords (for Speech Commands) and the Brown corpus in PTB form (for
 * the Penn Treebank). Fashion-MNIST (for CIFAR-100 and ImageNet32) is in
 * datasets/fashion-mnist.ts.
 */
export {
  DEFAULT_KEYWORDS,
  drawClip,
  generateKeywords,
  KEYWORDS_STANDIN,
  keywordsDir,
  loadKeywords,
  toolVersions,
  treeHash,
} from "./keywords";
export type { GenerateOptions, KeywordConfig, KeywordManifest } from "./keywords";
export {
  BROWN_NPM,
  BROWN_PTB_MD5,
  BROWN_PTB_STANDIN,
  brownPtbDir,
  brownSentences,
  brownToPtb,
  DEFAULT_BROWN_PTB,
  loadBrownPtb,
  prepareBrownPtb,
  ptbWord,
  readBrownTarball,
} from "./brown-ptb";
export type { BrownPtbConfig, BrownPtbOptions, BrownPtbResult } from "./brown-ptb";
