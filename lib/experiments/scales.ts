/**
 * The reductions: how each experiment of section 6 shrinks at the
 * `cpu` and `smoke` profiles. Everything not written here (optimizers,
 * lrs, momentum, betas, rho, weight decay, clipping, augmentation, the
 * schedule's shape) comes from the paper presets (lib/train presets,
 * built from lib/optim's PAPER_EXPERIMENTS), so the paper's numbers live
 * in one place. The `paper` profile uses those presets unchanged.
 *
 * cpu budget (estimates from budget.ts for a 2-core machine, wasm
 * engine): all sections together about 1 h 59 min of fresh training,
 * 80 distinct runs; `estimatePlans(allPlans("cpu"))` prints it per group.
 * (Measured from a clean checkout: 6.1 47 min, 6.2 9, 6.3 8, 6.4 about
 * 19: the estimates are conservative.)
 * Choices, 6.1 (about 65 min):
 * - CIFAR-10 is real: 1,000 training images (100 per class, class-
 *   balanced, from data_batch_1) and the FULL 10,000-image test set.
 *   Evaluating 10k images (~12 s) costs as much as 2 training epochs of
 *   1,000 images, so curves are evaluated every 4 epochs (4, 8, 12: the
 *   end of each lr phase) and lr-grid runs after the last epoch only; the
 *   train error is recorded every epoch regardless. (A trainer option to
 *   evaluate a fixed test subset every epoch and the full set at the end
 *   would give denser test curves for the same cost.)
 * - 12 epochs, lr x 0.1 at epochs 4 and 8 (the paper's 50 and 100 of 150).
 * - Batch 128 (the paper's 256): twice the steps for the same cost; the
 *   paper's lrs are kept as they are.
 * - The main comparison (five optimizers, ResNet-8 for ResNet-56) has 3
 *   seeds; VGG-16 at 1/8 width (for VGG-16) has one; Fig. 3 (vanilla SGD
 *   at lr 0.2 to 1.0) one.
 * - lr sensitivity: every optimizer gets the same grid, 4 lrs at 1/4,
 *   1/2, 1 and 2 times its paper lr (log2-spaced), one seed; the paper-lr
 *   point is the main comparison's seed-0 run (same training, cached).
 * 6.2-6.4 (labelled stand-ins, 2 seeds each):
 * Fashion-MNIST for ImageNet32 (~14 min), synthetic keywords for Speech
 * Commands (~9 min), Brown-PTB with 200-unit 2- and 3-layer AWD-LSTMs for
 * PTB (~30 min).
 */
import { FIGURE_3_LRS } from "../optim/paper_table";
import type { TrainConfigInput } from "../train";
import type { Profile, SectionId } from "./types";

/** How one paper experiment is run at a reduced profile. */
export interface Scale {
  /** The model standing in for the paper's (a lib/train model spec). */
  model: TrainConfigInput["model"];
  /** The data: a subset of the real set, or a labelled stand-in. */
  dataset: TrainConfigInput["dataset"];
  /** Passes over the training subset. */
  epochs: number;
  /** Examples per step (text: parallel token streams). */
  batchSize: number;
  /** Evaluate the test split every k epochs (and after the last). */
  evalEvery: number;
  /** Seeds of the comparison of the five optimizers. */
  seeds: number[];
  /** Why this reduction (one line, printed with the settings). */
  why: string;
}

/** How a section runs at a reduced profile. */
export interface SectionScale {
  /** PAPER_EXPERIMENTS id -> its reduction; experiments not listed are not run. */
  experiments: Record<string, Scale>;
  /** Fig. 3 (6.1 only): vanilla SGD over these lrs, on these experiments. */
  fig3?: { experiments: string[]; lrs: number[]; seed: number };
  /**
   * lr sensitivity (6.1, table1): each optimizer at lr x factor, for
   * every factor (the same grid size for all), on `experiment`.
   */
  grid?: { experiment: string; factors: number[]; seed: number; finalEvalOnly: boolean };
  /** What is not run at this profile and why. */
  notes: string[];
}

/** CIFAR-10 at the cpu profile: real data, class-balanced subset, full test set. */
const CIFAR10_CPU: TrainConfigInput["dataset"] = {
  name: "cifar10", trainPerClass: 100, testPerClass: null, trainBatches: [1],
};

/** Tiny CIFAR-10 for smoke runs: 100 images, 40 to test, 16x16 centre crops. */
const CIFAR10_SMOKE: TrainConfigInput["dataset"] = {
  name: "cifar10", trainPerClass: 10, testPerClass: 4, trainBatches: [1], crop: 16,
};

const GRID_FACTORS_CPU = [0.25, 0.5, 1, 2];

