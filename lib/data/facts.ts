/**
 * What every dataset a run can name is, in one table: the kind of data
 * (which model input and metric it feeds), whether it is the paper's own
 * data, a stand-in or synthetic, and the sizes of its splits as published
 * (or, for the stand-ins, as `npm run data` generates them), so a plan can
 * be sized and described without loading anything. The trainer's config
 * (kind), the experiment plans (origin, labels) and the cost model
 * (sizes) all read it here.
 */

/** The dataset names a training config accepts. */
export type DatasetName =
  | "cifar10" | "cifar100" | "fashion-mnist" | "imagenet32"
  | "keywords" | "speech-commands"
  | "ptb" | "brown-ptb" | "synthetic-text";

/** Images (classifiers on pixels), audio features, or text (language models). */
export type DataKind = "image" | "feature" | "text";

/** The paper's data, a stand-in for it, or generated test data. */
export type DataOrigin = "real" | "stand-in" | "synthetic";

export interface DatasetFacts {
  label: string;
  kind: DataKind;
  origin: DataOrigin;
  /** Training examples (text: tokens, with end-of-sentence marks). */
  train: number;
  test: number;
  classes: number | null;
  /** CIFAR-10 / ImageNet32: examples per training batch file. */
  perBatchFile: number | null;
  /** Image side in pixels (after the loader's padding). */
  side: number | null;
}

/**
 * Speech Commands: v0.02, 35 words, the official lists. Keywords: the
 * stand-in as generated (10 words x 100 clips, speaker-hash split).
 * Brown-PTB: the stand-in's files. Fashion-MNIST is padded to 32 x 32.
 */
export const DATASET_FACTS: Readonly<Record<DatasetName, DatasetFacts>> = {
  cifar10: {
    label: "CIFAR-10", kind: "image", origin: "real", train: 50_000, test: 10_000,
    classes: 10, perBatchFile: 10_000, side: 32,
  },
  cifar100: {
    label: "CIFAR-100", kind: "image", origin: "real", train: 50_000, test: 10_000,
    classes: 100, perBatchFile: null, side: 32,
  },
  "fashion-mnist": {
    label: "Fashion-MNIST", kind: "image", origin: "stand-in", train: 60_000,
    test: 10_000, classes: 10, perBatchFile: null, side: 32,
  },
  imagenet32: {
    label: "ImageNet32", kind: "image", origin: "real", train: 1_281_167,
    test: 50_000, classes: 1000, perBatchFile: 128_117, side: 32,
  },
  keywords: {
    label: "synthetic keywords", kind: "feature", origin: "stand-in", train: 4657,
    test: 138, classes: 10, perBatchFile: null, side: null,
  },
  "speech-commands": {
    label: "Speech Commands v0.02", kind: "feature", origin: "real", train: 84_843,
    test: 11_005, classes: 35, perBatchFile: null, side: null,
  },
  ptb: {
    label: "Penn Treebank", kind: "text", origin: "real", train: 929_589,
    test: 82_430, classes: null, perBatchFile: null, side: null,
  },
  "brown-ptb": {
    label: "Brown corpus in PTB form", kind: "text", origin: "stand-in",
    train: 905_829, test: 81_055, classes: null, perBatchFile: null, side: null,
  },
  "synthetic-text": {
    label: "synthetic Markov text", kind: "text", origin: "synthetic", train: 20_000,
    test: 5_000, classes: null, perBatchFile: null, side: null,
  },
};
