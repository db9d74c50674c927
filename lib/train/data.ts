/**
 * The trainer's view of a dataset: what `DatasetSpec` names, loaded by
 * lib/data, subset, cropped and normalised, behind two shapes:
 * - classification (images or log-mel clips): seeded epoch batches and
 *   fixed test batches, as Float32Array NHWC;
 * - text: token streams for truncated BPTT.
 * Raw datasets are cached in the process (the last two), so a notebook
 * that trains many configs reads CIFAR-10 once.
 */
import {
  balancedSubset,
  channelStats,
  featureBatches,
  type FeatureSplit,
  featureStats,
  imageBatches,
  type ImageDataset,
  type ImageSplit,
  loadBrownPtb,
  loadCifar10,
  loadCifar100,
  loadFashionMnist,
  loadImagenet32,
  loadKeywords,
  loadPtb,
  loadSpeechCommands,
  Rng,
  type SpeechDataset,
  type StandIn,
  subsetImages,
  takeImages,
  type TextCorpus,
  unitStats,
} from "../data";
import type { AugmentSpec, DatasetSpec } from "./config";
import type { DatasetInfo } from "./record";

/** A batch ready for a tensor: x [size, ...inputShape], labels y. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
  shape: number[];
}

export interface ClassifyData {
  kind: "classify";
  info: DatasetInfo;
  unit: "images" | "clips";
  numClasses: number;
  /** One example's shape, e.g. [32, 32, 3]. */
  inputShape: number[];
  trainSize: number;
  testSize: number;
  /** One epoch of training batches, shuffled (and augmented) by rng. */
  trainEpoch(rng: Rng, batchSize: number, augment: AugmentSpec | false): Iterable<Batch>;
  /**
   * The test split in order; with `perClass`, only a fixed class-balanced
   * subset of it (the same examples every time).
   */
  testBatches(batchSize: number, perClass?: number): Iterable<Batch>;
}

export interface TextData {
  kind: "text";
  info: DatasetInfo;
  vocabSize: number;
  train: Int32Array;
  test: Int32Array;
}

export type TrainData = ClassifyData | TextData;

const PRETTY: Record<string, string> = {
  cifar10: "CIFAR-10",
  cifar100: "CIFAR-100",
  "cifar100-coarse": "CIFAR-100 (coarse labels)",
  "fashion-mnist": "Fashion-MNIST",
  imagenet32: "ImageNet32",
  "speech-commands-v0.02": "Speech Commands v0.02",
  ptb: "Penn Treebank",
};

function label(name: string, standIn: StandIn | null): string {
  return standIn?.label ?? `${PRETTY[name] ?? name} (real data)`;
}

// ------------------------------------------------------------ raw cache

const cache = new Map<string, Promise<unknown>>();
const CACHE_SIZE = 2;

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const p = load();
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return p;
}

/** Forgets the datasets cached in this process. */
export function clearDataCache(): void {
  cache.clear();
}

// ------------------------------------------------------------- loading

/**
 * Loads what `spec` names. `normalize`: per-channel statistics of the
 * training split (images), or its mean and std (log-mels); else images
 * are scaled to 0..1 and features left as they are.
 */
export async function loadTrainData(
  spec: DatasetSpec,
  normalize = true,
): Promise<TrainData> {
  switch (spec.name) {
    case "cifar10": {
      const batches = spec.trainBatches ?? [1, 2, 3, 4, 5];
      const ds = await cached(`cifar10:${batches.join(",")}`, () =>
        loadCifar10({ trainBatches: batches }));
      return imageData(ds, spec, normalize);
    }
    case "cifar100": {
      const ds = await cached(`cifar100:${spec.labels}`, () =>
        loadCifar100({ labels: spec.labels }));
      return imageData(ds, spec, normalize);
    }
    case "fashion-mnist": {
      const ds = await cached(`fashion-mnist:${spec.standInFor}`, () =>
        loadFashionMnist({ standInFor: spec.standInFor }));
      return imageData(ds, spec, normalize);
    }
    case "imagenet32": {
      const batches = spec.trainBatches ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      const ds = await cached(`imagenet32:${batches.join(",")}`, () =>
        loadImagenet32({ trainBatches: batches }));
      return imageData(ds, spec, normalize);
    }
    case "keywords":
      return featureData(await cached("keywords", () => loadKeywords()), spec, normalize);
    case "speech-commands":
      return featureData(
        await cached("speech-commands", () => loadSpeechCommands()),
        spec,
        normalize,
      );
    case "ptb":
      return textData(await cached("ptb", () => loadPtb()), spec);
    case "brown-ptb":
      return textData(await cached("brown-ptb", () => loadBrownPtb()), spec);
    case "synthetic-text":
      return textData(
        syntheticText(spec.vocabSize, spec.tokens, spec.generatorSeed),
        spec,
      );
  }
}

