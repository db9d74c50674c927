/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian
 * header (0, 0, type, ndim), ndim uint32 sizes, then the data. Optionally
 * gzip-compressed (.gz).
 */
import { gunzipBounded } from "./inflate";
import { FormatError } from "./error";

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes (type 0x08). */
export function readIdx(bytes: Uint8Array, label = "idx"): IdxArray {
  let b = bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipBounded(b, label);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) {
    throw new FormatError(`${label}: not an IDX file (bad magic)`);
  }
  if (b[2] !== 0x08) {
    throw new FormatError(`${label}: IDX type 0x${b[2]!.toString(16)} (want 0x08)`);
  }
  const ndim = b[3]!;
  if (b.length < 4 + 4 * ndim) {
    throw new FormatError(`${label}: truncated IDX header (${ndim} dimensions declared)`);
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(dv.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * ndim;
  const count = shape.reduce((a, c) => a * c, 1);
  if (b.length !== start + count) {
    throw new FormatError(
      `${label}: IDX size ${b.length}, header says ${start + count}`,
    );
  }
  return { shape, data: b.subarray(start) };
}

/** Writes an IDX file of unsigned bytes (uncompressed). */
export function writeIdx(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const dv = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((s, i) => dv.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
