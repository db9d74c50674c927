/**
 * Checksums of files and buffers, and the error that names what failed.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export type HashAlgorithm = "md5" | "sha1" | "sha256" | "sha512";

/** An expected checksum: hex digest, or npm's base64 "sha512-..." form. */
export interface Checksum {
  algorithm: HashAlgorithm;
  /** Lower-case hex digest. */
  hex: string;
}

/** Thrown when a file's checksum differs from the expected one. */
export class ChecksumError extends Error {
  constructor(
    readonly file: string,
    readonly expected: Checksum,
    readonly actual: string,
    hint = "",
  ) {
    super(
      `${file}: ${expected.algorithm} mismatch: expected ${expected.hex}, ` +
        `got ${actual}${hint ? `. ${hint}` : ""}`,
    );
    this.name = "ChecksumError";
  }
}

export const md5 = (hex: string): Checksum => ({ algorithm: "md5", hex });
export const sha256 = (hex: string): Checksum => ({
  algorithm: "sha256",
  hex,
});

/** Parses an npm/SRI integrity string ("sha512-<base64>"). */
export function fromIntegrity(integrity: string): Checksum {
  const m = /^(sha1|sha256|sha512)-([A-Za-z0-9+/=]+)$/.exec(integrity.trim());
  if (!m) throw new Error(`not an integrity string: ${integrity}`);
  const hex = Buffer.from(m[2]!, "base64").toString("hex");
  return { algorithm: m[1] as HashAlgorithm, hex };
}

/** Hex digest of a buffer. */
export function hashBytes(bytes: Uint8Array, algorithm: HashAlgorithm): string {
  return createHash(algorithm).update(bytes).digest("hex");
}

/** Hex digest of a file, streamed. */
export async function hashFile(
  file: string,
  algorithm: HashAlgorithm,
): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** Throws ChecksumError unless the file has the expected digest. */
export async function verifyFile(
  file: string,
  expected: Checksum,
  label = file,
  hint = "",
): Promise<void> {
  const actual = await hashFile(file, expected.algorithm);
  if (actual !== expected.hex.toLowerCase()) {
    throw new ChecksumError(label, expected, actual, hint);
  }
}

/** Throws ChecksumError unless the bytes have the expected digest. */
export function verifyBytes(
  bytes: Uint8Array,
  expected: Checksum,
  label: string,
  hint = "",
): void {
  const actual = hashBytes(bytes, expected.algorithm);
  if (actual !== expected.hex.toLowerCase()) {
    throw new ChecksumError(label, expected, actual, hint);
  }
}