type ImageSpec = Extract<DatasetSpec, { crop: number | null }>;

function imageData(raw: ImageDataset, spec: ImageSpec, normalize: boolean): ClassifyData {
  let ds = subsetImages(raw, {
    seed: spec.subsetSeed,
    ...(spec.trainPerClass !== null && { trainPerClass: spec.trainPerClass }),
    ...(spec.testPerClass !== null && { testPerClass: spec.testPerClass }),
  });
  if (spec.crop !== null) ds = centerCrop(ds, spec.crop);
  const shape = { height: ds.height, width: ds.width, channels: ds.channels };
  const stats = normalize ? channelStats(ds.train, ds.channels) : unitStats(ds.channels);
  const px = ds.height * ds.width * ds.channels;
  const testSubset = fixedSubset((k) => takeImages(ds.test,
    balancedSubset(ds.test.labels, k, Rng.derive(spec.subsetSeed, TEST_SUBSET_KEY),
      { allowFewer: true }), px));
  return {
    kind: "classify",
    info: {
      name: ds.name,
      label: label(ds.name, ds.standIn),
      standIn: ds.standIn,
      source: ds.source,
      train: ds.train.n,
      test: ds.test.n,
      numClasses: ds.numClasses,
      vocabSize: null,
    },
    unit: "images",
    numClasses: ds.numClasses,
    inputShape: [ds.height, ds.width, ds.channels],
    trainSize: ds.train.n,
    testSize: ds.test.n,
    trainEpoch: (rng, batchSize, augment) =>
      imageBatches(ds.train, shape, { batchSize, rng, augment, stats }),
    testBatches: (batchSize, perClass) => imageBatches(
      perClass === undefined ? ds.test : testSubset(perClass), shape,
      { batchSize, shuffle: false, stats }),
  };
}

/** The centre size x size pixels of every image (no resampling). */
export function centerCrop(ds: ImageDataset, size: number): ImageDataset {
  if (size > ds.height || size > ds.width) {
    throw new Error(`dataset.crop: ${size} is larger than the ` +
      `${ds.height}x${ds.width} images`);
  }
  const top = Math.floor((ds.height - size) / 2);
  const left = Math.floor((ds.width - size) / 2);
  const c = ds.channels;
  const crop = (s: ImageSplit): ImageSplit => {
    const inPx = ds.height * ds.width * c;
    const outPx = size * size * c;
    const images = new Uint8Array(s.n * outPx);
    for (let i = 0; i < s.n; i++) {
      for (let r = 0; r < size; r++) {
        const from = i * inPx + ((top + r) * ds.width + left) * c;
        images.set(s.images.subarray(from, from + size * c), i * outPx + r * size * c);
      }
    }
    return { ...s, images };
  };
  return { ...ds, height: size, width: size, train: crop(ds.train), test: crop(ds.test) };
}

type FeatureSpec = Extract<DatasetSpec, { name: "keywords" | "speech-commands" }>;

