/**
 * Synthetic spoken keywords: the stand-in for Speech Commands, which
 * cannot be downloaded here. Clips are synthesised with espeak-ng and
 * flite, processed with sox and finished in TypeScript:
 *   random speaker (engine, voice, variant), speed 110-230 wpm, pitch
 *   15-85; sox: 16 kHz mono float, trim silence at both ends, 40 Hz
 *   high-pass, no dither (-D); TS: 10 ms linear fades (or a model learns
 *   the clicks), random peak level, random placement in a 1 s clip,
 *   white Gaussian noise at 5-40 dB SNR from the seeded PRNG, 16-bit PCM.
 * Every random choice of clip k of word w comes from Rng.derive(seed, w,
 * k), so the output is byte-identical for a seed (given the same
 * espeak-ng, flite and sox versions, which the manifest records).
 *
 * Written in the Speech Commands layout (a folder per word,
 * `<speaker>_nohash_<k>.wav`, validation_list.txt and testing_list.txt
 * from the official speaker-hash rule), so `loadSpeechCommands` reads it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMAND_WORDS, loadSpeechCommands, whichSet } from "../datasets/speech-commands";
import type { SpeechLoadOptions } from "../datasets/speech-commands";
import { buildDir } from "../datasets/common";
import { type Reporter, silentReporter } from "../fetch";
import { writeWav16 } from "../formats";
import { dataRoot, shortPath } from "../paths";
import { Rng } from "../rng";
import type { SpeechDataset, StandIn } from "../types";

export const KEYWORDS_STANDIN: StandIn = {
  for: "speech-commands",
  label: "Synthetic keywords (espeak-ng/flite; stand-in for Speech Commands)",
  reason:
    "Speech Commands v0.02 cannot be downloaded here; synthetic voices " +
    "saying the same words, with noise, in the same file layout",
};

export interface KeywordConfig {
  seed: number;
  words: string[];
  /** Clips per word. */
  perWord: number;
  /** Words per minute (espeak-ng -s; flite duration_stretch = 175/speed). */
  speed: [number, number];
  /** espeak-ng -p 0..99; flite f0 mean = 80 + 1.6 * pitch Hz. */
  pitch: [number, number];
  snrDb: [number, number];
  /** Peak level before noise. */
  peak: [number, number];
  /** Share of clips by flite (the rest by espeak-ng). */
  fliteShare: number;
}

export const DEFAULT_KEYWORDS: KeywordConfig = {
  seed: 1,
  words: [...COMMAND_WORDS],
  perWord: 500,
  speed: [110, 230],
  pitch: [15, 85],
  snrDb: [5, 40],
  peak: [0.2, 0.9],
  fliteShare: 0.25,
};

const ESPEAK_VOICES = [
  "en-us", "en", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan",
  "en-gb-x-gbcwmd", "en-029", "en-us-nyc",
];
const ESPEAK_VARIANTS = [
  "", "m1", "m2", "m3", "m4", "m5", "m6", "m7",
  "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "croak",
];
const FLITE_VOICES = ["kal", "kal16", "awb", "rms", "slt"];

const RATE = 16000;
const FADE = 160; // 10 ms

/** `<data>/keywords` */
export function keywordsDir(root?: string): string {
  return join(dataRoot(root), "keywords");
}

interface Clip {
  word: string;
  file: string;
  speaker: string;
  args: { engine: "espeak" | "flite"; voice: string; speed: number; pitch: number };
  peak: number;
  snrDb: number;
  place: number; // uniform [0,1): position in the free space
}

/** The random choices of clip k of word w (pure function of the seed). */
export function drawClip(cfg: KeywordConfig, w: number, k: number): Clip {
  const rng = Rng.derive(cfg.seed, w, k);
  const flite = rng.float() < cfg.fliteShare;
  const voice = flite
    ? rng.pick(FLITE_VOICES)
    : (() => {
        const v = rng.pick(ESPEAK_VOICES);
        const variant = rng.pick(ESPEAK_VARIANTS);
        return variant ? `${v}+${variant}` : v;
      })();
  const speed = Math.round(rng.uniform(cfg.speed[0], cfg.speed[1]));
  const pitch = Math.round(rng.uniform(cfg.pitch[0], cfg.pitch[1]));
  const peak = rng.uniform(cfg.peak[0], cfg.peak[1]);
  const snrDb = rng.uniform(cfg.snrDb[0], cfg.snrDb[1]);
  const place = rng.float();
  const engine = flite ? "flite" : "espeak";
  const speaker = `${engine}:${voice}`;
  const hash = createHash("sha1").update(speaker).digest("hex").slice(0, 8);
  const word = cfg.words[w]!;
  return {
    word,
    file: `${word}/${hash}_nohash_${k}.wav`,
    speaker,
    args: { engine, voice, speed, pitch },
    peak,
    snrDb,
    place,
  };
}

