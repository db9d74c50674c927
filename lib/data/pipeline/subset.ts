/**
 * Class-balanced subsets (for the smaller profiles) and taking rows of a
 * split by index.
 */
import { Rng } from "../rng";
import type { ImageDataset, ImageSplit } from "../types";
import { shuffleInPlace } from "./shuffle";

/** Number of examples per class (length numClasses). */
export function classCounts(labels: Int32Array, numClasses?: number): number[] {
  let k = numClasses ?? 0;
  for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i]! + 1);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/**
 * Indices (ascending) of `perClass` random examples of every class
 * present. A class with fewer is an error naming it, unless
 * `allowFewer` (then all of its examples are kept).
 */
export function balancedSubset(
  labels: Int32Array,
  perClass: number,
  rng: Rng,
  opts: { allowFewer?: boolean; numClasses?: number } = {},
): Int32Array {
  if (!(Number.isInteger(perClass) && perClass >= 1)) {
    throw new Error(`balancedSubset: perClass must be a positive integer, got ${perClass}`);
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    let list = byClass.get(y);
    if (!list) byClass.set(y, (list = []));
    list.push(i);
  }
  if (opts.numClasses !== undefined) {
    for (let y = 0; y < opts.numClasses; y++) {
      if (!byClass.has(y) && !opts.allowFewer) {
        throw new Error(`balancedSubset: class ${y} has no examples`);
      }
    }
  }
  const out: number[] = [];
  for (const y of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(y)!;
    if (list.length < perClass && !opts.allowFewer) {
      throw new Error(
        `balancedSubset: class ${y} has ${list.length} examples, ` +
          `fewer than perClass=${perClass}`,
      );
    }
    shuffleInPlace<number, number[]>(list, rng);
    out.push(...list.slice(0, perClass));
  }
  return Int32Array.from(out.sort((a, b) => a - b));
}

/** The rows `idx` of an image split (pixelsPerImage = h*w*c). */
export function takeImages(
  split: ImageSplit,
  idx: Int32Array,
  pixelsPerImage: number,
): ImageSplit {
  const n = idx.length;
  const images = new Uint8Array(n * pixelsPerImage);
  const labels = new Int32Array(n);
  const coarse = split.coarseLabels ? new Int32Array(n) : null;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    if (!(i >= 0 && i < split.n)) throw new Error(`takeImages: index ${i} out of range`);
    const from = i * pixelsPerImage;
    images.set(split.images.subarray(from, from + pixelsPerImage), k * pixelsPerImage);
    labels[k] = split.labels[i]!;
    if (coarse) coarse[k] = split.coarseLabels![i]!;
  }
  return coarse ? { n, images, labels, coarseLabels: coarse } : { n, images, labels };
}

export interface SubsetOptions {
  /** Examples per class kept in train (default: all). */
  trainPerClass?: number;
  /** Examples per class kept in test (default: all). */
  testPerClass?: number;
  seed: number;
}

/** A class-balanced, seeded subset of an image dataset (same labels). */
export function subsetImages(ds: ImageDataset, opts: SubsetOptions): ImageDataset {
  const px = ds.height * ds.width * ds.channels;
  const pick = (split: ImageSplit, perClass: number | undefined, key: number) =>
    perClass === undefined
      ? split
      : takeImages(split, balancedSubset(split.labels, perClass, Rng.derive(opts.seed, key)), px);
  return {
    ...ds,
    train: pick(ds.train, opts.trainPerClass, 1),
    test: pick(ds.test, opts.testPerClass, 2),
  };
}
