/**
 * A minimal zip reader (stored and deflated members, zip64), enough for
 * numpy's .npz files. Reads from a buffer; checks each member's CRC-32.
 */
import { inflateRawSync } from "node:zlib";
import { crc32 } from "./crc32";

export interface ZipMember {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const u16 = (b: Buffer, o: number) => b.readUInt16LE(o);
const u32 = (b: Buffer, o: number) => b.readUInt32LE(o);
const u64 = (b: Buffer, o: number) => Number(b.readBigUInt64LE(o));

/** Lists the members from the central directory. */
export function zipMembers(buf: Buffer, label = "zip"): ZipMember[] {
  let eocd = -1;
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (u32(buf, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error(`${label}: not a zip file (no end-of-directory record)`);
  }
  let count = u16(buf, eocd + 10);
  let cdOffset = u32(buf, eocd + 16);
  const loc = eocd - 20;
  if (loc >= 0 && u32(buf, loc) === 0x07064b50) {
    const z64 = u64(buf, loc + 8);
    if (u32(buf, z64) !== 0x06064b50) {
      throw new Error(`${label}: corrupt zip64 end-of-directory record`);
    }
    count = u64(buf, z64 + 32);
    cdOffset = u64(buf, z64 + 48);
  }
  const out: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || u32(buf, p) !== 0x02014b50) {
      throw new Error(`${label}: corrupt zip central directory`);
    }
    const nameLen = u16(buf, p + 28);
    const extraLen = u16(buf, p + 30);
    const commentLen = u16(buf, p + 32);
    const m: ZipMember = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLen),
      method: u16(buf, p + 10),
      crc: u32(buf, p + 16),
      compressedSize: u32(buf, p + 20),
      size: u32(buf, p + 24),
      headerOffset: u32(buf, p + 42),
    };
    // zip64 extra field: present values replace 0xffffffff fields in order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = u16(buf, e);
      const len = u16(buf, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (m.size === 0xffffffff) (m.size = u64(buf, q)), (q += 8);
        if (m.compressedSize === 0xffffffff) {
          m.compressedSize = u64(buf, q);
          q += 8;
        }
        if (m.headerOffset === 0xffffffff) m.headerOffset = u64(buf, q);
      }
      e += 4 + len;
    }
    out.push(m);
    p = eEnd + commentLen;
  }
  return out;
}

/** The uncompressed bytes of one member, CRC-checked. */
export function zipRead(buf: Buffer, m: ZipMember, label = "zip"): Buffer {
  const h = m.headerOffset;
  if (u32(buf, h) !== 0x04034b50) {
    throw new Error(`${label}: corrupt local header for ${m.name}`);
  }
  const start = h + 30 + u16(buf, h + 26) + u16(buf, h + 28);
  const raw = buf.subarray(start, start + m.compressedSize);
  if (raw.length !== m.compressedSize) {
    throw new Error(`${label}: ${m.name} is truncated`);
  }
  let data: Buffer;
  if (m.method === 0) data = raw;
  else if (m.method === 8) data = inflateRawSync(raw);
  else {
    throw new Error(
      `${label}: ${m.name} uses zip method ${m.method} (only 0 and 8)`,
    );
  }
  if (data.length !== m.size) {
    throw new Error(
      `${label}: ${m.name} size ${data.length}, directory says ${m.size}`,
    );
  }
  const crc = crc32(data);
  if (crc !== m.crc) {
    throw new Error(
      `${label}: ${m.name} crc32 mismatch: expected ` +
        `${m.crc.toString(16).padStart(8, "0")}, ` +
        `got ${crc.toString(16).padStart(8, "0")}`,
    );
  }
  return data;
}