function run(
  cmd: string,
  args: string[],
  stdout = false,
  anyExit = false,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (c: Buffer) => stdout && out.push(c));
    p.stderr.on("data", (c) => (err += c));
    p.on("error", (e) =>
      reject(new Error(`cannot run ${cmd} (${e.message}); install Debian's ${cmd}`)),
    );
    p.on("close", (code) =>
      code === 0 || anyExit
        ? resolve(Buffer.concat(out))
        : reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}

/** Synthesises, trims and resamples one utterance: float samples. */
async function speak(c: Clip, tmp: string): Promise<Float32Array> {
  const wav = join(tmp, `${c.file.replace("/", "_")}.wav`);
  const { engine, voice, speed, pitch } = c.args;
  if (engine === "espeak") {
    await run("espeak-ng", ["-v", voice, "-s", `${speed}`, "-p", `${pitch}`, "-w", wav, c.word]);
  } else {
    const stretch = (175 / speed).toFixed(3);
    const f0 = (80 + 1.6 * pitch).toFixed(1);
    await run("flite", ["-voice", voice, "--setf", `duration_stretch=${stretch}`,
      "--setf", `int_f0_target_mean=${f0}`, "-t", c.word, "-o", wav]);
  }
  const raw = await run("sox", ["-D", "-V1", wav, "-t", "raw", "-e", "floating-point",
    "-b", "32", "-L", "-r", `${RATE}`, "-c", "1", "-",
    "silence", "1", "0.01", "0.2%", "reverse", "silence", "1", "0.01", "0.2%", "reverse",
    "highpass", "40"], true);
  rmSync(wav, { force: true });
  const n = raw.length >> 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = raw.readFloatLE(4 * i);
  if (n < 2 * FADE) throw new Error(`${c.file}: ${c.speaker} produced ${n} samples`);
  return out;
}

/** Places the utterance in a 1 s clip with fades, level and noise. */
export function finishClip(c: Clip, speech: Float32Array, w: number, k: number, seed: number) {
  const len = Math.min(speech.length, RATE);
  const s = speech.slice(0, len);
  for (let i = 0; i < FADE; i++) {
    s[i]! *= i / FADE;
    s[len - 1 - i]! *= i / FADE;
  }
  let peak = 0;
  for (let i = 0; i < len; i++) peak = Math.max(peak, Math.abs(s[i]!));
  const gain = peak > 0 ? c.peak / peak : 0;
  let power = 0;
  for (let i = 0; i < len; i++) {
    s[i]! *= gain;
    power += s[i]! * s[i]!;
  }
  power /= len;
  const clip = new Float32Array(RATE);
  const offset = Math.floor(c.place * (RATE - len + 1));
  clip.set(s, offset);
  const sigma = Math.sqrt(power / 10 ** (c.snrDb / 10));
  const noise = Rng.derive(seed, w, k, 1); // a stream apart from the draws
  for (let i = 0; i < RATE; i++) {
    clip[i] = Math.max(-1, Math.min(1, clip[i]! + sigma * noise.normal()));
  }
  return clip;
}

/** Versions of the tools, recorded with the data. */
export async function toolVersions(): Promise<Record<string, string>> {
  const text = (b: Buffer) => b.toString("utf8");
  const espeak = text(await run("espeak-ng", ["--version"], true));
  // flite --version exits 1 after printing
  const flite = text(await run("flite", ["--version"], true, true));
  const sox = text(await run("sox", ["--version"], true));
  return {
    "espeak-ng": (/eSpeak NG text-to-speech: (\S+)/.exec(espeak)?.[1] ?? "?").trim(),
    flite: (/version: (\S+)/.exec(flite)?.[1] ?? "?").trim(),
    sox: (/SoX (v\S+)/.exec(sox)?.[1] ?? "?").trim(),
  };
}

/** sha256 over every file's path and bytes (sorted): one tree hash. */
export function treeHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === "manifest.json") continue;
      const p = join(dir, r);
      if (readdirSafe(p)) walk(r);
      else h.update(`${r}\0`).update(readFileSync(p)).update("\0");
    }
  };
  walk("");
  return h.digest("hex");
}

