/**
 * A minimal zip reader (stored and deflated members, zip64), enough for
 * numpy's .npz files. Reads from a buffer; checks each member's CRC-32.
 */
import { crc32 } from "./crc32";
import { inflateRawBounded } from "./inflate";
import { FormatError } from "./error";

export interface ZipMember {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

/** Little-endian readers that name the file when an offset is past the end. */
function readers(buf: Buffer, label: string) {
  const at = (o: number, n: number) => {
    if (!(Number.isSafeInteger(o) && o >= 0 && o + n <= buf.length)) {
      throw new FormatError(`${label}: corrupt zip (offset ${o} is past the end of ${buf.length} bytes)`);
    }
    return o;
  };
  return {
    u16: (o: number) => buf.readUInt16LE(at(o, 2)),
    u32: (o: number) => buf.readUInt32LE(at(o, 4)),
    u64: (o: number) => {
      const v = buf.readBigUInt64LE(at(o, 8));
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`${label}: corrupt zip64 field`);
      return Number(v);
    },
  };
}

/** Lists the members from the central directory. */
export function zipMembers(buf: Buffer, label = "zip"): ZipMember[] {
  const { u16, u32, u64 } = readers(buf, label);
  let eocd = -1;
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new FormatError(`${label}: not a zip file (no end-of-directory record)`);
  }
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  const loc = eocd - 20;
  if (loc >= 0 && u32(loc) === 0x07064b50) {
    const z64 = u64(loc + 8);
    if (u32(z64) !== 0x06064b50) {
      throw new FormatError(`${label}: corrupt zip64 end-of-directory record`);
    }
    count = u64(z64 + 32);
    cdOffset = u64(z64 + 48);
  }
  const out: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || u32(p) !== 0x02014b50) {
      throw new FormatError(`${label}: corrupt zip central directory`);
    }
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > buf.length) {
      throw new FormatError(`${label}: corrupt zip central directory (entry ${i} past the end)`);
    }
    const m: ZipMember = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLen),
      method: u16(p + 10),
      crc: u32(p + 16),
      compressedSize: u32(p + 20),
      size: u32(p + 24),
      headerOffset: u32(p + 42),
    };
    // zip64 extra field: present values replace 0xffffffff fields in order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (m.size === 0xffffffff) (m.size = u64(q)), (q += 8);
        if (m.compressedSize === 0xffffffff) {
          m.compressedSize = u64(q);
          q += 8;
        }
        if (m.headerOffset === 0xffffffff) m.headerOffset = u64(q);
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
  const { u16, u32 } = readers(buf, label);
  const h = m.headerOffset;
  if (u32(h) !== 0x04034b50) {
    throw new FormatError(`${label}: corrupt local header for ${m.name}`);
  }
  const start = h + 30 + u16(h + 26) + u16(h + 28);
  const raw = buf.subarray(start, start + m.compressedSize);
  if (raw.length !== m.compressedSize) {
    throw new FormatError(`${label}: ${m.name} is truncated`);
  }
  let data: Buffer;
  if (m.method === 0) data = raw;
  else if (m.method === 8) data = inflateRawBounded(raw, m.size, `${label}: ${m.name}`);
  else {
    throw new FormatError(
      `${label}: ${m.name} uses zip method ${m.method} (only 0 and 8)`,
    );
  }
  if (data.length !== m.size) {
    throw new FormatError(
      `${label}: ${m.name} size ${data.length}, directory says ${m.size}`,
    );
  }
  const crc = crc32(data);
  if (crc !== m.crc) {
    throw new FormatError(
      `${label}: ${m.name} crc32 mismatch: expected ` +
        `${m.crc.toString(16).padStart(8, "0")}, ` +
        `got ${crc.toString(16).padStart(8, "0")}`,
    );
  }
  return data;
}
