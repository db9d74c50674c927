/**
 * The shapes data takes between loaders, the pipeline and the trainer.
 * Everything is typed arrays; the trainer turns batches into tensors.
 */

/**
 * Marks data that is NOT the paper's dataset. Records and figures show
 * `label` wherever the dataset appears.
 */
export interface StandIn {
  /** The paper's dataset this replaces, e.g. "cifar100". */
  for: string;
  /** Shown in records and figures, e.g. "Fashion-MNIST (stand-in ...)". */
  label: string;
  /** Why the real data is not used here. */
  reason: string;
}

/** Images of one split: NHWC bytes and 0-based labels. */
export interface ImageSplit {
  n: number;
  /** [n, height, width, channels], row-major, values 0..255. */
  images: Uint8Array;
  /** [n], 0-based class ids. */
  labels: Int32Array;
  /** CIFAR-100 only: [n] 0-based superclass ids. */
  coarseLabels?: Int32Array;
}

export interface ImageDataset {
  /** Dataset id, e.g. "cifar10", "fashion-mnist". */
  name: string;
  /** null for the real dataset; set for stand-ins. */
  standIn: StandIn | null;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames: string[];
  train: ImageSplit;
  test: ImageSplit;
  /** Where it was read from, relative to the data root. */
  source: string;
}

/** A batch ready for a tensor: x [size, h, w, c] floats, y class ids. */
export interface ImageBatch {
  x: Float32Array;
  y: Int32Array;
  size: number;
  shape: [number, number, number, number];
}

/** Per-channel statistics on the 0..1 scale. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** Log-mel features of one split. */
export interface FeatureSplit {
  n: number;
  /** [n, frames, mels] */
  x: Float32Array;
  labels: Int32Array;
  frames: number;
  mels: number;
  /** Clip paths relative to the dataset folder (official list format). */
  files: string[];
}

/** Raw audio of one split (fixed-length clips). */
export interface AudioSplit {
  n: number;
  /** [n, clipSamples] in [-1, 1]. */
  waves: Float32Array;
  labels: Int32Array;
  clipSamples: number;
  files: string[];
}

export interface SpeechDataset {
  name: string;
  standIn: StandIn | null;
  sampleRate: number;
  numClasses: number;
  classNames: string[];
  train: FeatureSplit;
  validation: FeatureSplit;
  test: FeatureSplit;
  source: string;
}

/** A batch of features: x [size, frames, mels, 1]. */
export interface FeatureBatch {
  x: Float32Array;
  y: Int32Array;
  size: number;
  shape: [number, number, number, number];
}

/** A word-level corpus as token ids (with <eos> after each line). */
export interface TextCorpus {
  name: string;
  standIn: StandIn | null;
  /** id -> word; includes "<eos>" and "<unk>". */
  vocab: string[];
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  source: string;
}
