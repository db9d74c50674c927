/**
 * numpy's .npy format (versions 1-3) and .npz archives of .npy members.
 * Spec: numpy/lib/format.py ("A Simple File Format for NumPy Arrays").
 */
import { type NdArray, parseDType, product, typedFromBytes } from "./ndarray";
import { zipMembers, zipRead } from "./zip";
import { FormatError } from "./error";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses one .npy file. */
export function readNpy(bytes: Uint8Array, label = "npy"): NdArray {
  if (bytes.length < 10 || !MAGIC.every((v, i) => bytes[i] === v)) {
    throw new FormatError(`${label}: not a .npy file (bad magic or shorter than its header)`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new FormatError(`${label}: unknown .npy version ${major}`);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new FormatError(`${label}: truncated .npy header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (start + headerLen > bytes.length) {
    throw new FormatError(`${label}: truncated .npy header (${headerLen} bytes declared)`);
  }
  const header = Buffer.from(
    bytes.subarray(start, start + headerLen),
  ).toString("latin1");
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new FormatError(`${label}: cannot parse .npy header ${header.trim()}`);
  }
  if (fortran === "True") {
    throw new FormatError(`${label}: Fortran-order arrays are not supported`);
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      if (!/^\d+L?$/.test(s)) throw new FormatError(`${label}: bad dimension '${s}' in shape (${shapeText})`);
      return Number(s.replace(/L$/, ""));
    });
  if (!Number.isSafeInteger(product(shape))) {
    throw new FormatError(`${label}: shape (${shapeText}) is too large`);
  }
  const dtype = parseDType(descr, label);
  const data = typedFromBytes(
    bytes.subarray(start + headerLen),
    dtype,
    product(shape),
    label,
  );
  return { dtype, shape, data };
}

/** Reads every array of a .npz file, keyed by name without ".npy". */
export function readNpz(buf: Buffer, label = "npz"): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  for (const m of zipMembers(buf, label)) {
    if (!m.name.endsWith(".npy")) continue;
    const key = m.name.slice(0, -4);
    out.set(key, readNpy(zipRead(buf, m, label), `${label}:${m.name}`));
  }
  return out;
}
