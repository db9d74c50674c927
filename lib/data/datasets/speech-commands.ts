/**
 * Speech Commands v0.02 (Warden 2018): 1 s, 16 kHz mono 16-bit WAV clips
 * in one folder per word, plus `validation_list.txt` and
 * `testing_list.txt` (paths like `right/bb05582b_nohash_0.wav`); every
 * other clip is training data; `_background_noise_` is not a class.
 * Official archive: speech_commands_v0.02.tar.gz (2,428,923,189 bytes,
 * SHA-256 below, as published by torchaudio and TensorFlow Datasets);
 * it has no top folder and is extracted to
 * `<data>/speech_commands/speech_commands_v0.02/`.
 *
 * The loader computes log-mel features clip by clip (see audio/logmel.ts),
 * so the whole set never sits in memory as raw audio. The synthetic
 * keyword stand-in (standins/keywords.ts) is written in this same layout
 * and read by this same loader.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LOGMEL, logMelExtractor } from "../audio";
import type { LogMelConfig } from "../audio";
import { sha256 } from "../checksum";
import { orderSources, silentReporter, trySources } from "../fetch";
import type { Source } from "../fetch";
import { readWav } from "../formats";
import { cacheDir, dataRoot, shortPath } from "../paths";
import { balancedSubset } from "../pipeline/subset";
import { Rng } from "../rng";
import type { AudioSplit, FeatureSplit, SpeechDataset, StandIn } from "../types";
import { notFound, officialTarSource } from "./common";
import type { FetchOptions, FetchResult } from "./common";

export const SPEECH_COMMANDS_OFFICIAL = {
  url: "http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz",
  checksum: sha256(
    "af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58",
  ),
  size: 2428923189,
};

/** The ten command words of the v0.02 benchmark's 12-class task. */
export const COMMAND_WORDS = [
  "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
];

export const SAMPLE_RATE = 16000;

/** `<data>/speech_commands/speech_commands_v0.02` */
export function speechCommandsDir(root?: string): string {
  return join(dataRoot(root), "speech_commands", "speech_commands_v0.02");
}

/**
 * The official split rule (tensorflow/examples/speech_commands
 * input_data.which_set): the speaker part of the file name (before
 * `_nohash_`) is hashed with SHA-1, so a speaker's clips share a split.
 */
export function whichSet(
  fileName: string,
  validationPercent = 10,
  testingPercent = 10,
): "validation" | "testing" | "training" {
  const base = fileName.split("/").pop() ?? fileName;
  const speaker = base.replace(/_nohash_.*$/, "");
  const hex = createHash("sha1").update(speaker, "utf8").digest("hex");
  const maxWavs = 2 ** 27 - 1;
  const mod = Number(BigInt(`0x${hex}`) % BigInt(maxWavs + 1));
  const pct = mod * (100 / maxWavs);
  if (pct < validationPercent) return "validation";
  if (pct < validationPercent + testingPercent) return "testing";
  return "training";
}

/** File lists and labels per split, before any audio is read. */
export interface SpeechIndex {
  classNames: string[];
  train: { files: string[]; labels: Int32Array };
  validation: { files: string[]; labels: Int32Array };
  test: { files: string[]; labels: Int32Array };
}

export interface SpeechListOptions {
  /** Keep only these words (default: every word folder). */
  words?: string[];
  /** At most this many clips per class and split (seeded choice). */
  maxPerClass?: number;
  /** Seed for the maxPerClass choice (default 0). */
  seed?: number;
}

function readList(dir: string, name: string): Set<string> {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw notFound(`Speech Commands ${name}`, dir, "is the layout official?");
  }
  return new Set(
    readFileSync(path, "utf8")
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s !== ""),
  );
}

/** Lists clips and assigns splits from the official list files. */
export function listSpeechCommands(
  dir: string,
  opts: SpeechListOptions = {},
): SpeechIndex {
  if (!existsSync(dir)) {
    throw notFound("Speech Commands", dir, "run `npm run data -- speech-commands`");
  }
  const valSet = readList(dir, "validation_list.txt");
  const testSet = readList(dir, "testing_list.txt");
  const folders = readdirSync(dir)
    .filter((d) => !d.startsWith("_") && !d.startsWith("."))
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort();
  const words = opts.words ?? folders;
  for (const w of words) {
    if (!folders.includes(w)) {
      throw new Error(
        `Speech Commands: no folder for word "${w}" in ${shortPath(dir)} ` +
          `(have: ${folders.join(", ")})`,
      );
    }
  }
  const parts = {
    train: [] as [string, number][],
    validation: [] as [string, number][],
    test: [] as [string, number][],
  };
  words.forEach((w, label) => {
    const files = readdirSync(join(dir, w))
      .filter((f) => f.endsWith(".wav"))
      .sort();
    for (const f of files) {
      const rel = `${w}/${f}`;
      const part = valSet.has(rel) ? "validation" : testSet.has(rel) ? "test" : "train";
      parts[part].push([rel, label]);
    }
  });
  const finish = (items: [string, number][], key: number) => {
    let files = items.map((x) => x[0]);
    let labels = Int32Array.from(items, (x) => x[1]);
    if (opts.maxPerClass !== undefined) {
      const idx = balancedSubset(labels, opts.maxPerClass, Rng.derive(opts.seed ?? 0, key), {
        allowFewer: true,
      });
      files = Array.from(idx, (i) => files[i]!);
      labels = Int32Array.from(idx, (i) => labels[i]!);
    }
    return { files, labels };
  };
  return {
    classNames: [...words],
    train: finish(parts.train, 1),
    validation: finish(parts.validation, 2),
    test: finish(parts.test, 3),
  };
}

