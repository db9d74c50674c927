/**
 * Test helpers: temporary folders, writers for the official formats
 * (tar, zip/npz, numpy pickles as Python writes them) and a loopback
 * HTTP server.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";
import { crc32 } from "../../lib/data/formats";

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = "sgdl-data-"): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A ustar archive (optionally gzipped); long names use a GNU 'L' record. */
export function makeTar(
  entries: { name: string; data: Uint8Array | string }[],
  gzip = true,
): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string) => {
    const h = Buffer.alloc(512);
    h.write(name.slice(0, 100), 0, "utf8");
    h.write("0000644\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(size.toString(8).padStart(11, "0") + "\0", 124);
    h.write("00000000000\0", 136);
    h.write("        ", 148);
    h.write(type, 156);
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += h[i]!;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    return h;
  };
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  for (const e of entries) {
    const data = typeof e.data === "string" ? Buffer.from(e.data) : Buffer.from(e.data);
    if (Buffer.byteLength(e.name) > 100) {
      const long = Buffer.from(`${e.name}\0`);
      blocks.push(header("././@LongLink", long.length, "L"), long, pad(long.length));
    }
    blocks.push(header(e.name, data.length, "0"), data, pad(data.length));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}

/** A zip of stored (numpy.savez) or deflated (savez_compressed) members. */
export function makeZip(
  members: { name: string; data: Uint8Array }[],
  deflate = false,
): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const crc = crc32(m.data);
    const body = deflate ? deflateRawSync(m.data) : Buffer.from(m.data);
    const method = deflate ? 8 : 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(m.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(m.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A .npy (version 1.0) file. */
export function makeNpy(descr: string, shape: number[], data: Uint8Array): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const h = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(h);
  h.writeUInt16LE(header.length, 8);
  return Buffer.concat([h, Buffer.from(header, "latin1"), Buffer.from(data)]);
}

/**
 * A pickle (protocol 4) of {'data': uint8 [rows, cols], 'labels': [...],
 * 'mean': float64 [cols]} with the opcodes Python 3 + numpy emit for
 * `pickle.dump(d, f)` (STACK_GLOBAL numpy.core.multiarray._reconstruct,
 * numpy.dtype with BUILD state, BINBYTES data, BININT labels).
 */
export function makeImagenetPickle(
  data: Uint8Array,
  rows: number,
  cols: number,
  labels: number[],
  mean: Float64Array | null,
  dataShape: number[] = [rows, cols],
): Buffer {
  const parts: Buffer[] = [];
  const op = (...b: number[]) => parts.push(Buffer.from(b));
  const str = (s: string) => {
    const b = Buffer.from(s, "utf8");
    op(0x8c, b.length);
    parts.push(b);
  };
  const int = (v: number) => {
    if (v >= 0 && v < 256) op(0x4b, v);
    else if (v >= 0 && v < 65536) {
      op(0x4d, v & 0xff, v >> 8);
    } else {
      const b = Buffer.alloc(5);
      b[0] = 0x4a;
      b.writeInt32LE(v, 1);
      parts.push(b);
    }
  };
  const bytes = (b: Uint8Array) => {
    const h = Buffer.alloc(5);
    h[0] = 0x42; // BINBYTES
    h.writeUInt32LE(b.length, 1);
    parts.push(h, Buffer.from(b));
  };
  const array = (descr: string, order: string, shape: number[], raw: Uint8Array) => {
    str("numpy.core.multiarray");
    str("_reconstruct");
    op(0x93); // STACK_GLOBAL
    str("numpy");
    str("ndarray");
    op(0x93);
    int(0);
    op(0x85); // TUPLE1
    op(0x43, 1, 0x62); // SHORT_BINBYTES b'b'
    op(0x87); // TUPLE3
    op(0x52); // REDUCE
    op(0x28); // MARK
    int(1);
    shape.forEach(int);
    op(shape.length === 1 ? 0x85 : 0x86);
    str("numpy");
    str("dtype");
    op(0x93);
    str(descr);
    op(0x89, 0x88, 0x87, 0x52); // False, True, TUPLE3, REDUCE
    op(0x28);
    int(3);
    str(order);
    op(0x4e, 0x4e, 0x4e);
    for (let i = 0; i < 2; i++) {
      const b = Buffer.alloc(5);
      b[0] = 0x4a;
      b.writeInt32LE(-1, 1);
      parts.push(b);
    }
    int(0);
    op(0x74, 0x62); // TUPLE, BUILD (dtype state)
    op(0x89); // not Fortran
    bytes(raw);
    op(0x74, 0x62); // TUPLE, BUILD (array state)
  };
  op(0x80, 4); // PROTO 4
  op(0x7d, 0x28); // EMPTY_DICT, MARK
  str("data");
  array("u1", "|", dataShape, data);
  str("labels");
  op(0x5d, 0x28); // EMPTY_LIST, MARK
  labels.forEach(int);
  op(0x65); // APPENDS
  if (mean) {
    str("mean");
    array("f8", "<", [mean.length], new Uint8Array(mean.buffer, mean.byteOffset, mean.byteLength));
  }
  op(0x75, 0x2e); // SETITEMS, STOP
  return Buffer.concat(parts);
}

/** Serves `handler` on 127.0.0.1; returns its base URL and a closer. */
export async function serve(
  handler: http.RequestListener,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Python 3 with numpy, if this machine has it (for cross-checks). */
export function pythonWithNumpy(): string | null {
  const r = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
  return r.status === 0 ? "python3" : null;
}
