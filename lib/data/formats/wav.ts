/**
 * RIFF/WAVE reading and writing: PCM 8/16/24/32-bit and IEEE float,
 * WAVE_FORMAT_EXTENSIBLE included. Speech Commands clips are 16-bit PCM
 * mono at 16 kHz.
 */
import { FormatError } from "./error";

export interface Wav {
  sampleRate: number;
  channels: number;
  /** Samples in [-1, 1], channel 0 only (mono mix is not needed here). */
  samples: Float32Array;
}

/** Parses a WAV file; multi-channel input keeps channel 0. */
export function readWav(bytes: Uint8Array, label = "wav"): Wav {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) =>
    String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    throw new FormatError(`${label}: not a RIFF/WAVE file`);
  }
  let p = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | null =
    null;
  while (p + 8 <= bytes.length) {
    const id = tag(p);
    let size = dv.getUint32(p + 4, true);
    const body = p + 8;
    if (id === "fmt ") {
      if (body + 16 > bytes.length || (size < 16)) {
        throw new FormatError(`${label}: truncated fmt chunk`);
      }
      let format = dv.getUint16(body, true);
      if (format === 0xfffe) {
        if (body + 26 > bytes.length) throw new FormatError(`${label}: truncated fmt chunk`);
        format = dv.getUint16(body + 24, true);
      }
      fmt = {
        format,
        channels: dv.getUint16(body + 2, true),
        rate: dv.getUint32(body + 4, true),
        bits: dv.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt) throw new FormatError(`${label}: data chunk before fmt chunk`);
      // streamed writers may leave 0 or 0xffffffff as the data size
      if (size === 0 || size === 0xffffffff || body + size > bytes.length) {
        size = bytes.length - body;
      }
      return decode(bytes, dv, body, size, fmt, label);
    }
    p = body + size + (size & 1);
  }
  throw new FormatError(`${label}: no data chunk`);
}

function decode(
  bytes: Uint8Array,
  dv: DataView,
  off: number,
  size: number,
  f: { format: number; channels: number; rate: number; bits: number },
  label: string,
): Wav {
  if (f.channels < 1 || f.bits < 8 || f.bits % 8 !== 0) {
    throw new FormatError(`${label}: bad WAV format (${f.channels} channels, ${f.bits} bits)`);
  }
  const width = f.bits / 8;
  const frame = width * f.channels;
  const n = Math.floor(size / frame);
  const out = new Float32Array(n);
  if (f.format === 1 && f.bits === 16) {
    for (let i = 0; i < n; i++) out[i] = dv.getInt16(off + i * frame, true) / 32768;
  } else if (f.format === 1 && f.bits === 8) {
    for (let i = 0; i < n; i++) out[i] = (bytes[off + i * frame]! - 128) / 128;
  } else if (f.format === 1 && f.bits === 24) {
    for (let i = 0; i < n; i++) {
      const q = off + i * frame;
      const v = bytes[q]! | (bytes[q + 1]! << 8) | (bytes[q + 2]! << 16);
      out[i] = ((v << 8) >> 8) / 8388608;
    }
  } else if (f.format === 1 && f.bits === 32) {
    for (let i = 0; i < n; i++) {
      out[i] = dv.getInt32(off + i * frame, true) / 2147483648;
    }
  } else if (f.format === 3 && f.bits === 32) {
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(off + i * frame, true);
  } else {
    throw new FormatError(
      `${label}: unsupported WAV encoding (format ${f.format}, ${f.bits} bit)`,
    );
  }
  return { sampleRate: f.rate, channels: f.channels, samples: out };
}

/** Encodes mono 16-bit PCM; samples in [-1, 1] are rounded, clipped. */
export function writeWav16(samples: Float32Array, sampleRate: number): Buffer {
  const n = samples.length;
  const b = Buffer.alloc(44 + 2 * n);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write("WAVEfmt ", 8, "latin1");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36, "latin1");
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) {
    const v = Math.round(samples[i]! * 32767);
    b.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 44 + 2 * i);
  }
  return b;
}
