/**
 * A numpy-like array read from .npy/.npz/pickle files: a dtype code,
 * a shape and a typed array in C order.
 */
import { FormatError } from "./error";

export type DType = "u1" | "i1" | "u2" | "i2" | "u4" | "i4" | "i8" | "f4" | "f8";

export type NdData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface NdArray {
  dtype: DType;
  shape: number[];
  /** C-order data; int64 arrives as Float64Array of exact integers. */
  data: NdData;
}

const SIZES: Record<DType, number> = {
  u1: 1, i1: 1, u2: 2, i2: 2, u4: 4, i4: 4, i8: 8, f4: 4, f8: 8,
};

/** Parses a numpy dtype string such as "<u1", "|u1", "<f8", "int64". */
export function parseDType(descr: string, where: string): DType {
  const names: Record<string, DType> = {
    uint8: "u1", int8: "i1", uint16: "u2", int16: "i2", uint32: "u4",
    int32: "i4", int64: "i8", float32: "f4", float64: "f8",
  };
  if (names[descr]) return names[descr];
  const m = /^([<>|=]?)([uif][1248])$/.exec(descr);
  if (!m || !(m[2]! in SIZES)) {
    throw new FormatError(`${where}: unsupported numpy dtype "${descr}"`);
  }
  if (m[1] === ">" && m[2] !== "u1" && m[2] !== "i1") {
    throw new FormatError(`${where}: big-endian dtype "${descr}" not supported`);
  }
  return m[2] as DType;
}

/** Wraps little-endian bytes as a typed array (copies if misaligned). */
export function typedFromBytes(
  bytes: Uint8Array,
  dtype: DType,
  count: number,
  where: string,
): NdData {
  const size = SIZES[dtype];
  if (bytes.length < count * size) {
    throw new FormatError(
      `${where}: expected ${count * size} data bytes, got ${bytes.length}`,
    );
  }
  let b = bytes.subarray(0, count * size);
  if (size > 1 && b.byteOffset % size !== 0) b = Uint8Array.from(b);
  const { buffer, byteOffset } = b;
  switch (dtype) {
    case "u1": return b;
    case "i1": return new Int8Array(buffer, byteOffset, count);
    case "u2": return new Uint16Array(buffer, byteOffset, count);
    case "i2": return new Int16Array(buffer, byteOffset, count);
    case "u4": return new Uint32Array(buffer, byteOffset, count);
    case "i4": return new Int32Array(buffer, byteOffset, count);
    case "f4": return new Float32Array(buffer, byteOffset, count);
    case "f8": return new Float64Array(buffer, byteOffset, count);
    case "i8": {
      const big = new BigInt64Array(buffer, byteOffset, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(big[i]);
      return out;
    }
  }
}

export const product = (shape: readonly number[]) =>
  shape.reduce((a, b) => a * b, 1);