function featureData(raw: SpeechDataset, spec: FeatureSpec, normalize: boolean): ClassifyData {
  const pick = (s: FeatureSplit, perClass: number | null, key: number) =>
    perClass === null
      ? s
      : takeFeatures(s, balancedSubset(s.labels, perClass, Rng.derive(spec.subsetSeed, key)));
  const st = normalize ? featureStats(raw.train) : { mean: 0, std: 1 };
  const train = standardized(pick(raw.train, spec.trainPerClass, 1), st);
  const test = standardized(pick(raw.test, spec.testPerClass, 2), st);
  const testSubset = fixedSubset((k) => takeFeatures(test,
    balancedSubset(test.labels, k, Rng.derive(spec.subsetSeed, TEST_SUBSET_KEY),
      { allowFewer: true })));
  return {
    kind: "classify",
    info: {
      name: raw.name,
      label: label(raw.name, raw.standIn),
      standIn: raw.standIn,
      source: raw.source,
      train: train.n,
      test: test.n,
      numClasses: raw.numClasses,
      vocabSize: null,
    },
    unit: "clips",
    numClasses: raw.numClasses,
    inputShape: [train.frames, train.mels, 1],
    trainSize: train.n,
    testSize: test.n,
    trainEpoch: (rng, batchSize) => featureBatches(train, { batchSize, rng }),
    testBatches: (batchSize, perClass) => featureBatches(
      perClass === undefined ? test : testSubset(perClass), { batchSize, shuffle: false }),
  };
}

/** Seed key of the fixed test subset (train and test subsets use 1, 2). */
const TEST_SUBSET_KEY = 3;

/** make(k), computed once per k. */
function fixedSubset<T>(make: (perClass: number) => T): (perClass: number) => T {
  const made = new Map<number, T>();
  return (k) => {
    let s = made.get(k);
    if (s === undefined) made.set(k, (s = make(k)));
    return s;
  };
}

function takeFeatures(s: FeatureSplit, idx: Int32Array): FeatureSplit {
  const per = s.frames * s.mels;
  const x = new Float32Array(idx.length * per);
  const labels = new Int32Array(idx.length);
  const files: string[] = [];
  idx.forEach((i, k) => {
    x.set(s.x.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = s.labels[i]!;
    files.push(s.files[i]!);
  });
  return { ...s, n: idx.length, x, labels, files };
}

/** A standardised copy (the cached split stays as loaded). */
function standardized(s: FeatureSplit, st: { mean: number; std: number }): FeatureSplit {
  const x = new Float32Array(s.x.length);
  const std = st.std > 0 ? st.std : 1;
  for (let i = 0; i < x.length; i++) x[i] = (s.x[i]! - st.mean) / std;
  return { ...s, x };
}

type TextSpec = Extract<DatasetSpec, { bptt: number }>;

function textData(corpus: TextCorpus, spec: TextSpec): TextData {
  const cut = (ids: Int32Array, n: number | null) =>
    n === null || n >= ids.length ? ids : ids.subarray(0, n);
  const train = cut(corpus.train, spec.trainTokens);
  const test = cut(corpus.test, spec.testTokens);
  return {
    kind: "text",
    info: {
      name: corpus.name,
      label: label(corpus.name, corpus.standIn),
      standIn: corpus.standIn,
      source: corpus.source,
      train: train.length,
      test: test.length,
      numClasses: null,
      vocabSize: corpus.vocab.length,
    },
    vocabSize: corpus.vocab.length,
    train,
    test,
  };
}

/**
 * A seeded order-1 Markov chain: word v is followed by one of three
 * words with probabilities 0.6, 0.3 and 0.1, so a model can learn it
 * (the best perplexity is about exp(0.90) = 2.5).
 */
export function syntheticText(vocabSize: number, tokens: number, seed: number): TextCorpus {
  const rng = Rng.derive(seed, 7001);
  const next = Array.from({ length: vocabSize }, () =>
    [rng.int(vocabSize), rng.int(vocabSize), rng.int(vocabSize)]);
  const stream = (n: number) => {
    const out = new Int32Array(n);
    let v = rng.int(vocabSize);
    for (let i = 0; i < n; i++) {
      out[i] = v;
      const u = rng.float();
      v = next[v]![u < 0.6 ? 0 : u < 0.9 ? 1 : 2]!;
    }
    return out;
  };
  const train = stream(tokens);
  const test = stream(Math.max(2, Math.floor(tokens / 4)));
  return {
    name: "synthetic-text",
    standIn: {
      for: "ptb",
      label: "synthetic Markov text (test stand-in for PTB)",
      reason: "a tiny seeded corpus for tests of the language-model loop",
    },
    vocab: Array.from({ length: vocabSize }, (_, i) => `w${i}`),
    train,
    valid: test,
    test,
    source: `generated (vocabulary ${vocabSize}, seed ${seed})`,
  };
}