/** Reads one clip as exactly `clipSamples` samples (zero-padded/cut). */
export function readClip(path: string, clipSamples = SAMPLE_RATE): Float32Array {
  const wav = readWav(readFileSync(path), path);
  if (wav.sampleRate !== SAMPLE_RATE) {
    throw new Error(`${path}: sample rate ${wav.sampleRate}, want ${SAMPLE_RATE}`);
  }
  const out = new Float32Array(clipSamples);
  out.set(wav.samples.subarray(0, clipSamples));
  return out;
}

/** Reads raw audio for a list of clips. */
export function loadAudioSplit(
  dir: string,
  list: { files: string[]; labels: Int32Array },
  clipSamples = SAMPLE_RATE,
): AudioSplit {
  const n = list.files.length;
  const waves = new Float32Array(n * clipSamples);
  list.files.forEach((f, i) => waves.set(readClip(join(dir, f), clipSamples), i * clipSamples));
  return { n, waves, labels: list.labels, clipSamples, files: list.files };
}

/** Reads clips and computes their log-mel features. */
export function featureSplit(
  dir: string,
  list: { files: string[]; labels: Int32Array },
  cfg: LogMelConfig = DEFAULT_LOGMEL,
  onClip?: (done: number, total: number) => void,
): FeatureSplit {
  const ex = logMelExtractor(cfg);
  const frames = ex.frames(SAMPLE_RATE);
  const n = list.files.length;
  const x = new Float32Array(n * frames * cfg.nMels);
  list.files.forEach((f, i) => {
    ex.compute(readClip(join(dir, f)), x, i * frames * cfg.nMels);
    onClip?.(i + 1, n);
  });
  return { n, x, labels: list.labels, frames, mels: cfg.nMels, files: list.files };
}

export interface SpeechLoadOptions extends SpeechListOptions {
  root?: string;
  /** Read this folder (official layout) instead of the default. */
  dir?: string;
  features?: LogMelConfig;
  /** Set for stand-ins written in this layout. */
  standIn?: StandIn | null;
  name?: string;
  onClip?: (done: number, total: number) => void;
}

/** Loads Speech Commands (or a stand-in in its layout) as log-mels. */
export async function loadSpeechCommands(
  opts: SpeechLoadOptions = {},
): Promise<SpeechDataset> {
  const dir = opts.dir ?? speechCommandsDir(opts.root);
  const index = listSpeechCommands(dir, opts);
  const cfg = opts.features ?? DEFAULT_LOGMEL;
  const total = index.train.files.length + index.validation.files.length +
    index.test.files.length;
  let base = 0;
  const split = (l: { files: string[]; labels: Int32Array }) => {
    const s = featureSplit(dir, l, cfg, (d) => opts.onClip?.(base + d, total));
    base += l.files.length;
    return s;
  };
  return {
    name: opts.name ?? "speech-commands-v0.02",
    standIn: opts.standIn ?? null,
    sampleRate: SAMPLE_RATE,
    numClasses: index.classNames.length,
    classNames: index.classNames,
    train: split(index.train),
    validation: split(index.validation),
    test: split(index.test),
    source: shortPath(dir, opts.root),
  };
}

/** Downloads and extracts Speech Commands v0.02 (idempotent). */
export async function fetchSpeechCommands(
  opts: FetchOptions & { official?: typeof SPEECH_COMMANDS_OFFICIAL } = {},
): Promise<FetchResult> {
  const rep = opts.reporter ?? silentReporter;
  const dir = speechCommandsDir(opts.root);
  const official = opts.official ?? SPEECH_COMMANDS_OFFICIAL;
  const lists = ["validation_list.txt", "testing_list.txt"];
  if (lists.every((f) => existsSync(join(dir, f)))) {
    const idx = listSpeechCommands(dir);
    const n = idx.train.files.length + idx.validation.files.length + idx.test.files.length;
    rep.info(`  ${n} clips in ${idx.classNames.length} word folders`);
    return { status: "present", source: "existing files", dir };
  }
  const tgz = join(cacheDir(opts.root), "speech_commands_v0.02.tar.gz");
  const sources: Source[] = [
    officialTarSource({
      official,
      tgz,
      dir,
      reporter: rep,
      extract: { onProgress: (d, t) => rep.progress("extracting", d, t) },
      check: (tmp) => {
        listSpeechCommands(tmp);
      },
    }),
  ];
  const used = await trySources(
    "Speech Commands v0.02",
    orderSources(sources, opts.sources),
    rep,
  );
  return { status: "fetched", source: used, dir };
}
