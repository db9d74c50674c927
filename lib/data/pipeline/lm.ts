/**
 * Word-level language-model data (Mikolov's PTB format): vocabulary,
 * token ids with <eos> after each line, batchify into [batchSize, T]
 * streams and truncated-BPTT windows, as in Zaremba et al. (2014) and
 * AWD-LSTM (Merity et al. 2017).
 */
import type { Rng } from "../rng";

export const EOS = "<eos>";
export const UNK = "<unk>";

/** Tokens of one line of text. */
export const tokens = (line: string) => line.trim().split(/\s+/).filter((t) => t !== "");

/** Vocabulary in order of first appearance (then <eos> where it falls). */
export function buildVocab(lines: Iterable<string>): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  const add = (w: string) => {
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  };
  for (const line of lines) {
    for (const t of tokens(line)) add(t);
    add(EOS);
  }
  return words;
}

/**
 * Token ids of `lines`, <eos> after each. A word outside the vocabulary
 * maps to <unk> when the vocabulary has it, else is an error.
 */
export function encodeLines(lines: string[], vocab: string[], label = "text"): Int32Array {
  const ids = new Map(vocab.map((w, i) => [w, i]));
  const eos = ids.get(EOS);
  if (eos === undefined) throw new Error(`${label}: vocabulary lacks ${EOS}`);
  const unk = ids.get(UNK);
  const out: number[] = [];
  lines.forEach((line, n) => {
    for (const t of tokens(line)) {
      const id = ids.get(t) ?? unk;
      if (id === undefined) {
        throw new Error(`${label}:${n + 1}: word "${t}" is not in the vocabulary`);
      }
      out.push(id);
    }
    out.push(eos);
  });
  return Int32Array.from(out);
}

/** A token stream cut into batchSize rows of T tokens each. */
export interface Batchified {
  /** [batchSize, steps], row b = tokens b*steps ... (b+1)*steps-1. */
  data: Int32Array;
  batchSize: number;
  steps: number;
}

/** Trims the tail and lays the stream out as [batchSize, T]. */
export function batchify(ids: Int32Array, batchSize: number): Batchified {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new Error(`batchify: batchSize must be a positive integer, got ${batchSize}`);
  }
  const steps = Math.floor(ids.length / batchSize);
  if (steps < 2) {
    throw new Error(`batchify: ${ids.length} tokens are too few for batchSize ${batchSize}`);
  }
  return { data: ids.slice(0, steps * batchSize), batchSize, steps };
}

export interface BpttWindow {
  /** [batchSize, len] inputs and next-token targets. */
  x: Int32Array;
  y: Int32Array;
  batchSize: number;
  len: number;
  /** Column where the window starts. */
  start: number;
}

/** One window of up to `seqLen` steps starting at column `start`. */
export function bpttWindow(b: Batchified, start: number, seqLen: number): BpttWindow {
  const len = Math.min(seqLen, b.steps - 1 - start);
  if (len < 1) throw new Error(`bpttWindow: start ${start} leaves no targets`);
  const x = new Int32Array(b.batchSize * len);
  const y = new Int32Array(b.batchSize * len);
  for (let r = 0; r < b.batchSize; r++) {
    const row = r * b.steps + start;
    x.set(b.data.subarray(row, row + len), r * len);
    y.set(b.data.subarray(row + 1, row + 1 + len), r * len);
  }
  return { x, y, batchSize: b.batchSize, len, start };
}

/**
 * All windows of an epoch. `seqLen` is fixed, or a function giving each
 * window's length (e.g. `awdSeqLen`).
 */
export function* bpttWindows(
  b: Batchified,
  seqLen: number | (() => number),
): Generator<BpttWindow> {
  let start = 0;
  while (start < b.steps - 1) {
    const len = typeof seqLen === "number" ? seqLen : seqLen();
    if (!(Number.isInteger(len) && len >= 1)) throw new Error(`bptt length ${len}`);
    const w = bpttWindow(b, start, len);
    yield w;
    start += w.len;
  }
}

/**
 * AWD-LSTM's variable BPTT length: base (p=0.95) or base/2, then
 * Normal(that, 5), at least 5 (Merity et al. 2017, Sec. 4.1).
 */
export function awdSeqLen(rng: Rng, base = 70): () => number {
  return () => {
    const mean = rng.float() < 0.95 ? base : base / 2;
    return Math.max(5, Math.round(mean + 5 * rng.normal()));
  };
}
