/**
 * The experiment config: one typed, commented, serialisable object per
 * run (house style 5, after nanoGPT's configurator and airbench's `hyp`).
 *
 * A zod schema checks it: every object is strict (an unknown key is an
 * error naming its path, e.g. `optimizer.lrr`), types are checked, and
 * defaults are filled in, so the parsed config (`TrainConfig`) is the
 * complete description of the run. Its content hash (hash.ts) names the
 * run's record.
 *
 *   const cfg = parseConfig({
 *     model: { kind: "resnet", n: 9 },                 // ResNet-56
 *     dataset: { name: "cifar10" },
 *     optimizer: { name: "sgdl", lr: 1.0 },
 *     epochs: 150, batchSize: 256,
 *   });
 *
 * Units: epochs count passes over the training set; `schedule` is in
 * epochs (the lr changes at epoch boundaries, like a torch scheduler
 * stepped once per epoch); batch sizes count examples (images) or, for
 * language models, parallel token streams.
 */
import { z } from "zod";
import { DATASET_FACTS, type DataKind } from "../data/facts";
import { BACKENDS } from "../engine";
import {
  AUDIO_NET_DEFAULTS as AUDIO, AWD_LSTM_DEFAULTS as AWD, DENSENET_DEFAULTS as DENSE, RESNET_DEFAULTS,
  VGG16_DEFAULTS as VGG,
} from "../models";
import { TABLE_1_DEFAULTS as T1 } from "../optim/paper_table";

const int = (min = 0) => z.number().int().min(min);
const posInt = () => int(1);
const nonNeg = () => z.number().nonnegative();
/** A JSON value (arguments of custom models). */
const json = z.json();

// ---------------------------------------------------------------- models

/**
 * Models: lib/models' `buildModel` specs, discriminated on `kind`, less
 * what the data and the run decide (classes, input channels and size,
 * vocabulary, seed). Defaults are lib/models' (its *_DEFAULTS tables,
 * read here) and are written into the normalised config, so a record
 * says exactly what was built. Optimizer defaults are Table 1's
 * (lib/optim's TABLE_1_DEFAULTS), not PyTorch's.
 */

/**
 * ResNet-(6n+2) of He et al. (2016), option-A shortcuts: n = 1, 3, 9, 18
 * give ResNet-8, -20, -56, -110; width 4 is ImageNet32's 4x channels.
 */
const ResNetSpec = z.object({
  kind: z.literal("resnet"),
  /** Blocks per stage; depth 6n + 2. */
  n: posInt(),
  /** Channel multiplier (16*width must be whole). */
  width: z.number().positive().default(RESNET_DEFAULTS.width),
}).strict();

/** VGG-16 with batch norm for 32x32 images (image side: from the data). */
const Vgg16Spec = z.object({
  kind: z.literal("vgg16"),
  /** Channel multiplier (64*width must be whole). */
  width: z.number().positive().default(VGG.width),
  /** Hidden widths of the classifier ([]: 512 -> classes). */
  hidden: z.array(posInt()).default(() => [...VGG.hidden]),
}).strict();

/** DenseNet(-BC) for 32x32 images; the paper's L = 100, k = 12. */
const DenseNetSpec = z.object({
  kind: z.literal("densenet"),
  depth: posInt().default(DENSE.depth),
  growthRate: posInt().default(DENSE.growthRate),
  /** DenseNet-BC (bottleneck, compression 0.5). */
  bottleneck: z.boolean().default(DENSE.bottleneck),
}).strict();

/** The section 6.3 audio net (input frames x mels: from the data). */
const AudioSpec = z.object({
  kind: z.literal("audio"),
  channels: posInt().default(AUDIO.channels),
  kernelSize: posInt().default(AUDIO.kernelSize),
  hidden: z.array(posInt()).default(() => [...AUDIO.hidden]),
  /** Channel dropout after the second conv. */
  dropout2d: z.number().min(0).lt(1).default(AUDIO.dropout2d),
  denseDropout: z.number().min(0).lt(1).default(AUDIO.denseDropout),
}).strict();

