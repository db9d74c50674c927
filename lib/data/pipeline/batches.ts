/**
 * Batching: seeded epoch orders, image batches (augment + normalise into
 * one Float32Array, NHWC) and feature batches for the audio model.
 */
import type { Rng } from "../rng";
import type { FeatureBatch, FeatureSplit, ImageBatch } from "../types";
import type { ChannelStats, ImageSplit } from "../types";
import { type AugmentConfig, augmentInto, drawAugment } from "./augment";
import { normLut, unitStats } from "./normalize";
import { permutation } from "./shuffle";

export interface OrderOptions {
  batchSize: number;
  /** Shuffle each epoch (needs rng). Default true. */
  shuffle?: boolean;
  rng?: Rng;
  /** Drop a last, smaller batch. Default false. */
  dropLast?: boolean;
}

/** Index batches of one epoch over n examples. */
export function indexBatches(n: number, opts: OrderOptions): Int32Array[] {
  const { batchSize } = opts;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const shuffle = opts.shuffle ?? true;
  let order: Int32Array;
  if (shuffle) {
    if (!opts.rng) throw new Error("indexBatches: shuffle needs an rng");
    order = permutation(n, opts.rng);
  } else {
    order = Int32Array.from({ length: n }, (_, i) => i);
  }
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    if (opts.dropLast && s + batchSize > n) break;
    out.push(order.subarray(s, Math.min(n, s + batchSize)));
  }
  return out;
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export interface ImageBatchOptions extends OrderOptions {
  /** Augmentation (needs rng); false or absent: none. */
  augment?: AugmentConfig | false;
  /** Normalisation; default v/255. */
  stats?: ChannelStats;
}

/** Gathers (and augments) the images `idx` into one batch. */
export function imageBatch(
  split: ImageSplit,
  shape: ImageShape,
  idx: Int32Array,
  lut: Float32Array,
  augment: AugmentConfig | false,
  rng?: Rng,
  out?: Float32Array,
): ImageBatch {
  const { height: h, width: w, channels: c } = shape;
  const px = h * w * c;
  const size = idx.length;
  const x =
    out && out.length >= size * px
      ? out.subarray(0, size * px)
      : new Float32Array(size * px);
  const y = new Int32Array(size);
  const cols = new Int32Array(w);
  const none = { dy: 0, dx: 0, flip: false };
  for (let b = 0; b < size; b++) {
    const i = idx[b]!;
    y[b] = split.labels[i]!;
    if (augment && !rng) throw new Error("imageBatch: augmentation needs an rng");
    const d = augment ? drawAugment(augment, rng!) : none;
    const pad = augment ? augment.pad : 0;
    augmentInto(split.images, i * px, x, b * px, h, w, c, pad, d, lut, cols);
  }
  return { x, y, size, shape: [size, h, w, c] };
}

/** One epoch of image batches: shuffled, augmented, normalised. */
export function* imageBatches(
  split: ImageSplit,
  shape: ImageShape,
  opts: ImageBatchOptions,
): Generator<ImageBatch> {
  const lut = normLut(opts.stats ?? unitStats(shape.channels));
  const augment = opts.augment ?? false;
  for (const idx of indexBatches(split.n, opts)) {
    yield imageBatch(split, shape, idx, lut, augment, opts.rng);
  }
}

/** Gathers features `idx` into x [size, frames, mels, 1]. */
export function featureBatch(split: FeatureSplit, idx: Int32Array): FeatureBatch {
  const per = split.frames * split.mels;
  const size = idx.length;
  const x = new Float32Array(size * per);
  const y = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    const i = idx[b]!;
    x.set(split.x.subarray(i * per, (i + 1) * per), b * per);
    y[b] = split.labels[i]!;
  }
  return { x, y, size, shape: [size, split.frames, split.mels, 1] };
}

/** One epoch of feature batches. */
export function* featureBatches(
  split: FeatureSplit,
  opts: OrderOptions,
): Generator<FeatureBatch> {
  for (const idx of indexBatches(split.n, opts)) yield featureBatch(split, idx);
}

/** Mean and std over all feature values (for standardising). */
export function featureStats(split: FeatureSplit): { mean: number; std: number } {
  let s = 0;
  let q = 0;
  const x = split.x;
  for (let i = 0; i < x.length; i++) {
    s += x[i]!;
    q += x[i]! * x[i]!;
  }
  const mean = s / x.length;
  return { mean, std: Math.sqrt(Math.max(0, q / x.length - mean * mean)) };
}

/** Standardises features in place: (x - mean) / std. */
export function standardize(split: FeatureSplit, st: { mean: number; std: number }) {
  if (!(st.std > 0)) throw new Error(`standardize: std must be > 0, got ${st.std}`);
  const x = split.x;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - st.mean) / st.std;
}
