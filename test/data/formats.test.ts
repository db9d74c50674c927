import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  crc32,
  dictArray,
  dictInts,
  extractTar,
  readIdx,
  readNpy,
  readNpz,
  readWav,
  unpickle,
  writeIdx,
  writeWav16,
  zipMembers,
  zipRead,
} from "../../lib/data/formats";
import { makeImagenetPickle, makeNpy, makeTar, makeZip, tempDir } from "./helpers";

test("crc32 check value", () => {
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
});

test("tar.gz: files, long names, strip prefix; unsafe paths refused", async () => {
  const t = tempDir();
  try {
    const long = `top/${"d".repeat(90)}/${"f".repeat(30)}.txt`;
    const tgz = join(t.dir, "a.tar.gz");
    writeFileSync(tgz, makeTar([
      { name: "top/a.bin", data: Uint8Array.from([1, 2, 3]) },
      { name: long, data: "long name" },
      { name: "other/b.txt", data: "skip me" },
    ]));
    const got = await extractTar(tgz, join(t.dir, "out"), { strip: "top/" });
    assert.deepEqual(got.sort(), ["a.bin", long.slice(4)].sort());
    const bad = join(t.dir, "bad.tar");
    writeFileSync(bad, makeTar([{ name: "../evil", data: "x" }], false));
    await assert.rejects(extractTar(bad, join(t.dir, "o2")), /unsafe archive path/);
  } finally {
    t.done();
  }
});

test("truncated tar.gz gives an error naming the file", async () => {
  const t = tempDir();
  try {
    const tgz = makeTar([{ name: "x.bin", data: new Uint8Array(5000).fill(7) }]);
    const path = join(t.dir, "cut.tar.gz");
    writeFileSync(path, tgz.subarray(0, tgz.length - 30));
    await assert.rejects(extractTar(path, join(t.dir, "o")), (e: Error) => {
      assert.match(e.message, /cut\.tar\.gz/);
      return true;
    });
  } finally {
    t.done();
  }
});

test("npy/npz: uint8 and int64 arrays, stored and deflated members", () => {
  const data = Uint8Array.from({ length: 12 }, (_, i) => i * 10);
  const labels = new BigInt64Array([1n, 1000n, 7n]);
  const npzStored = makeZip([
    { name: "data.npy", data: makeNpy("|u1", [3, 4], data) },
    { name: "labels.npy", data: makeNpy("<i8", [3], new Uint8Array(labels.buffer)) },
  ]);
  const m = readNpz(npzStored, "t.npz");
  assert.deepEqual(m.get("data")!.shape, [3, 4]);
  assert.deepEqual(Array.from(m.get("data")!.data), Array.from(data));
  assert.deepEqual(Array.from(m.get("labels")!.data), [1, 1000, 7]);
  // deflated members, as numpy.savez_compressed writes them
  const npy = makeNpy("<f8", [2], new Uint8Array(new Float64Array([0.5, -2]).buffer));
  const z = makeZip([{ name: "mean.npy", data: npy }], true);
  assert.equal(zipMembers(z)[0]!.method, 8);
  assert.deepEqual(Array.from(readNpy(zipRead(z, zipMembers(z)[0]!)).data), [0.5, -2]);
  // a flipped byte is caught by the CRC
  const bad = Buffer.from(npzStored);
  bad[80] = bad[80]! ^ 0xff;
  assert.throws(() => readNpz(bad, "bad.npz"), /bad\.npz: data\.npy crc32 mismatch/);
});

test("pickle of a numpy dict (ImageNet32 batch layout)", () => {
  const data = Uint8Array.from({ length: 2 * 3072 }, (_, i) => i % 251);
  const mean = Float64Array.from({ length: 3072 }, (_, i) => i / 10);
  const p = makeImagenetPickle(data, 2, 3072, [1, 1000], mean);
  const d = unpickle(p, "batch");
  const x = dictArray(d, "data", "batch");
  assert.equal(x.dtype, "u1");
  assert.deepEqual(x.shape, [2, 3072]);
  assert.deepEqual(Array.from(x.data.subarray(0, 5)), [0, 1, 2, 3, 4]);
  assert.deepEqual(dictInts(d, "labels", "batch"), [1, 1000]);
  assert.equal(dictArray(d, "mean", "batch").data[3071], 307.1);
});