/** AWD-LSTM word language model (vocabulary: from the corpus). */
const AwdLstmSpec = z.object({
  kind: z.literal("awd-lstm"),
  numLayers: posInt().default(AWD.numLayers),
  embeddingSize: posInt().default(AWD.embeddingSize),
  hiddenSize: posInt().default(AWD.hiddenSize),
  tieWeights: z.boolean().default(AWD.tieWeights),
  inputDropout: z.number().min(0).lt(1).default(AWD.inputDropout),
  layerDropout: z.number().min(0).lt(1).default(AWD.layerDropout),
  outputDropout: z.number().min(0).lt(1).default(AWD.outputDropout),
  embeddingDropout: z.number().min(0).lt(1).default(AWD.embeddingDropout),
  weightDrop: z.number().min(0).lt(1).default(AWD.weightDrop),
}).strict();

/**
 * A model registered by name with `registerModel` (train/models.ts): a
 * notebook's own network. `args` go to its factory and into the hash.
 */
const CustomSpec = z.object({
  kind: z.literal("custom"),
  name: z.string().min(1),
  args: z.record(z.string(), json).default({}),
}).strict();

export const ModelSpecSchema = z.discriminatedUnion("kind", [
  ResNetSpec,
  Vgg16Spec,
  DenseNetSpec,
  AudioSpec,
  AwdLstmSpec,
  CustomSpec,
]);

/** The data kind each built-in model needs. */
const MODEL_DATA: Record<Exclude<ModelSpec["kind"], "custom">, DataKind> = {
  resnet: "image",
  vgg16: "image",
  densenet: "image",
  audio: "feature",
  "awd-lstm": "text",
};

// -------------------------------------------------------------- datasets

/** Subset options shared by the classification datasets. */
const subsetFields = {
  /** Class-balanced subset of the training split: images per class. */
  trainPerClass: posInt().nullable().default(null),
  /** The same for the test split (null: the whole split). */
  testPerClass: posInt().nullable().default(null),
  /**
   * Seed of the subset choice, apart from the run's seed so that every
   * seed and optimizer sees the same images.
   */
  subsetSeed: int().default(0),
};

/** Options of the image datasets. */
const imageFields = {
  ...subsetFields,
  /**
   * Centre crop to crop x crop pixels before anything else (no
   * resampling): tiny inputs for smoke tests. null: full size.
   */
  crop: posInt().nullable().default(null),
};

/** Which official training batch files to read (null: all). */
/** Batch file numbers 1..max, each at most once (a repeat would duplicate images). */
const batchFiles = (max: number) =>
  z.array(z.number().int().min(1).max(max)).min(1).max(max)
    .refine((xs) => new Set(xs).size === xs.length, "each batch file at most once")
    .nullable().default(null);

const Cifar10Spec = z.object({
  name: z.literal("cifar10"),
  ...imageFields,
  /** Training batch files 1..5 (10,000 images each). */
  trainBatches: batchFiles(5),
}).strict();

const Cifar100Spec = z.object({
  name: z.literal("cifar100"),
  ...imageFields,
  /** "fine": 100 classes (the paper's); "coarse": 20 superclasses. */
  labels: z.enum(["fine", "coarse"]).default("fine"),
}).strict();

const FashionMnistSpec = z.object({
  name: z.literal("fashion-mnist"),
  ...imageFields,
  /** The paper dataset it stands in for (null: itself). */
  standInFor: z.enum(["cifar100", "imagenet32"]).nullable().default(null),
}).strict();

const Imagenet32Spec = z.object({
  name: z.literal("imagenet32"),
  ...imageFields,
  /** Training batch files 1..10 (~128k images each). */
  trainBatches: batchFiles(10),
}).strict();

/** Log-mel features of 1 s clips (Speech Commands or its stand-in). */
const KeywordsSpec = z.object({
  name: z.literal("keywords"),
  ...subsetFields,
}).strict();

const SpeechCommandsSpec = z.object({
  name: z.literal("speech-commands"),
  ...subsetFields,
}).strict();

/** Options of the word-level language-model corpora. */
const textFields = {
  /** Truncated-BPTT window length in tokens (AWD-LSTM: 70). */
  bptt: posInt().default(70),
  /** AWD-LSTM's random window length around bptt (Merity et al.). */
  variableBptt: z.boolean().default(false),
  /** Use only the first n training tokens (null: all). */
  trainTokens: int(2).nullable().default(null),
  /** Use only the first n test tokens (null: all). */
  testTokens: int(2).nullable().default(null),
};

