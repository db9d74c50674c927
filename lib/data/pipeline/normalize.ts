/**
 * Per-channel normalisation: statistics over a split and a lookup table
 * that maps a byte v of channel k to (v/255 - mean[k]) / std[k].
 */
import type { ChannelStats, ImageSplit } from "../types";

/** Mean and (population) std per channel, on the 0..1 scale. */
export function channelStats(split: ImageSplit, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const hist = new Float64Array(channels * 256);
  const px = split.images;
  for (let i = 0; i < px.length; i += channels) {
    for (let k = 0; k < channels; k++) hist[k * 256 + px[i + k]!]!++;
  }
  for (let k = 0; k < channels; k++) {
    for (let v = 0; v < 256; v++) {
      const c = hist[k * 256 + v]!;
      sum[k] += c * (v / 255);
      sq[k] += c * (v / 255) ** 2;
    }
  }
  const n = px.length / channels;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, k) => Math.sqrt(Math.max(0, s / n - mean[k]! ** 2)));
  return { mean, std };
}

/** Identity statistics: values become v/255. */
export function unitStats(channels: number): ChannelStats {
  return { mean: new Array(channels).fill(0), std: new Array(channels).fill(1) };
}

/** Lookup table [channels * 256]: byte -> normalised float. */
export function normLut(stats: ChannelStats): Float32Array {
  const c = stats.mean.length;
  if (stats.std.length !== c) throw new Error("normLut: mean and std lengths differ");
  const lut = new Float32Array(c * 256);
  for (let k = 0; k < c; k++) {
    const s = stats.std[k]!;
    if (!(s > 0)) throw new Error(`normLut: std[${k}] must be > 0, got ${s}`);
    for (let v = 0; v < 256; v++) lut[k * 256 + v] = (v / 255 - stats.mean[k]!) / s;
  }
  return lut;
}
