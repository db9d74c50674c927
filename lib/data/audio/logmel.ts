/**
 * Log-mel spectrogram features for 1 s keyword clips, computed in
 * TypeScript: Hann-windowed frames (25 ms, hop 10 ms at 16 kHz), power
 * spectrum by FFT, HTK-style triangular mel filters (peak 1), natural log
 * with a floor. 16000 samples give 98 frames x 40 mels.
 */
import { fft, fftPlan } from "./fft";

export interface LogMelConfig {
  sampleRate: number;
  /** Window length in samples (400 = 25 ms at 16 kHz). */
  windowLength: number;
  /** Hop in samples (160 = 10 ms). */
  hopLength: number;
  /** FFT size, a power of two >= windowLength. */
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** Added before the log: log(mel + logFloor). */
  logFloor: number;
}

export const DEFAULT_LOGMEL: LogMelConfig = {
  sampleRate: 16000,
  windowLength: 400,
  hopLength: 160,
  nFft: 512,
  nMels: 40,
  fMin: 20,
  fMax: 8000,
  logFloor: 1e-6,
};

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** Number of frames for a clip of `samples` samples. */
export function frameCount(samples: number, cfg: LogMelConfig): number {
  if (samples < cfg.windowLength) return 0;
  return 1 + Math.floor((samples - cfg.windowLength) / cfg.hopLength);
}

/** Sparse mel filterbank: per mel, first bin and weights. */
export function melFilters(cfg: LogMelConfig): { start: number; w: Float64Array }[] {
  const bins = cfg.nFft / 2 + 1;
  const lo = hzToMel(cfg.fMin);
  const hi = hzToMel(cfg.fMax);
  const edges = Array.from({ length: cfg.nMels + 2 }, (_, i) =>
    melToHz(lo + ((hi - lo) * i) / (cfg.nMels + 1)),
  );
  const binHz = (k: number) => (k * cfg.sampleRate) / cfg.nFft;
  const out: { start: number; w: Float64Array }[] = [];
  for (let m = 0; m < cfg.nMels; m++) {
    const [a, b, c] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const w = new Float64Array(bins);
    let first = -1;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      const f = binHz(k);
      const v = f <= a || f >= c ? 0 : f <= b ? (f - a) / (b - a) : (c - f) / (c - b);
      w[k] = v;
      if (v > 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    if (first < 0) {
      throw new Error(
        `melFilters: mel band ${m} has no FFT bin; use fewer mels or a larger nFft`,
      );
    }
    out.push({ start: first, w: w.slice(first, last + 1) });
  }
  return out;
}

/**
 * A reusable extractor: `compute(wave, out, offset)` writes
 * frames x nMels floats (frame-major) into `out` at `offset`.
 */
export function logMelExtractor(cfg: LogMelConfig = DEFAULT_LOGMEL) {
  if (cfg.nFft < cfg.windowLength) {
    throw new Error(`logMel: nFft ${cfg.nFft} < windowLength ${cfg.windowLength}`);
  }
  const plan = fftPlan(cfg.nFft);
  const filters = melFilters(cfg);
  const win = new Float64Array(cfg.windowLength);
  for (let i = 0; i < win.length; i++) {
    win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win.length);
  }
  const re = new Float64Array(cfg.nFft);
  const im = new Float64Array(cfg.nFft);
  const power = new Float64Array(cfg.nFft / 2 + 1);
  return {
    config: cfg,
    frames: (samples: number) => frameCount(samples, cfg),
    compute(wave: Float32Array, out: Float32Array, offset = 0): number {
      const frames = frameCount(wave.length, cfg);
      for (let t = 0; t < frames; t++) {
        re.fill(0);
        im.fill(0);
        const s = t * cfg.hopLength;
        for (let i = 0; i < cfg.windowLength; i++) re[i] = wave[s + i]! * win[i]!;
        fft(plan, re, im);
        for (let k = 0; k < power.length; k++) {
          power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
        }
        const row = offset + t * cfg.nMels;
        for (let m = 0; m < cfg.nMels; m++) {
          const { start, w } = filters[m]!;
          let acc = 0;
          for (let j = 0; j < w.length; j++) acc += w[j]! * power[start + j]!;
          out[row + m] = Math.log(acc + cfg.logFloor);
        }
      }
      return frames;
    },
  };
}

/** Log-mel features of one clip: Float32Array [frames, nMels]. */
export function logMel(wave: Float32Array, cfg: LogMelConfig = DEFAULT_LOGMEL) {
  const ex = logMelExtractor(cfg);
  const out = new Float32Array(ex.frames(wave.length) * cfg.nMels);
  ex.compute(wave, out, 0);
  return out;
}
