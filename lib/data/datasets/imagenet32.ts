/**
 * ImageNet32x32 (Chrabaszcz, Loshchilov & Hutter 2017, "A Downsampled
 * Variant of ImageNet as an Alternative to the CIFAR datasets").
 *
 * Official files (image-net.org, login required, so never downloaded
 * here): Imagenet32_train.zip holds `train_data_batch_1` ...
 * `train_data_batch_10`, Imagenet32_val.zip holds `val_data`. Each is a
 * Python pickle (`pickle.dump` of a dict) with
 *   'data':   uint8 ndarray [N, 3072], each row channel-planar like
 *             CIFAR (1024 R, 1024 G, 1024 B, 32x32 row-major),
 *   'labels': list of N ints in 1..1000 (1-based; we subtract 1),
 *   'mean':   float64 [3072] training mean (train batches only).
 * The same arrays also ship as .npz (Imagenet32_train_npz.zip,
 * Imagenet32_val_npz.zip: `train_data_batch_<i>.npz`, `val_data.npz`).
 * Both kinds are read here (pickle through a safe mini-unpickler).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dictArray, dictInts, readNpz, unpickle } from "../formats";
import type { NdArray } from "../formats";
import { dataRoot, shortPath } from "../paths";
import type { ImageDataset, ImageSplit } from "../types";

/** `<data>/imagenet32` */
export function imagenet32Dir(root?: string): string {
  return join(dataRoot(root), "imagenet32");
}

const TRAIN_DIRS = ["Imagenet32_train", "Imagenet32_train_npz", "."];
const VAL_DIRS = ["Imagenet32_val", "Imagenet32_val_npz", "."];

/** Where each file may be, in search order. */
function candidates(dir: string, base: string, subdirs: string[]): string[] {
  return subdirs.flatMap((s) => [join(dir, s, base), join(dir, s, `${base}.npz`)]);
}

function find(dir: string, base: string, subdirs: string[]): string | null {
  return candidates(dir, base, subdirs).find((p) => existsSync(p)) ?? null;
}

/** Exactly where the user must put the files. */
export function imagenet32Instructions(root?: string): string {
  const dir = shortPath(imagenet32Dir(root), root);
  return [
    "ImageNet32 needs a (free) image-net.org login, so it is not downloaded.",
    "Download 'Imagenet32_train.zip' and 'Imagenet32_val.zip' (pickle",
    "files; the _npz variants work too) from image-net.org's",
    "'Downsampled ImageNet' page and unzip them so that these exist:",
    `  ${dir}/Imagenet32_train/train_data_batch_1 ... train_data_batch_10`,
    `  ${dir}/Imagenet32_val/val_data`,
    `(or ${dir}/Imagenet32_train_npz/train_data_batch_<i>.npz and`,
    ` ${dir}/Imagenet32_val_npz/val_data.npz). Optionally add`,
    `  ${dir}/map_clsloc.txt (synset, 1-based id, name) for class names.`,
    "Then run `npm run data -- imagenet32` to check them.",
  ].join("\n");
}

interface Batch {
  data: NdArray;
  labels: number[];
}

/** Reads one official batch file (pickle or npz). */
export function readImagenet32Batch(path: string, label = path): Batch {
  const bytes = readFileSync(path);
  if (path.endsWith(".npz")) {
    const m = readNpz(bytes, label);
    const data = m.get("data");
    const labels = m.get("labels");
    if (!data || !labels) {
      throw new Error(`${label}: npz lacks 'data' or 'labels'`);
    }
    return { data, labels: Array.from(labels.data, Number) };
  }
  const d = unpickle(bytes, label);
  return { data: dictArray(d, "data", label), labels: dictInts(d, "labels", label) };
}

/** Appends a batch to a split under construction (NHWC, 0-based). */
function toSplit(batches: Batch[], labels: string[]): ImageSplit {
  const n = batches.reduce((a, b) => a + b.labels.length, 0);
  const images = new Uint8Array(n * 3072);
  const out = new Int32Array(n);
  let o = 0;
  batches.forEach((b, bi) => {
    const { data } = b;
    const rows = b.labels.length;
    if (data.dtype !== "u1" || data.shape.length !== 2 || data.shape[1] !== 3072 ||
      data.shape[0] !== rows) {
      throw new Error(
        `${labels[bi]}: 'data' is ${data.dtype} [${data.shape}], want ` +
          `uint8 [${rows}, 3072] (one row per label)`,
      );
    }
    const px = data.data as Uint8Array;
    for (let i = 0; i < rows; i++) {
      const y = b.labels[i]!;
      if (!(y >= 1 && y <= 1000)) {
        throw new Error(`${labels[bi]}: label ${y} at row ${i} not in 1..1000`);
      }
      out[o] = y - 1;
      const src = i * 3072;
      const dst = o * 3072;
      for (let p = 0; p < 1024; p++) {
        images[dst + 3 * p] = px[src + p]!;
        images[dst + 3 * p + 1] = px[src + 1024 + p]!;
        images[dst + 3 * p + 2] = px[src + 2048 + p]!;
      }
      o++;
    }
  });
  return { n, images, labels: out };
}

export interface Imagenet32LoadOptions {
  root?: string;
  dir?: string;
  /** Training batch numbers 1..10 (default all: ~3.9 GB in memory). */
  trainBatches?: number[];
}

/** Which official files are present, and which are missing. */
export function imagenet32Files(dir: string, trainBatches = range(10)) {
  const found: string[] = [];
  const missing: string[] = [];
  for (const i of trainBatches) {
    const p = find(dir, `train_data_batch_${i}`, TRAIN_DIRS);
    if (p) found.push(p);
    else missing.push(`Imagenet32_train/train_data_batch_${i}`);
  }
  const val = find(dir, "val_data", VAL_DIRS);
  if (!val) missing.push("Imagenet32_val/val_data");
  return { train: found, val, missing };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function classNames(dir: string): string[] {
  const map = join(dir, "map_clsloc.txt");
  const names = Array.from({ length: 1000 }, (_, i) => `class_${i + 1}`);
  if (!existsSync(map)) return names;
  for (const line of readFileSync(map, "utf8").split(/\r?\n/)) {
    const [synset, id, name] = line.trim().split(/\s+/);
    const k = Number(id);
    if (synset && k >= 1 && k <= 1000) names[k - 1] = name ?? synset;
  }
  return names;
}

/** Loads ImageNet32 from the official pickle or npz files. */
export async function loadImagenet32(
  opts: Imagenet32LoadOptions = {},
): Promise<ImageDataset> {
  const dir = opts.dir ?? imagenet32Dir(opts.root);
  const files = imagenet32Files(dir, opts.trainBatches ?? range(10));
  if (files.missing.length > 0 || files.val === null) {
    throw new Error(
      `ImageNet32 files missing: ${files.missing.join(", ")}\n` +
        imagenet32Instructions(opts.root),
    );
  }
  const label = (p: string) => shortPath(p, opts.root);
  const train = toSplit(
    files.train.map((p) => readImagenet32Batch(p, label(p))),
    files.train.map(label),
  );
  const test = toSplit([readImagenet32Batch(files.val, label(files.val))], [
    label(files.val),
  ]);
  return {
    name: "imagenet32",
    standIn: null,
    height: 32,
    width: 32,
    channels: 3,
    numClasses: 1000,
    classNames: classNames(dir),
    train,
    test,
    source: shortPath(dir, opts.root),
  };
}
