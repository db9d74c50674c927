/**
 * Property-based fuzzing of every format reader (fast-check): generate a
 * valid file, mutate it (flip, overwrite with extreme values, truncate,
 * insert, duplicate), and require that the reader either returns a
 * well-formed result (shapes agree with the data; the unmutated file
 * gives back what was written) or throws a FormatError whose message
 * starts with the file's name, within a time limit. Never a RangeError,
 * a TypeError, a hang or a partial result.
 *
 * A few hundred cases per reader here; `npm run fuzz -- --runs 10000`
 * runs the same properties longer (FUZZ_RUNS, FUZZ_SEED).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  FormatError, readCifarBin, readIdx, readNpy, readNpz, readTar, readWav, unpickle,
  writeCifarBin, writeIdx, writeWav16, zipMembers, zipRead,
} from "../../lib/data/formats";
import { makeImagenetPickle, makeNpy, makeTar, makeZip, tempDir } from "./helpers";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 200);
const SEED = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);
/** Milliseconds one parse may take (files here are at most a few KB). */
const LIMIT_MS = 2000;

/** A mutation of a byte string. */
type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set32"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "duplicate"; at: number; len: number }
  | { kind: "none" };

const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant("set32" as const), at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...EXTREMES), fc.nat({ max: 0xffffffff })),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.constant({ kind: "none" as const }),
);

function mutate(input: Uint8Array, m: Mutation): Buffer {
  const b = Buffer.from(input);
  if (b.length === 0 || m.kind === "none") return b;
  const at = m.at % b.length;
  switch (m.kind) {
    case "flip":
      b[at] = b[at]! ^ (1 << m.bit);
      return b;
    case "set32":
      if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at);
      return b;
    case "truncate":
      return b.subarray(0, at);
    case "insert":
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    case "duplicate":
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.len), b.subarray(at)]);
  }
}

/**
 * Parses `bytes` as `name`; returns the result or null for a FormatError
 * naming the file. Anything else (another error type, an error without
 * the name, a slow parse) fails the property.
 */
function parseOrFormatError<T>(name: string, run: () => T): T | null {
  const t0 = performance.now();
  try {
    return run();
  } catch (err) {
    assert.ok(err instanceof FormatError, `${name}: not a FormatError: ${String(err)}`);
    assert.ok(err.message.startsWith(name), `${name}: the message does not name the file: ${err.message}`);
    return null;
  } finally {
    const ms = performance.now() - t0;
    assert.ok(ms < LIMIT_MS, `${name}: took ${ms.toFixed(0)} ms`);
  }
}

const params = () => ({ numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });

const DTYPES: Array<[string, number]> = [["|u1", 1], ["<i4", 4], ["<f4", 4], ["<f8", 8], ["<i8", 8]];

const npyFile = fc.record({
  dtype: fc.constantFrom(...DTYPES),
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  seed: fc.nat(),
}).map(({ dtype: [descr, size], shape, seed }) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Uint8Array.from({ length: n * size }, (_, i) => (seed + 31 * i) & 0xff);
  return { bytes: makeNpy(descr, shape, data), shape, data, asIs: descr !== "<i8" };
});

test("fuzz: npy", () => {
  fc.assert(fc.property(npyFile, mutation, (f, m) => {
    const input = mutate(f.bytes, m);
    const out = parseOrFormatError("f.npy", () => readNpy(input, "f.npy"));
    if (out === null) return;
    assert.equal(out.data.length, out.shape.reduce((a, b) => a * b, 1), "shape agrees with data");
    if (m.kind === "none") {
      assert.deepEqual(out.shape, f.shape);
      // int64 comes back as doubles; every other dtype as the bytes written.
      if (f.asIs) {
        assert.deepEqual(Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength),
          Buffer.from(f.data));
      }
    }
  }), params());
});

test("fuzz: npz and zip (stored and deflated)", () => {
  const npz = fc.record({ files: fc.array(npyFile, { minLength: 1, maxLength: 3 }), deflate: fc.boolean() })
    .map(({ files, deflate }) => makeZip(files.map((f, i) => ({ name: `a${i}.npy`, data: f.bytes })), deflate));
  fc.assert(fc.property(npz, mutation, (bytes, m) => {
    const input = mutate(bytes, m);
    const out = parseOrFormatError("f.npz", () => readNpz(input, "f.npz"));
    if (out !== null) {
      for (const a of out.values()) assert.equal(a.data.length, a.shape.reduce((x, y) => x * y, 1));
    }
    parseOrFormatError("f.zip", () => zipMembers(input, "f.zip").map((z) => zipRead(input, z, "f.zip")));
  }), params());
});

