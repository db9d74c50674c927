/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) in its official IDX files,
 * as packaged by Debian's dataset-fashion-mnist
 * (/usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz; FASHION_MNIST_DIR
 * or the `dir` option overrides). The uncompressed files are checked
 * against the official MD5s.
 *
 * Used as the clearly labelled stand-in for CIFAR-100 and ImageNet32,
 * which cannot be downloaded here. Decision: each 28x28 grey image is
 * zero-padded by 2 pixels to 32x32 (no resampling, pixels stay exact, as
 * LeNet-5 did with MNIST) and, by default, repeated into 3 channels so
 * the CIFAR models and per-channel normalisation run unchanged
 * (`channels: 1` keeps one channel). It has 10 classes, not 100 or 1000:
 * results on it say nothing about class count.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Checksum, md5, verifyBytes } from "../checksum";
import { gunzipBounded, readIdx } from "../formats";
import type { ImageDataset, ImageSplit, StandIn } from "../types";
import { notFound } from "./common";

export const FASHION_MNIST_CLASSES = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
];

/** Official MD5s of the uncompressed IDX files. */
export const FASHION_MNIST_MD5: Record<string, Checksum> = {
  "train-images-idx3-ubyte": md5("f4a8712d7a061bf5bd6d2ca38dc4d50a"),
  "train-labels-idx1-ubyte": md5("9018921c3c673c538a1fc5bad174d6f9"),
  "t10k-images-idx3-ubyte": md5("8181f5470baa50b63fa0f6fddb340f0a"),
  "t10k-labels-idx1-ubyte": md5("15d484375f8d13e6eb1aabb0c3f46965"),
};

export const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

export function fashionMnistDir(dir?: string): string {
  return dir ?? process.env["FASHION_MNIST_DIR"] ?? FASHION_MNIST_DEBIAN_DIR;
}

export interface FashionMnistOptions {
  /** Folder with the IDX files (.gz or not). */
  dir?: string;
  /** The paper dataset it stands in for; null loads it as itself. */
  standInFor?: "cifar100" | "imagenet32" | null;
  /** 3 (default): grey repeated into RGB; 1: one channel. */
  channels?: 1 | 3;
  /** Check the official MD5s (default true, ~0.2 s). */
  verify?: boolean;
}

const PAPER_NAMES = { cifar100: "CIFAR-100", imagenet32: "ImageNet32" };

function readFile(dir: string, base: string, verify: boolean): Uint8Array {
  const gz = join(dir, `${base}.gz`);
  const plain = join(dir, base);
  const path = existsSync(gz) ? gz : plain;
  if (!existsSync(path)) {
    throw notFound(
      `Fashion-MNIST (${base}[.gz])`,
      dir,
      "install Debian's dataset-fashion-mnist (apt-get install " +
        "dataset-fashion-mnist) or set FASHION_MNIST_DIR",
    );
  }
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith(".gz")) bytes = gunzipBounded(bytes, path);
  if (verify) {
    verifyBytes(bytes, FASHION_MNIST_MD5[base]!, `${path} (uncompressed)`);
  }
  const idx = readIdx(bytes, path);
  return idx.data;
}

function split(
  images28: Uint8Array,
  labels: Uint8Array,
  channels: 1 | 3,
): ImageSplit {
  const n = labels.length;
  const images = new Uint8Array(n * 32 * 32 * channels);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) {
        const v = images28[i * 784 + r * 28 + c]!;
        const o = ((i * 32 + r + 2) * 32 + c + 2) * channels;
        for (let k = 0; k < channels; k++) images[o + k] = v;
      }
    }
  }
  return { n, images, labels: Int32Array.from(labels) };
}

/** Loads Fashion-MNIST as 32x32 images, optionally as a stand-in. */
export async function loadFashionMnist(
  opts: FashionMnistOptions = {},
): Promise<ImageDataset> {
  const dir = fashionMnistDir(opts.dir);
  const verify = opts.verify ?? true;
  const channels = opts.channels ?? 3;
  const f = (b: string) => readFile(dir, b, verify);
  const forWhat = opts.standInFor ?? null;
  const standIn: StandIn | null =
    forWhat === null
      ? null
      : {
          for: forWhat,
          label: `Fashion-MNIST (stand-in for ${PAPER_NAMES[forWhat]})`,
          reason:
            `${PAPER_NAMES[forWhat]} cannot be downloaded here; Fashion-MNIST ` +
            `is a second real image set (10 classes, 28x28 grey padded to ` +
            `32x32x${channels})`,
        };
  return {
    name: "fashion-mnist",
    standIn,
    height: 32,
    width: 32,
    channels,
    numClasses: 10,
    classNames: [...FASHION_MNIST_CLASSES],
    train: split(f("train-images-idx3-ubyte"), f("train-labels-idx1-ubyte"), channels),
    test: split(f("t10k-images-idx3-ubyte"), f("t10k-labels-idx1-ubyte"), channels),
    source: dir === FASHION_MNIST_DEBIAN_DIR ? "debian:dataset-fashion-mnist" : dir,
  };
}
