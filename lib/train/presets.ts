/**
 * Named configs: `npm run train -- --config smoke`, or
 * `train(preset("cpu-cifar10-resnet20-sgdl"))` in a notebook.
 *
 * - smoke: seconds; what the tests and CI run.
 * - cpu-cifar10-resnet20-<optimizer>: a 2-core machine; real CIFAR-10
 *   (a class-balanced subset), ResNet-20, 15 epochs with the paper's
 *   schedule shape (lr / 10 at 1/3 and 2/3), each optimizer with its
 *   paper settings (Table 1, A.3.1).
 * - paper-<experiment>-<optimizer>: the paper's exact settings for every
 *   experiment of PAPER_EXPERIMENTS (lib/optim), on the real datasets
 *   (CIFAR-100, ImageNet32, Speech Commands and PTB must be fetched or
 *   placed first: `npm run data`).
 */
import {
  OPTIMIZER_NAMES, type OptimizerName, PAPER_EXPERIMENTS, type PaperExperiment,
} from "../optim";
import type { TrainConfigInput } from "./config";

export interface Preset {
  about: string;
  config: TrainConfigInput;
}

/** The optimizer part of a config as the paper ran it in `exp`. */
export function paperOptimizerSpec(
  exp: PaperExperiment,
  name: OptimizerName,
): TrainConfigInput["optimizer"] {
  const c = exp.optimizers[name];
  const clip = exp.clipNorm === undefined ? {} : { clipNorm: exp.clipNorm };
  switch (name) {
    case "sgd":
    case "sgdl":
      return { name, lr: c.lr, weightDecay: c.weightDecay, ...clip };
    case "sgdm":
      return { name, lr: c.lr, momentum: c.momentum ?? 0.9, weightDecay: c.weightDecay, ...clip };
    case "adam": {
      const [beta1, beta2] = c.betas ?? [0.9, 0.999];
      return { name, lr: c.lr, beta1, beta2, weightDecay: c.weightDecay, ...clip };
    }
    case "adadelta":
      return { name, lr: c.lr, rho: c.rho ?? 0.9, weightDecay: c.weightDecay, ...clip };
  }
}

/**
 * The schedule part as the paper ran it: milestones as fractions of
 * training (the paper's 50 and 100 of 150 epochs: 1/3 and 2/3), so the
 * same schedule holds at any budget; step decay in epochs.
 */
export function paperScheduleSpec(
  exp: PaperExperiment,
  name: OptimizerName,
): TrainConfigInput["schedule"] {
  if (!exp.optimizers[name].scheduled) return { kind: "constant" };
  const p = exp.lrPlan;
  return p.kind === "multiStep"
    ? { kind: "multistep", at: p.milestones.map((m) => m / exp.numEpochs), unit: "fraction", gamma: p.gamma }
    : { kind: "step", every: p.every, gamma: p.gamma };
}

/** The models of PAPER_EXPERIMENTS as config model specs. */
const PAPER_MODELS: Record<string, TrainConfigInput["model"]> = {
  resnet56: { kind: "resnet", n: 9 },
  resnet110: { kind: "resnet", n: 18 },
  resnet56x4: { kind: "resnet", n: 9, width: 4 },
  vgg16: { kind: "vgg16" },
  "densenet100-k12": { kind: "densenet", depth: 100, growthRate: 12 },
  lenet5: { kind: "audio" },
  lstm2: { kind: "awd-lstm", numLayers: 2 },
  lstm3: { kind: "awd-lstm", numLayers: 3 },
};

function paperDataset(exp: PaperExperiment): TrainConfigInput["dataset"] {
  switch (exp.dataset) {
    case "cifar10":
    case "cifar100":
    case "imagenet32":
    case "speech-commands":
      return { name: exp.dataset };
    case "ptb":
      // AWD-LSTM: bptt 70 with random lengths (Merity et al.).
      return { name: "ptb", bptt: 70, variableBptt: true };
  }
}

function paperPresets(): Record<string, Preset> {
  const out: Record<string, Preset> = {};
  for (const exp of PAPER_EXPERIMENTS) {
    const model = PAPER_MODELS[exp.model];
    if (model === undefined) continue;
    for (const name of OPTIMIZER_NAMES) {
      out[`paper-${exp.id}-${name}`] = {
        about: `${exp.id} with ${name} as in the paper (${exp.source})`,
        config: {
          profile: "paper",
          model,
          dataset: paperDataset(exp),
          optimizer: paperOptimizerSpec(exp, name),
          schedule: paperScheduleSpec(exp, name),
          epochs: exp.numEpochs,
          batchSize: exp.batchSize,
        },
      };
    }
  }
  return out;
}

function cpuPresets(): Record<string, Preset> {
  const exp = PAPER_EXPERIMENTS.find((e) => e.id === "cifar10-resnet56")!;
  const out: Record<string, Preset> = {};
  for (const name of OPTIMIZER_NAMES) {
    out[`cpu-cifar10-resnet20-${name}`] = {
      about: `ResNet-20 on 200 CIFAR-10 images per class, 15 epochs, ${name} ` +
        "with the paper's settings for ResNet-56",
      config: {
        profile: "cpu",
        model: { kind: "resnet", n: 3 },
        dataset: { name: "cifar10", trainPerClass: 200, testPerClass: 100 },
        optimizer: paperOptimizerSpec(exp, name),
        schedule: exp.optimizers[name].scheduled
          ? { kind: "multistep", at: [1 / 3, 2 / 3], unit: "fraction", gamma: 0.1 }
          : { kind: "constant" },
        epochs: 15,
        batchSize: 128,
      },
    };
  }
  return out;
}

export const PRESETS: Readonly<Record<string, Preset>> = {
  smoke: {
    about: "ResNet-8 on 20 CIFAR-10 images per class (8 per class to " +
      "test), SGDL lr 0.5, 2 epochs, batch 32: seconds",
    config: {
      profile: "smoke",
      model: { kind: "resnet", n: 1 },
      dataset: { name: "cifar10", trainPerClass: 20, testPerClass: 8, trainBatches: [1] },
      optimizer: { name: "sgdl", lr: 0.5 },
      epochs: 2,
      batchSize: 32,
    },
  },
  ...cpuPresets(),
  ...paperPresets(),
};

/** A preset's config (a fresh copy), or an error listing the names. */
export function preset(name: string): TrainConfigInput {
  const p = PRESETS[name];
  if (p === undefined) {
    throw new Error(`unknown preset "${name}"; presets: ` +
      Object.keys(PRESETS).join(", "));
  }
  return structuredClone(p.config);
}