const CPU: Record<Exclude<SectionId, "table1">, SectionScale> = {
  "6.1": {
    experiments: {
      "cifar10-resnet56": {
        model: { kind: "resnet", n: 1 },
        dataset: CIFAR10_CPU,
        epochs: 12, batchSize: 128, evalEvery: 4, seeds: [0, 1, 2],
        why: "ResNet-8 trains at ~165 img/s on 2 cores, ResNet-56 at ~20",
      },
      "cifar10-vgg16": {
        model: { kind: "vgg16", width: 0.125 },
        dataset: CIFAR10_CPU,
        epochs: 12, batchSize: 128, evalEvery: 4, seeds: [0],
        why: "VGG-16 at 1/8 width: the same 16 layers at ~260 img/s (full width: 13)",
      },
    },
    fig3: { experiments: ["cifar10-resnet56"], lrs: [...FIGURE_3_LRS], seed: 0 },
    grid: { experiment: "cifar10-resnet56", factors: GRID_FACTORS_CPU, seed: 0, finalEvalOnly: true },
    notes: [
      "CIFAR-100 is not obtainable here and is not run at this profile " +
        "(its loader is real and tested; the Fashion-MNIST stand-in runs in 6.2).",
      "ResNet-110 and DenseNet (L=100, k=12) are not run at this profile: " +
        "ResNet-8 and VGG-16 at 1/8 width stand for the residual and plain nets.",
      "VGG-16 at 1/8 width hardly leaves chance level in 96 steps (single probe runs: " +
        "SGDM 88%, SGDL 87%, Adam 81% final test error): read its panel as early training.",
    ],
  },
  "6.2": {
    experiments: {
      "imagenet32-resnet56x4": {
        model: { kind: "resnet", n: 1 },
        dataset: {
          name: "fashion-mnist", standInFor: "imagenet32", trainPerClass: 100, testPerClass: 200,
        },
        epochs: 12, batchSize: 128, evalEvery: 3, seeds: [0, 1],
        why: "ImageNet32 is not obtainable here; Fashion-MNIST (10 classes, an easier " +
          "set than CIFAR-10) stands in, so the paper's 4x widening is not applied " +
          "(at 1.5x, 500 images and 8 epochs, 32 steps were too few to learn)",
      },
    },
    notes: [
      "Top-5 error on a 10-class stand-in is near 0 and says little; top-1 is the measure.",
      "Test error on a fixed class-balanced 2,000 of Fashion-MNIST's 10,000 test images.",
    ],
  },
  "6.3": {
    experiments: {
      "speech-commands-lenet5": {
        model: { kind: "audio" },
        dataset: { name: "keywords" },
        epochs: 12, batchSize: 64, evalEvery: 1, seeds: [0, 1],
        why: "Speech Commands is not obtainable here; synthetic spoken keywords " +
          "(10 words, ~1,000 clips) stand in, with the paper's net unchanged",
      },
    },
    notes: [
      "The keyword stand-in's test split has only 33 clips (one clip = 3 points of " +
        "error): differences below ~10 points are noise.",
    ],
  },
  "6.4": {
    experiments: {
      "ptb-lstm2": {
        model: { kind: "awd-lstm", numLayers: 2, hiddenSize: 200, embeddingSize: 100 },
        dataset: {
          name: "brown-ptb", bptt: 35, variableBptt: true, trainTokens: 10_000, testTokens: 5_000,
        },
        epochs: 6, batchSize: 20, evalEvery: 2, seeds: [0, 1],
        why: "PTB is not obtainable here (Brown corpus in PTB form stands in); a " +
          "1150-unit LSTM trains at ~80 tokens/s on 2 cores, this one at ~800",
      },
      "ptb-lstm3": {
        model: { kind: "awd-lstm", numLayers: 3, hiddenSize: 200, embeddingSize: 100 },
        dataset: {
          name: "brown-ptb", bptt: 35, variableBptt: true, trainTokens: 10_000, testTokens: 5_000,
        },
        epochs: 6, batchSize: 20, evalEvery: 2, seeds: [0, 1],
        why: "as the 2-layer model",
      },
    },
    notes: [
      "10,000 training tokens (1.1% of the corpus) with a 10,000-word vocabulary: " +
        "perplexities stay in the hundreds; the comparison is of early training.",
    ],
  },
};

const SMOKE_IMAGE = { epochs: 2, batchSize: 25, evalEvery: 1, seeds: [0] };

const SMOKE: Record<Exclude<SectionId, "table1">, SectionScale> = {
  "6.1": {
    experiments: {
      "cifar10-resnet56": {
        model: { kind: "resnet", n: 1, width: 0.5 }, dataset: CIFAR10_SMOKE, ...SMOKE_IMAGE,
        why: "seconds, for CI",
      },
    },
    fig3: { experiments: ["cifar10-resnet56"], lrs: [0.2, 1.0], seed: 0 },
    grid: { experiment: "cifar10-resnet56", factors: [0.5, 1], seed: 0, finalEvalOnly: true },
    notes: ["smoke: a test of the code path, not a result"],
  },
  "6.2": {
    experiments: {
      "imagenet32-resnet56x4": {
        model: { kind: "resnet", n: 1, width: 0.5 },
        dataset: {
          name: "fashion-mnist", standInFor: "imagenet32", trainPerClass: 10, testPerClass: 4, crop: 16,
        },
        ...SMOKE_IMAGE, why: "seconds, for CI",
      },
    },
    notes: ["smoke: a test of the code path, not a result"],
  },
  "6.3": {
    experiments: {
      "speech-commands-lenet5": {
        model: { kind: "audio", channels: 4, hidden: [32] },
        dataset: { name: "keywords", trainPerClass: 5 },
        epochs: 1, batchSize: 25, evalEvery: 1, seeds: [0], why: "seconds, for CI",
      },
    },
    notes: ["smoke: a test of the code path, not a result"],
  },
  "6.4": {
    experiments: {
      "ptb-lstm2": {
        model: { kind: "awd-lstm", numLayers: 2, hiddenSize: 16, embeddingSize: 16 },
        dataset: { name: "brown-ptb", bptt: 10, trainTokens: 1_000, testTokens: 400 },
        epochs: 1, batchSize: 10, evalEvery: 1, seeds: [0], why: "seconds, for CI",
      },
    },
    notes: ["smoke: a test of the code path, not a result; the 3-layer model is not run"],
  },
};

/** The reductions of a section at a profile; null at `paper` (no reduction). */
export function sectionScale(section: Exclude<SectionId, "table1">, profile: Profile): SectionScale | null {
  if (profile === "paper") return null;
  return (profile === "cpu" ? CPU : SMOKE)[section];
}