function readdirSafe(p: string): boolean {
  try {
    readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

export interface KeywordManifest {
  standIn: StandIn;
  config: KeywordConfig;
  tools: Record<string, string>;
  counts: { train: number; validation: number; test: number };
  speakers: number;
  treeHash: string;
}

export interface GenerateOptions {
  root?: string;
  /** Write here instead of `<data>/keywords`. */
  dir?: string;
  config?: Partial<KeywordConfig>;
  /** Parallel synthesis jobs (default 2). */
  jobs?: number;
  reporter?: Reporter;
  /** Regenerate even if present. */
  force?: boolean;
}

/** Generates the keyword set (idempotent: verifies an existing one). */
export async function generateKeywords(
  opts: GenerateOptions = {},
): Promise<{ status: "present" | "generated"; dir: string; manifest: KeywordManifest }> {
  const rep = opts.reporter ?? silentReporter;
  const cfg: KeywordConfig = { ...DEFAULT_KEYWORDS, ...opts.config };
  if (!(Number.isInteger(cfg.perWord) && cfg.perWord >= 1)) {
    throw new Error(`keywords: perWord must be a positive integer, got ${cfg.perWord}`);
  }
  if (cfg.words.length === 0) throw new Error("keywords: no words");
  const dir = opts.dir ?? keywordsDir(opts.root);
  const manifestPath = join(dir, "manifest.json");
  if (!opts.force && existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as KeywordManifest;
    if (JSON.stringify(m.config) === JSON.stringify(cfg)) {
      const h = treeHash(dir);
      if (h !== m.treeHash) {
        throw new Error(
          `${shortPath(dir)}: files changed since generation (tree sha256 ` +
            `expected ${m.treeHash}, got ${h}); run with --force to regenerate`,
        );
      }
      return { status: "present", dir, manifest: m };
    }
    rep.info(`keywords: the configuration changed; regenerating ${shortPath(dir)}`);
  }
  const tools = await toolVersions();
  const clips: [Clip, number, number][] = [];
  cfg.words.forEach((_, w) => {
    for (let k = 0; k < cfg.perWord; k++) clips.push([drawClip(cfg, w, k), w, k]);
  });
  let manifest: KeywordManifest | null = null;
  await buildDir(dir, async (out) => {
    for (const w of cfg.words) mkdirSync(join(out, w), { recursive: true });
    const tmp = mkdtempSync(join(tmpdir(), "keywords-"));
    try {
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < clips.length) {
          const [c, w, k] = clips[next++]!;
          const clip = finishClip(c, await speak(c, tmp), w, k, cfg.seed);
          writeFileSync(join(out, c.file), writeWav16(clip, RATE));
          rep.progress("synthesising clips", ++done, clips.length);
        }
      };
      await Promise.all(Array.from({ length: opts.jobs ?? 2 }, worker));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const val: string[] = [];
    const test: string[] = [];
    for (const [c] of clips) {
      const set = whichSet(c.file);
      if (set === "validation") val.push(c.file);
      if (set === "testing") test.push(c.file);
    }
    writeFileSync(join(out, "validation_list.txt"), val.sort().map((f) => `${f}\n`).join(""));
    writeFileSync(join(out, "testing_list.txt"), test.sort().map((f) => `${f}\n`).join(""));
    manifest = {
      standIn: KEYWORDS_STANDIN,
      config: cfg,
      tools,
      counts: {
        train: clips.length - val.length - test.length,
        validation: val.length,
        test: test.length,
      },
      speakers: new Set(clips.map(([c]) => c.speaker)).size,
      treeHash: treeHash(out),
    };
    writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  });
  return { status: "generated", dir, manifest: manifest! };
}

/** Loads the keyword stand-in through the Speech Commands loader. */
export async function loadKeywords(
  opts: Omit<SpeechLoadOptions, "dir" | "standIn" | "name"> & { dir?: string } = {},
): Promise<SpeechDataset> {
  const dir = opts.dir ?? keywordsDir(opts.root);
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new Error(
      `keyword stand-in not found at ${shortPath(dir)}; ` +
        "run `npm run data -- keywords`",
    );
  }
  const name = "keywords-synth";
  return loadSpeechCommands({ ...opts, dir, standIn: KEYWORDS_STANDIN, name });
}