const PtbSpec = z.object({ name: z.literal("ptb"), ...textFields }).strict();

const BrownPtbSpec = z.object({
  name: z.literal("brown-ptb"),
  ...textFields,
}).strict();

/**
 * A seeded order-1 Markov chain over `vocabSize` words: a labelled
 * stand-in for tests of the language-model loop (no download).
 */
const SyntheticTextSpec = z.object({
  name: z.literal("synthetic-text"),
  ...textFields,
  vocabSize: int(4).default(64),
  /** Tokens generated for training; a quarter as many for test. */
  tokens: int(100).default(20000),
  generatorSeed: int().default(0),
}).strict();

export const DatasetSpecSchema = z.discriminatedUnion("name", [
  Cifar10Spec,
  Cifar100Spec,
  FashionMnistSpec,
  Imagenet32Spec,
  KeywordsSpec,
  SpeechCommandsSpec,
  PtbSpec,
  BrownPtbSpec,
  SyntheticTextSpec,
]);

/** What a dataset feeds: images, feature maps or token streams. */
export type { DataKind } from "../data/facts";

export function datasetKind(name: DatasetSpec["name"]): DataKind {
  return DATASET_FACTS[name].kind;
}

// ------------------------------------------------------------ optimizers

/** Options every optimizer takes. */
const commonOpt = {
  /**
   * Which parameters weight decay touches: "all" (PyTorch's
   * weight_decay, the paper's) or "weights" (not biases and norms).
   */
  decay: z.enum(["all", "weights"]).default("all"),
  /** Clip gradients to this global L2 norm first (PTB LSTM: 0.25). */
  clipNorm: z.number().positive().nullable().default(null),
  /** false: L2 added to the gradient (torch); true: decoupled (AdamW). */
  decoupled: z.boolean().default(false),
};

/** Vanilla SGD; weight decay 0.005 as Table 1 (gamma). */
const SgdSpec = z.object({
  name: z.literal("sgd"),
  lr: nonNeg(),
  weightDecay: nonNeg().default(T1.sgd.weightDecay),
  ...commonOpt,
}).strict();

/** SGD with heavy-ball momentum 0.9 (Table 1's eta), torch's form. */
const SgdmSpec = z.object({
  name: z.literal("sgdm"),
  lr: nonNeg(),
  momentum: z.number().min(0).lt(1).default(T1.sgdm.momentum),
  nesterov: z.boolean().default(false),
  weightDecay: nonNeg().default(T1.sgdm.weightDecay),
  ...commonOpt,
}).strict();

/**
 * SGDL, the paper's proposal: vanilla SGD with a large lr, at least 10x
 * the best SGDM lr (checked when bestSgdmLr is given).
 */
const SgdlSpec = z.object({
  name: z.literal("sgdl"),
  lr: nonNeg(),
  weightDecay: nonNeg().default(T1.sgdl.weightDecay),
  bestSgdmLr: z.number().positive().nullable().default(null),
  ...commonOpt,
}).strict();

/** Adam (Kingma & Ba); Table 1 gives it no weight decay. */
const AdamSpec = z.object({
  name: z.literal("adam"),
  lr: nonNeg().default(0.001),
  beta1: z.number().min(0).lt(1).default(T1.adam.beta1),
  beta2: z.number().min(0).lt(1).default(T1.adam.beta2),
  eps: z.number().positive().default(1e-8),
  weightDecay: nonNeg().default(T1.adam.weightDecay),
  ...commonOpt,
}).strict();

/** AdaDelta (Zeiler 2012), lr 1.0 and rho 0.9 as Table 1. */
const AdadeltaSpec = z.object({
  name: z.literal("adadelta"),
  lr: nonNeg().default(T1.adadelta.lr),
  rho: z.number().min(0).lt(1).default(T1.adadelta.rho),
  eps: z.number().positive().default(1e-6),
  weightDecay: nonNeg().default(T1.adadelta.weightDecay),
  ...commonOpt,
}).strict();

