/**
 * A streaming reader for tar archives (ustar, GNU long names, pax paths),
 * gzip-compressed or not. Enough for the official dataset archives and npm
 * tarballs; entries stream to a sink, so multi-GB archives are fine.
 */
import { createReadStream, mkdirSync, openSync, closeSync } from "node:fs";
import { writeSync, statSync } from "node:fs";
import { dirname, join, normalize, isAbsolute } from "node:path";
import { Transform, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { FormatError } from "./error";

export interface TarEntry {
  /** Path inside the archive, without a leading "./". */
  name: string;
  size: number;
  type: "file" | "directory" | "other";
}

/** Receives one entry's bytes in order. */
export interface TarSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

/** Returns a sink for the entries to keep, null to skip one. */
export type TarVisitor = (entry: TarEntry) => TarSink | null;

export interface TarReadOptions {
  /** Progress over the archive file's bytes (compressed). */
  onProgress?: (done: number, total: number) => void;
}

const BLOCK = 512;

function cString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(off, end)).toString("utf8");
}

function octal(b: Uint8Array, off: number, len: number, file: string) {
  if ((b[off]! & 0x80) !== 0) {
    // GNU base-256 for sizes >= 8 GiB
    let v = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i]!;
    return v;
  }
  const s = cString(b, off, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) {
    throw new FormatError(`${file}: corrupt tar header (size field "${s}")`);
  }
  return parseInt(s, 8);
}

function headerChecksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) {
    sum += i >= 148 && i < 156 ? 32 : h[i]!;
  }
  const stored = parseInt(cString(h, 148, 8).trim() || "0", 8);
  return sum === stored;
}

function paxPath(data: Uint8Array): string | null {
  const text = Buffer.from(data).toString("utf8");
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    if (sp < 0) break;
    const len = parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    if (rec.slice(0, eq) === "path") return rec.slice(eq + 1);
    i += len;
  }
  return null;
}

function cleanName(name: string): string {
  let n = name;
  while (n.startsWith("./")) n = n.slice(2);
  return n;
}

/** Reads a tar or tar.gz file, handing each entry to `visit`. */
export async function readTar(
  file: string,
  visit: TarVisitor,
  opts: TarReadOptions = {},
): Promise<void> {
  const total = statSync(file).size;
  const head = await firstBytes(file, 2);
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      opts.onProgress?.(done, total);
      cb(null, chunk);
    },
  });
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const ignore = () => {};
  const stream = gz
    ? pipeline(raw, counter, createGunzip(), ignore)
    : pipeline(raw, counter, ignore);

  let header = new Uint8Array(BLOCK);
  let headerFill = 0;
  let remaining = 0; // data bytes left in the current entry
  let padding = 0; // bytes to skip after the data
  let sink: TarSink | null = null;
  let meta: Uint8Array[] | null = null; // collecting an L or x record
  let metaKind = "";
  let longName: string | null = null;
  let ended = false;

  const startEntry = (h: Uint8Array) => {
    if (!headerChecksumOk(h)) {
      throw new FormatError(`${file}: corrupt tar header (bad header checksum)`);
    }
    const size = octal(h, 124, 12, file);
    const flag = String.fromCharCode(h[156]!);
    let name = cString(h, 0, 100);
    if (cString(h, 257, 5) === "ustar") {
      const prefix = cString(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    remaining = size;
    padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (flag === "L" || flag === "x" || flag === "g") {
      meta = [];
      metaKind = flag;
      return;
    }
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    const type =
      flag === "0" || flag === "\0" || flag === "7"
        ? "file"
        : flag === "5"
          ? "directory"
          : "other";
    sink = visit({ name: cleanName(name), size, type });
    if (size === 0) finishEntry();
  };

  const finishEntry = () => {
    if (meta !== null) {
      const data = Buffer.concat(meta);
      if (metaKind === "L") longName = cString(data, 0, data.length);
      if (metaKind === "x") longName = paxPath(data) ?? longName;
      meta = null;
    } else {
      sink?.end();
      sink = null;
    }
  };

  try {
    for await (const c of stream) {
      consume(c as Uint8Array);
    }
  } catch (e) {
    (sink as TarSink | null)?.end();
    const why = e instanceof Error ? e.message : String(e);
    if (why.startsWith(file)) throw e;
    throw new FormatError(
      `${file}: cannot read archive (${why}); ` +
        `delete it and download again`,
    );
  }
  function consume(c: Uint8Array) {
    let chunk = c;
    while (chunk.length > 0 && !ended) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length);
        const part = chunk.subarray(0, n);
        if (meta !== null) meta.push(Uint8Array.from(part));
        else sink?.write(part);
        remaining -= n;
        chunk = chunk.subarray(n);
        if (remaining === 0) finishEntry();
        continue;
      }
      if (padding > 0) {
        const n = Math.min(padding, chunk.length);
        padding -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      const n = Math.min(BLOCK - headerFill, chunk.length);
      header.set(chunk.subarray(0, n), headerFill);
      headerFill += n;
      chunk = chunk.subarray(n);
      if (headerFill < BLOCK) continue;
      headerFill = 0;
      if (header.every((v) => v === 0)) {
        ended = true; // end-of-archive marker
        break;
      }
      startEntry(header);
      header = new Uint8Array(BLOCK);
    }
  }
  if (remaining > 0 || headerFill > 0) {
    throw new FormatError(
      `${file}: truncated tar archive (an entry ends early); ` +
        `delete it and download again`,
    );
  }
}

async function firstBytes(file: string, n: number): Promise<Uint8Array> {
  for await (const c of createReadStream(file, { start: 0, end: n - 1 })) {
    return c as Uint8Array;
  }
  return new Uint8Array(0);
}

/** A sink that writes to a file (created with its folders). */
export function fileSink(path: string): TarSink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  return {
    write: (chunk) => {
      let off = 0;
      while (off < chunk.length) {
        off += writeSync(fd, chunk, off, chunk.length - off);
      }
    },
    end: () => closeSync(fd),
  };
}

/** A sink that collects bytes; `bytes()` is valid after the entry ends. */
export function memorySink(): TarSink & { bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  let out: Uint8Array | null = null;
  return {
    write: (chunk) => parts.push(Uint8Array.from(chunk)),
    end: () => {
      out = Buffer.concat(parts);
      parts.length = 0;
    },
    bytes: () => {
      if (out === null) throw new FormatError("tar entry not finished");
      return out;
    },
  };
}

/** Safe output path for an archive member, or an error for "../" tricks. */
export function memberPath(destDir: string, name: string): string {
  const n = normalize(name);
  if (isAbsolute(n) || n === ".." || n.startsWith("../")) {
    throw new FormatError(`refusing unsafe archive path "${name}"`);
  }
  return join(destDir, n);
}

export interface ExtractOptions extends TarReadOptions {
  /** Only members under this prefix, written without it. */
  strip?: string;
  /** Keep a member (name after stripping)? Default: all files. */
  keep?: (name: string) => boolean;
}

/** Extracts files into destDir; returns the names written. */
export async function extractTar(
  file: string,
  destDir: string,
  opts: ExtractOptions = {},
): Promise<string[]> {
  const names: string[] = [];
  const strip = opts.strip ?? "";
  await readTar(
    file,
    (e) => {
      if (e.type !== "file" || !e.name.startsWith(strip)) return null;
      const rel = e.name.slice(strip.length);
      if (rel === "" || !(opts.keep?.(rel) ?? true)) return null;
      names.push(rel);
      return fileSink(memberPath(destDir, rel));
    },
    opts,
  );
  return names;
}
