/**
 * CIFAR-100 (Krizhevsky 2009), the official binary version:
 * `<data>/cifar100/cifar-100-binary/{train.bin,test.bin}` (records of
 * 1 coarse label byte, 1 fine label byte, 3072 pixel bytes) with
 * `fine_label_names.txt` and `coarse_label_names.txt`.
 * Download: cifar-100-binary.tar.gz from the dataset's home page (MD5
 * checked). Not reachable on the project's offline machines, where
 * Fashion-MNIST stands in (see fashion-mnist.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { md5 } from "../checksum";
import { orderSources, silentReporter, trySources } from "../fetch";
import type { Source } from "../fetch";
import { readCifarBin } from "../formats";
import { cacheDir, dataRoot, shortPath } from "../paths";
import type { ImageDataset, ImageSplit } from "../types";
import { allExist, notFound, officialTarSource } from "./common";
import type { FetchOptions, FetchResult } from "./common";

export const CIFAR100_OFFICIAL = {
  url: "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
  checksum: md5("03b5dce01913d631647c71ecec9e9cb8"),
  size: 168513733,
};

const FILES = ["train.bin", "test.bin"];

/** `<data>/cifar100/cifar-100-binary` */
export function cifar100Dir(root?: string): string {
  return join(dataRoot(root), "cifar100", "cifar-100-binary");
}

export interface Cifar100LoadOptions {
  root?: string;
  dir?: string;
  /** Which label is `labels` (default "fine", 100 classes). */
  labels?: "fine" | "coarse";
}

function names(dir: string, file: string, count: number): string[] {
  const path = join(dir, file);
  if (!existsSync(path)) {
    return Array.from({ length: count }, (_, i) => `class_${i}`);
  }
  const list = readFileSync(path, "utf8").split(/\r?\n/).filter((s) => s !== "");
  if (list.length !== count) {
    throw new Error(`${shortPath(path)}: ${list.length} names, want ${count}`);
  }
  return list;
}

function split(dir: string, file: string, fine: boolean): ImageSplit {
  const path = join(dir, file);
  const r = readCifarBin(readFileSync(path), 2, shortPath(path));
  const [coarse, fineL] = r.labels as [Int32Array, Int32Array];
  for (let i = 0; i < r.n; i++) {
    if (fineL[i]! > 99 || coarse[i]! > 19) {
      throw new Error(
        `${shortPath(path)}: record ${i} has labels ${coarse[i]}/${fineL[i]} ` +
          `(coarse must be < 20, fine < 100)`,
      );
    }
  }
  return {
    n: r.n,
    images: r.images,
    labels: fine ? fineL : coarse,
    coarseLabels: coarse,
  };
}

/** Loads CIFAR-100 from the official binary files. */
export async function loadCifar100(
  opts: Cifar100LoadOptions = {},
): Promise<ImageDataset> {
  const dir = opts.dir ?? cifar100Dir(opts.root);
  if (!allExist(dir, FILES)) {
    throw notFound(
      "CIFAR-100 (train.bin, test.bin)",
      dir,
      "run `npm run data -- cifar100` where the internet is reachable",
    );
  }
  const fine = (opts.labels ?? "fine") === "fine";
  const numClasses = fine ? 100 : 20;
  return {
    name: fine ? "cifar100" : "cifar100-coarse",
    standIn: null,
    height: 32,
    width: 32,
    channels: 3,
    numClasses,
    classNames: names(
      dir,
      fine ? "fine_label_names.txt" : "coarse_label_names.txt",
      numClasses,
    ),
    train: split(dir, "train.bin", fine),
    test: split(dir, "test.bin", fine),
    source: shortPath(dir, opts.root),
  };
}

/** Downloads and extracts CIFAR-100 (idempotent). */
export async function fetchCifar100(
  opts: FetchOptions & { official?: typeof CIFAR100_OFFICIAL } = {},
): Promise<FetchResult> {
  const rep = opts.reporter ?? silentReporter;
  const dir = cifar100Dir(opts.root);
  const official = opts.official ?? CIFAR100_OFFICIAL;
  const tgz = join(cacheDir(opts.root), "cifar-100-binary.tar.gz");
  if (allExist(dir, FILES)) {
    await loadCifar100({ dir }); // parses and range-checks every record
    return { status: "present", source: "existing files", dir };
  }
  const sources: Source[] = [
    officialTarSource({
      official,
      tgz,
      dir,
      reporter: rep,
      extract: { strip: "cifar-100-binary/" },
      check: async (tmp) => {
        await loadCifar100({ dir: tmp });
      },
    }),
  ];
  const used = await trySources("CIFAR-100", orderSources(sources, opts.sources), rep);
  return { status: "fetched", source: used, dir };
}