export const OptimizerSpecSchema = z.discriminatedUnion("name", [
  SgdSpec,
  SgdmSpec,
  SgdlSpec,
  AdamSpec,
  AdadeltaSpec,
]);

// ------------------------------------------------------------- schedules

/** Learning-rate schedules, in epochs. */
export const ScheduleSchema = z.discriminatedUnion("kind", [
  /** The initial lr throughout (the paper's AdaDelta). */
  z.object({ kind: z.literal("constant") }).strict(),
  /**
   * lr * gamma^(milestones passed). `at` in fractions of `epochs`
   * (rounded to whole epochs; the paper's shape: [1/3, 2/3], i.e. epochs
   * 50 and 100 of 150) or in epochs (unit "epoch").
   */
  z.object({
    kind: z.literal("multistep"),
    at: z.array(z.number().positive()).min(1).default([1 / 3, 2 / 3]),
    unit: z.enum(["fraction", "epoch"]).default("fraction"),
    gamma: z.number().positive().default(0.1),
  }).strict(),
  /** lr * gamma^floor(epoch / every): ImageNet32's /10 every 30. */
  z.object({
    kind: z.literal("step"),
    every: posInt(),
    gamma: z.number().positive().default(0.1),
  }).strict(),
  /** Cosine from lr to lrMin over the run (per epoch). */
  z.object({
    kind: z.literal("cosine"),
    lrMin: nonNeg().default(0),
  }).strict(),
]);

// ---------------------------------------------------------- whole config

const AugmentSchema = z.object({
  /** Reflect padding in pixels before the random crop (paper: 4). */
  pad: int().default(4),
  /** Random horizontal flips (paper: true). */
  flip: z.boolean().default(true),
}).strict();

const EvalSchema = z.object({
  /** Evaluate on the test split every k epochs (and after the last). */
  every: posInt().default(1),
  /** Test batch: images (null: 500), or token streams (null: 10). */
  batchSize: posInt().nullable().default(null),
  /** Top-5 error too; null: when the dataset has >= 100 classes. */
  topK: z.boolean().nullable().default(null),
  /**
   * Classifiers: evaluate a fixed class-balanced subset of the test split
   * (this many per class) at every evaluation but the last, which uses
   * the whole test split; records say which (history[].testSet). Dense
   * test curves at a fraction of the cost. Absent: the whole split each
   * time (absent, not null, so configs without it keep their run ids).
   */
  subsetPerClass: posInt().optional(),
}).strict();

const DivergenceSchema = z.object({
  /**
   * A step whose loss exceeds this multiple of the first step's loss
   * ends the run as "diverged" (as does any NaN or infinite loss).
   * null: only NaN/Inf.
   */
  maxLossRatio: z.number().gt(1).nullable().default(20),
}).strict();

const CheckpointSchema = z.object({
  /** Save a resumable checkpoint every k epochs (0: never). */
  every: int().default(1),
  /** Keep the last checkpoint (the final weights) after the run ends. */
  keep: z.boolean().default(false),
}).strict();

const BaseConfig = z.object({
  /**
   * Which size of the experiment this is: "smoke" (seconds, tests),
   * "cpu" (a 2-core machine) or "paper" (the paper's settings). A label
   * carried into records and figures.
   */
  profile: z.enum(["smoke", "cpu", "paper"]).default("cpu"),
  model: ModelSpecSchema,
  dataset: DatasetSpecSchema,
  optimizer: OptimizerSpecSchema,
  /**
   * Default: multistep at 1/3 and 2/3 (the paper's shape), or constant
   * for AdaDelta (the paper does not anneal it).
   */
  schedule: ScheduleSchema.optional(),
  /** Passes over the training set. */
  epochs: posInt(),
  /** Examples per step (the paper: 256; PTB: 20 streams). */
  batchSize: posInt().default(256),
  /**
   * Accumulate gradients over chunks of this many examples (the wasm
   * heap is capped at 4 GiB). The update equals the full batch's, but
   * batch norm then normalises with per-micro-batch statistics.
   */
  microBatch: posInt().nullable().default(null),
  /**
   * The paper's augmentation (random crop from reflect padding, flips),
   * or false. Default: on for image datasets, off otherwise.
   */
  augment: z.union([z.literal(false), AugmentSchema]).optional(),
  /** Normalise inputs with the training split's per-channel statistics. */
  normalize: z.boolean().default(true),
  /**
   * The run's seed: model init, data order, augmentation and dropout
   * all derive from it.
   */
  seed: int().default(0),
  /** Engine (lib/engine); "auto" is resolved before hashing. */
  backend: z.enum(["auto", ...BACKENDS]).default("auto"),
  eval: EvalSchema.default({ every: 1, batchSize: null, topK: null }),
  divergence: DivergenceSchema.default({ maxLossRatio: 20 }),
  /** How often to checkpoint; not part of the run's hash. */
  checkpoint: CheckpointSchema.default({ every: 1, keep: false }),
}).strict();