test("pickle: code-running globals are refused, truncation is reported", () => {
  // protocol 0: cos\nsystem\n(S'echo hi'\ntR.
  const evil = Buffer.from("cos\nsystem\n(S'echo hi'\ntR.", "latin1");
  assert.throws(() => unpickle(evil, "evil.pkl"), /evil\.pkl: the pickle refers to os\.system/);
  const ok = makeImagenetPickle(new Uint8Array(3072), 1, 3072, [5], null);
  assert.throws(() => unpickle(ok.subarray(0, 200), "cut.pkl"), /cut\.pkl: truncated pickle/);
});

/** Pickle opcodes by name, for the hostile files below. */
const OP = {
  PROTO2: [0x80, 2], EMPTY_LIST: [0x5d], BINPUT: (k: number) => [0x71, k],
  BINGET: (k: number) => [0x68, k], MARK: [0x28], APPENDS: [0x65], APPEND: [0x61],
  STOP: [0x2e], BININT1: (v: number) => [0x4b, v], POP: [0x30],
} as const;

test("pickle: shared memo references stay shared (a 'billion laughs' file is instant)", () => {
  // L0 = [1, 1]; L(k+1) = [Lk, Lk] x 40 levels: 2^41 elements if copied.
  const bytes: number[] = [...OP.PROTO2, ...OP.EMPTY_LIST, ...OP.BINPUT(0), ...OP.MARK,
    ...OP.BININT1(1), ...OP.BININT1(1), ...OP.APPENDS];
  for (let k = 0; k < 40; k++) {
    bytes.push(...OP.EMPTY_LIST, ...OP.BINPUT(k + 1), ...OP.MARK, ...OP.BINGET(k),
      ...OP.BINGET(k), ...OP.APPENDS);
  }
  bytes.push(...OP.STOP);
  assert.ok(bytes.length < 500);
  const t0 = performance.now();
  const v = unpickle(Uint8Array.from(bytes), "laughs.pkl") as unknown[];
  assert.ok(performance.now() - t0 < 1000, "linear in the file");
  assert.equal(v.length, 2);
  assert.equal(v[0], v[1], "the two halves are one shared list");
});

test("pickle: self-reference and deep nesting end cleanly, no stack overflow", () => {
  // L = []; L.append(L)
  const self = unpickle(Uint8Array.from([...OP.PROTO2, ...OP.EMPTY_LIST, ...OP.BINPUT(0),
    ...OP.BINGET(0), ...OP.APPEND, ...OP.STOP]), "self.pkl") as unknown[];
  assert.equal(self[0], self);
  // 200,000 nested lists: [[[...]]]
  const deep: number[] = [...OP.PROTO2];
  for (let i = 0; i < 200_000; i++) deep.push(...OP.EMPTY_LIST);
  for (let i = 1; i < 200_000; i++) deep.push(...OP.APPEND);
  deep.push(...OP.STOP);
  assert.throws(() => unpickle(Uint8Array.from(deep), "deep.pkl"),
    /deep\.pkl: containers nested deeper than 10000/);
});

test("pickle: huge integers and negative shapes are refused quickly", () => {
  const long4 = Buffer.alloc(9 + 200_000, 0x7f);
  long4.set([0x80, 2, 0x8b], 0);
  long4.writeUInt32LE(200_000, 3);
  const t0 = performance.now();
  assert.throws(() => unpickle(long4, "int.pkl"), /int\.pkl: .*a 200000-byte integer/);
  assert.ok(performance.now() - t0 < 1000);
  // A 1,000-byte integer (allowed) reads in linear time.
  const ok = Buffer.alloc(7 + 1000 + 1, 0x01);
  ok.set([0x80, 2, 0x8b], 0);
  ok.writeUInt32LE(1000, 3);
  ok[ok.length - 2] = 0x01;
  ok[ok.length - 1] = 0x2e;
  assert.equal(typeof unpickle(ok, "big.pkl"), "bigint");
  const neg = makeImagenetPickle(new Uint8Array(3072), 1, 3072, [5], null, [-1, 3072]);
  assert.throws(() => unpickle(neg, "neg.pkl"), /neg\.pkl: .*bad array dimension -1/);
});

