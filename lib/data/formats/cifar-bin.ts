/**
 * The CIFAR binary record format (Krizhevsky 2009, "binary version"):
 * per image `labelBytes` label bytes (CIFAR-10: the label; CIFAR-100:
 * coarse then fine), then 3072 pixel bytes, channel-planar: 1024 red,
 * 1024 green, 1024 blue, each 32x32 row-major.
 */
import { FormatError } from "./error";

export const CIFAR_PIXELS = 32 * 32 * 3;

export interface CifarRecords {
  n: number;
  /** NHWC [n, 32, 32, 3] */
  images: Uint8Array;
  /** One array per label byte, in file order. */
  labels: Int32Array[];
}

/** Decodes records; `label` names the file in errors. */
export function readCifarBin(
  bytes: Uint8Array,
  labelBytes: 1 | 2,
  label: string,
): CifarRecords {
  const rec = labelBytes + CIFAR_PIXELS;
  if (bytes.length === 0 || bytes.length % rec !== 0) {
    throw new FormatError(
      `${label}: ${bytes.length} bytes is not a whole number of ` +
        `${rec}-byte CIFAR records`,
    );
  }
  const n = bytes.length / rec;
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = Array.from({ length: labelBytes }, () => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const o = i * rec;
    for (let k = 0; k < labelBytes; k++) labels[k]![i] = bytes[o + k]!;
    const src = o + labelBytes;
    const dst = i * CIFAR_PIXELS;
    for (let p = 0; p < 1024; p++) {
      images[dst + 3 * p] = bytes[src + p]!;
      images[dst + 3 * p + 1] = bytes[src + 1024 + p]!;
      images[dst + 3 * p + 2] = bytes[src + 2048 + p]!;
    }
  }
  return { n, images, labels };
}

/** Encodes NHWC images and label bytes into CIFAR binary records. */
export function writeCifarBin(
  images: Uint8Array,
  labels: ArrayLike<number>[],
): Uint8Array {
  const n = images.length / CIFAR_PIXELS;
  const lb = labels.length;
  const rec = lb + CIFAR_PIXELS;
  const out = new Uint8Array(n * rec);
  for (let i = 0; i < n; i++) {
    const o = i * rec;
    for (let k = 0; k < lb; k++) out[o + k] = labels[k]![i]!;
    const src = i * CIFAR_PIXELS;
    for (let p = 0; p < 1024; p++) {
      out[o + lb + p] = images[src + 3 * p]!;
      out[o + lb + 1024 + p] = images[src + 3 * p + 1]!;
      out[o + lb + 2048 + p] = images[src + 3 * p + 2]!;
    }
  }
  return out;
}