export const TrainConfigSchema = BaseConfig.superRefine((c, ctx) => {
  const kind = datasetKind(c.dataset.name);
  if (c.microBatch !== null && c.microBatch > c.batchSize) {
    ctx.addIssue({
      code: "custom",
      path: ["microBatch"],
      message: `must be <= batchSize (${c.batchSize}), got ${c.microBatch}`,
    });
  }
  if (c.microBatch !== null && kind === "text") {
    ctx.addIssue({
      code: "custom",
      path: ["microBatch"],
      message: "is not supported for language models (use a smaller " +
        "batchSize or bptt)",
    });
  }
  if (c.augment !== undefined && c.augment !== false && kind !== "image") {
    ctx.addIssue({
      code: "custom",
      path: ["augment"],
      message: `applies to image datasets only; set it to false for ` +
        `"${c.dataset.name}"`,
    });
  }
  if (c.model.kind !== "custom" && MODEL_DATA[c.model.kind] !== kind) {
    ctx.addIssue({
      code: "custom",
      path: ["model", "kind"],
      message: `"${c.model.kind}" needs ${MODEL_DATA[c.model.kind]} data, ` +
        `but dataset "${c.dataset.name}" is ${kind} data`,
    });
  }
  if (c.model.kind === "resnet" && !Number.isInteger(16 * c.model.width)) {
    ctx.addIssue({
      code: "custom",
      path: ["model", "width"],
      message: `16 * width must be whole, got ${c.model.width}`,
    });
  }
  const s = c.schedule;
  if (s?.kind === "multistep") {
    s.at.forEach((m, i) => {
      const bad = s.unit === "fraction"
        ? !(m > 0 && m < 1)
        : !Number.isInteger(m);
      const prev = s.at[i - 1];
      if (bad || (prev !== undefined && m <= prev)) {
        ctx.addIssue({
          code: "custom",
          path: ["schedule", "at", i],
          message: s.unit === "fraction"
            ? `fractions must increase within (0, 1), got ${m}`
            : `epochs must be increasing whole numbers, got ${m}`,
        });
      }
    });
  }
}).transform((c) => ({
  ...c,
  schedule: c.schedule ?? defaultSchedule(c.optimizer.name),
  augment: c.augment ?? defaultAugment(datasetKind(c.dataset.name)),
}));

/** What a caller writes: partial, defaults optional. */
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
/** The normalised config: every default filled in. */
export type TrainConfig = z.output<typeof TrainConfigSchema>;
export type ModelSpec = z.output<typeof ModelSpecSchema>;
export type DatasetSpec = z.output<typeof DatasetSpecSchema>;
export type OptimizerSpec = z.output<typeof OptimizerSpecSchema>;
export type ScheduleSpec = z.output<typeof ScheduleSchema>;
export type AugmentSpec = z.output<typeof AugmentSchema>;

function defaultSchedule(optimizer: OptimizerSpec["name"]): ScheduleSpec {
  return optimizer === "adadelta"
    ? { kind: "constant" }
    : { kind: "multistep", at: [1 / 3, 2 / 3], unit: "fraction", gamma: 0.1 };
}

function defaultAugment(kind: DataKind): AugmentSpec | false {
  return kind === "image" ? { pad: 4, flip: true } : false;
}

