/**
 * The paper's augmentation (Appendix A.3.1, after He et al. 2016): pad by
 * 4 pixels with reflections of the image (numpy/torch "reflect": the edge
 * pixel is not repeated), take a random crop of the original size, flip
 * horizontally with probability 1/2. Done in one pass, without building
 * the padded image, fused with normalisation through a lookup table.
 */
import type { Rng } from "../rng";

export interface AugmentConfig {
  /** Reflect padding in pixels (paper: 4); 0 disables cropping. */
  pad: number;
  /** Random horizontal flips (paper: true). */
  flip: boolean;
}

export const PAPER_AUGMENT: AugmentConfig = { pad: 4, flip: true };

/** Index of padded coordinate k (may be out of 0..n-1) under reflection. */
export function reflect(k: number, n: number): number {
  if (k < 0) return -k;
  if (k >= n) return 2 * (n - 1) - k;
  return k;
}

/** One image's random choices. */
export interface AugmentDraw {
  dy: number;
  dx: number;
  flip: boolean;
}

/** Draws crop offsets in [0, 2*pad] and a flip. */
export function drawAugment(cfg: AugmentConfig, rng: Rng): AugmentDraw {
  const span = 2 * cfg.pad + 1;
  const dy = cfg.pad > 0 ? rng.int(span) : 0;
  const dx = cfg.pad > 0 ? rng.int(span) : 0;
  const flip = cfg.flip ? rng.bernoulli(0.5) : false;
  return { dy, dx, flip };
}

/**
 * Writes the augmented, normalised image src[srcOff...] (h x w x c bytes)
 * to dst[dstOff...] as floats. `pad` is the padding the offsets refer to.
 */
export function augmentInto(
  src: Uint8Array,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  h: number,
  w: number,
  c: number,
  pad: number,
  d: AugmentDraw,
  lut: Float32Array,
  cols: Int32Array = new Int32Array(w),
): void {
  if (pad >= h || pad >= w) throw new Error(`augment: pad ${pad} too large for ${h}x${w}`);
  for (let j = 0; j < w; j++) {
    const jj = d.flip ? w - 1 - j : j;
    cols[j] = reflect(jj + d.dx - pad, w) * c;
  }
  let o = dstOff;
  for (let i = 0; i < h; i++) {
    const row = srcOff + reflect(i + d.dy - pad, h) * w * c;
    if (c === 3) {
      for (let j = 0; j < w; j++) {
        const s = row + cols[j]!;
        dst[o] = lut[src[s]!]!;
        dst[o + 1] = lut[256 + src[s + 1]!]!;
        dst[o + 2] = lut[512 + src[s + 2]!]!;
        o += 3;
      }
    } else {
      for (let j = 0; j < w; j++) {
        const s = row + cols[j]!;
        for (let k = 0; k < c; k++) dst[o++] = lut[k * 256 + src[s + k]!]!;
      }
    }
  }
}

/** Padded image for reference and tests: [(h+2p) x (w+2p) x c] bytes. */
export function reflectPad(
  src: Uint8Array,
  h: number,
  w: number,
  c: number,
  pad: number,
): Uint8Array {
  const H = h + 2 * pad;
  const W = w + 2 * pad;
  const out = new Uint8Array(H * W * c);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const s = (reflect(i - pad, h) * w + reflect(j - pad, w)) * c;
      for (let k = 0; k < c; k++) out[(i * W + j) * c + k] = src[s + k]!;
    }
  }
  return out;
}