test("hostile npy, npz and zip: one clear error naming the file, never a raw RangeError", () => {
  const npy = makeNpy("|u1", [3, 4], new Uint8Array(12));
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["short npy", () => readNpy(npy.subarray(0, 8), "s.npy"), /s\.npy: not a \.npy file/],
    ["npy header past the end", () => readNpy(npy.subarray(0, 40), "h.npy"), /h\.npy: truncated \.npy header/],
    ["bad shape", () => readNpy(Buffer.from(npy.toString("latin1").replace("(3, 4)", "(3, 5x)"),
      "latin1"), "x.npy"), /x\.npy: bad dimension '5x'/],
    ["zip offsets past the end", () => {
      const z = makeZip([{ name: "a.npy", data: npy }]);
      z.writeUInt32LE(0x7fffffff, z.length - 6); // central directory offset
      return zipMembers(z, "o.npz");
    }, /o\.npz: corrupt zip/],
    ["local header past the end", () => {
      const z = makeZip([{ name: "a.npy", data: npy }]);
      const m = { ...zipMembers(z, "l.npz")[0]!, headerOffset: z.length - 2 };
      return zipRead(z, m, "l.npz");
    }, /l\.npz: corrupt zip \(offset/],
  ];
  for (const [what, run, want] of cases) {
    assert.throws(run, (e) => {
      assert.ok(!(e instanceof RangeError), `${what}: ${String(e)}`);
      assert.match((e as Error).message, want, what);
      return true;
    });
  }
});

test("inflate stops at the declared size: a zip bomb is an error, not an allocation", () => {
  const big = new Uint8Array(64 * 2 ** 20); // 64 MiB of zeros deflate to ~64 KiB
  const z = makeZip([{ name: "bomb.npy", data: big }], true);
  const m = { ...zipMembers(z, "b.npz")[0]!, size: 1000 };
  assert.throws(() => zipRead(z, m, "b.npz"), /b\.npz: bomb\.npy: inflates past its declared 1000 bytes/);
  const gz = gzipSync(big);
  gz.writeUInt32LE(1000, gz.length - 4); // the trailer claims 1,000 bytes
  assert.throws(() => readIdx(gz, "t10k.gz"), /t10k\.gz: inflates past its declared 1000 bytes/);
  assert.throws(() => readIdx(Buffer.from([0x1f, 0x8b, 8, 0, ...new Array(30).fill(7)]), "junk.gz"),
    /junk\.gz: corrupt compressed data/);
});

test("hostile idx and wav headers: clear errors", () => {
  assert.throws(() => readIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), "a.idx"),
    /a\.idx: truncated IDX header \(3 dimensions declared\)/);
  const wav = writeWav16(new Float32Array(10), 16000);
  for (const [field, value, want] of [[22, 0, /0 channels/], [34, 0, /0 bits/], [34, 12, /12 bits/]] as const) {
    const bad = Buffer.from(wav);
    bad.writeUInt16LE(value, field);
    assert.throws(() => readWav(bad, "c.wav"), (e) => {
      assert.match((e as Error).message, /^c\.wav: bad WAV format/);
      assert.match((e as Error).message, want);
      return true;
    });
  }
  assert.throws(() => readWav(wav.subarray(0, 30), "t.wav"), /t\.wav: truncated fmt chunk/);
});

test("idx round trip and size check", () => {
  const data = Uint8Array.from({ length: 2 * 28 * 28 }, (_, i) => i % 256);
  const f = writeIdx([2, 28, 28], data);
  const r = readIdx(f);
  assert.deepEqual(r.shape, [2, 28, 28]);
  assert.deepEqual(Array.from(r.data.subarray(0, 3)), [0, 1, 2]);
  assert.throws(() => readIdx(f.subarray(0, f.length - 1), "x.idx"), /x\.idx: IDX size/);
});

test("wav 16-bit round trip", () => {
  const s = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 5) * 0.5);
  const w = readWav(writeWav16(s, 16000));
  assert.equal(w.sampleRate, 16000);
  assert.equal(w.samples.length, 100);
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(w.samples[i]! - s[i]!) < 1e-4);
  assert.throws(() => readWav(Buffer.from("nope nope nope"), "n.wav"), /n\.wav: not a RIFF/);
});
