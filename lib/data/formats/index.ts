/**
 * File formats, read in plain TypeScript: tar(.gz) streams, zip, numpy
 * .npy/.npz, Python pickles of numpy arrays, IDX, WAV, CRC-32, and
 * bounded inflate (gzip, raw deflate).
 */
export { readTar, extractTar, fileSink, memorySink, memberPath } from "./tar";
export type { TarEntry, TarSink, TarVisitor } from "./tar";
export type { TarReadOptions, ExtractOptions } from "./tar";
export { zipMembers, zipRead } from "./zip";
export type { ZipMember } from "./zip";
export { readNpy, readNpz } from "./npy";
export { parseDType, typedFromBytes, product } from "./ndarray";
export type { NdArray, NdData, DType } from "./ndarray";
export { unpickle, dictArray, dictInts, PyTuple, PyStr2 } from "./pickle";
export type { PyValue } from "./pickle";
export { readIdx, writeIdx } from "./idx";
export type { IdxArray } from "./idx";
export { readWav, writeWav16 } from "./wav";
export type { Wav } from "./wav";
export { crc32 } from "./crc32";
export { FormatError } from "./error";
export { gunzipBounded, inflateRawBounded, INFLATE_MARGIN } from "./inflate";
export { readCifarBin, writeCifarBin, CIFAR_PIXELS } from "./cifar-bin";
export type { CifarRecords } from "./cifar-bin";
