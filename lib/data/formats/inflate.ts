/**
 * Decompression with a bound: output past the declared size (plus a small
 * margin) is an error, not a memory exhaustion, and zlib's own errors are
 * reported with the file's name. Every in-memory inflate of lib/data goes
 * through here (tar extraction streams to disk and is checksum-verified
 * before it starts).
 */
import { constants as bufferConstants } from "node:buffer";
import { gunzipSync, inflateRawSync } from "node:zlib";
import { FormatError } from "./error";

/** Bytes allowed past a declared size (a few zlib blocks). */
export const INFLATE_MARGIN = 64 * 1024;

/** The largest output ever produced: a Buffer's limit, at most 4 GiB. */
const MAX_OUTPUT = Math.min(bufferConstants.MAX_LENGTH, 2 ** 32);

function bounded(
  what: string,
  declared: number,
  run: (maxOutputLength: number) => Buffer,
): Buffer {
  const limit = Math.min(MAX_OUTPUT, declared + INFLATE_MARGIN);
  try {
    return run(limit);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_BUFFER_TOO_LARGE" || /larger than|too large/i.test(e.message)) {
      throw new FormatError(`${what}: inflates past its declared ${declared} bytes ` +
        `(stopped at ${limit})`);
    }
    throw new FormatError(`${what}: corrupt compressed data (${e.message})`);
  }
}

/** Inflates raw deflate data declared (by a zip directory) as `size` bytes. */
export function inflateRawBounded(raw: Uint8Array, size: number, what: string): Buffer {
  return bounded(what, size, (maxOutputLength) => inflateRawSync(raw, { maxOutputLength }));
}

/**
 * Gunzips `bytes`; the declared size is the gzip trailer's ISIZE (the
 * uncompressed length mod 2^32), so files over 4 GiB are refused.
 */
export function gunzipBounded(bytes: Uint8Array, what: string): Buffer {
  if (bytes.length < 18) throw new FormatError(`${what}: truncated gzip file (${bytes.length} bytes)`);
  const isize = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .readUInt32LE(bytes.length - 4);
  return bounded(what, isize, (maxOutputLength) => gunzipSync(bytes, { maxOutputLength }));
}