/** A config that failed validation; the message names each key path. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid config:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Validates, fills defaults; throws ConfigError naming the keys. */
export function parseConfig(input: unknown): TrainConfig {
  const deep = tooDeep(input, MAX_CONFIG_DEPTH);
  if (deep !== null) {
    throw new ConfigError([`${deep}: nested deeper than ${MAX_CONFIG_DEPTH} levels`]);
  }
  const r = TrainConfigSchema.safeParse(input);
  if (!r.success) throw new ConfigError(r.error.issues.map(describeIssue));
  return r.data;
}

/** Deeper configs are refused before anything recurses into them. */
export const MAX_CONFIG_DEPTH = 64;

/** The path of the first value nested deeper than `max`, or null (no recursion). */
function tooDeep(input: unknown, max: number): string | null {
  const todo: Array<[unknown, PropertyKey[]]> = [[input, []]];
  while (todo.length > 0) {
    const [v, path] = todo.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (path.length >= max) return pathOf(path);
    for (const [k, x] of Object.entries(v)) {
      todo.push([x, [...path, Array.isArray(v) ? Number(k) : k]]);
    }
  }
  return null;
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    out += typeof p === "number" ? `[${p}]` : `${out === "" ? "" : "."}${String(p)}`;
  }
  return out === "" ? "(config)" : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = pathOf(issue.path);
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length === 0 ? "" : ` in ${at}`;
    return issue.keys
      .map((k) => {
        const key = issue.path.length === 0 ? k : `${at}.${k}`;
        return `${key}: unknown key "${k}"${where}`;
      })
      .join("\n  ");
  }
  if (issue.code === "invalid_union" && "options" in issue) {
    const options = (issue.options as unknown[]).map((o) => JSON.stringify(o));
    return `${at}: must be one of ${options.join(", ")}`;
  }
  const missing = /expected (\w+), received undefined/.exec(issue.message);
  if (issue.code === "invalid_type" && missing !== null) {
    return `${at}: required (${missing[1]})`;
  }
  return `${at}: ${issue.message}`;
}

// ------------------------------------------------------------ overrides

/**
 * Applies `key.path=value` overrides (the command line's --set) to a
 * config input, returning a new object. Values are JSON where they
 * parse (numbers, booleans, null, arrays, objects), else strings.
 * Unknown keys are not rejected here but by `parseConfig`, which names
 * them.
 */
export function applyOverrides(
  input: unknown,
  sets: readonly string[],
): Record<string, unknown> {
  const deep = tooDeep(input, MAX_CONFIG_DEPTH);
  if (deep !== null) {
    throw new ConfigError([`${deep}: nested deeper than ${MAX_CONFIG_DEPTH} levels`]);
  }
  const out = structuredClone(
    (input ?? {}) as Record<string, unknown>,
  );
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) {
      throw new ConfigError([`--set ${s}: expected key.path=value`]);
    }
    setKeyPath(out, s.slice(0, eq).trim(), parseValue(s.slice(eq + 1)), `--set ${s}`);
  }
  return out;
}

/** Keys no path may walk: they reach Object.prototype, not the config. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Sets `value` at a dotted key path of `obj` ("optimizer.lr"), creating
 * objects on the way. Only own properties are walked, and `__proto__`,
 * `constructor` and `prototype` are refused, so no path reaches an
 * object's prototype. Errors are ConfigErrors starting with `label`.
 */
export function setKeyPath(
  obj: Record<string, unknown>, path: string, value: unknown, label = path,
): void {
  const keys = path.split(".");
  if (keys.some((k) => k === "")) {
    throw new ConfigError([`${label}: empty key in "${path}"`]);
  }
  const unsafe = keys.find((k) => UNSAFE_KEYS.has(k));
  if (unsafe !== undefined) {
    throw new ConfigError([`${label}: "${unsafe}" is not a config key`]);
  }
  let o = obj;
  keys.slice(0, -1).forEach((k, i) => {
    const next = Object.hasOwn(o, k) ? o[k] : undefined;
    if (next === undefined) {
      o[k] = {};
    } else if (typeof next !== "object" || next === null || Array.isArray(next)) {
      throw new ConfigError([`${label}: ${keys.slice(0, i + 1).join(".")} is not an object`]);
    }
    o = o[k] as Record<string, unknown>;
  });
  o[keys[keys.length - 1]!] = value;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