test("fuzz: pickle (the ImageNet32 batch layout)", () => {
  const pkl = fc.record({
    rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 16 }),
    labels: fc.array(fc.integer({ min: 0, max: 70000 }), { minLength: 1, maxLength: 4 }),
    mean: fc.boolean(),
  }).map(({ rows, cols, labels, mean }) => makeImagenetPickle(
    Uint8Array.from({ length: rows * cols }, (_, i) => i & 0xff), rows, cols, labels,
    mean ? Float64Array.from({ length: cols }, (_, i) => i / 3) : null));
  fc.assert(fc.property(pkl, mutation, (bytes, m) => {
    parseOrFormatError("f.pkl", () => unpickle(mutate(bytes, m), "f.pkl"));
  }), params());
});

test("fuzz: idx (plain and gzip)", () => {
  const idx = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    gz: fc.boolean(),
  }).map(({ shape, gz }) => {
    const raw = writeIdx(shape, Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i));
    return gz ? gzipSync(raw) : Buffer.from(raw);
  });
  fc.assert(fc.property(idx, mutation, (bytes, m) => {
    const out = parseOrFormatError("f.idx", () => readIdx(mutate(bytes, m), "f.idx"));
    if (out !== null) assert.equal(out.data.length, out.shape.reduce((a, b) => a * b, 1));
  }), params());
});

test("fuzz: wav", () => {
  const wav = fc.record({
    n: fc.integer({ min: 0, max: 64 }), rate: fc.constantFrom(8000, 16000, 44100),
  }).map(({ n, rate }) => writeWav16(Float32Array.from({ length: n }, (_, i) => Math.sin(i)), rate));
  fc.assert(fc.property(wav, mutation, (bytes, m) => {
    const out = parseOrFormatError("f.wav", () => readWav(mutate(bytes, m), "f.wav"));
    if (out !== null) assert.ok(out.samples.every((x) => Number.isFinite(x)));
  }), params());
});

test("fuzz: cifar binary records", () => {
  const bin = fc.record({ n: fc.integer({ min: 1, max: 2 }), labelBytes: fc.constantFrom(1 as const, 2 as const) })
    .map(({ n, labelBytes }) => ({
      labelBytes,
      bytes: writeCifarBin(new Uint8Array(n * 3072).fill(7),
        Array.from({ length: labelBytes }, () => Int32Array.from({ length: n }, (_, i) => i))),
    }));
  fc.assert(fc.property(bin, mutation, (f, m) => {
    const out = parseOrFormatError("f.bin", () => readCifarBin(mutate(f.bytes, m), f.labelBytes, "f.bin"));
    if (out !== null) assert.equal(out.images.length, out.n * 3072);
  }), params());
});

test("fuzz: tar(.gz), read from a file", async () => {
  const dir = tempDir();
  const tar = fc.record({
    entries: fc.array(fc.record({ name: fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?$/), size: fc.nat({ max: 700 }) }),
      { minLength: 1, maxLength: 3 }),
    gz: fc.boolean(),
  }).map(({ entries, gz }) => makeTar(entries.map((e) => ({ name: e.name, data: new Uint8Array(e.size).fill(1) })), gz));
  await fc.assert(fc.asyncProperty(tar, mutation, async (bytes, m) => {
    const file = join(dir.dir, "f.tar");
    writeFileSync(file, mutate(bytes, m));
    const t0 = performance.now();
    try {
      await readTar(file, () => null);
    } catch (err) {
      // tar reads a file: its errors name the file's path.
      assert.ok(err instanceof FormatError || (err as NodeJS.ErrnoException).code === "Z_DATA_ERROR" ||
        /unexpected end of file|incorrect header check|invalid/.test((err as Error).message),
      `f.tar: ${String(err)}`);
    }
    assert.ok(performance.now() - t0 < LIMIT_MS);
  }), { ...params(), numRuns: RUNS <= 200 ? 60 : Math.ceil(RUNS / 10) });
  dir.done();
});
