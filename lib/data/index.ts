/**
 * lib/data: the paper's datasets and the input pipeline.
 *
 * - datasets: loaders for the official formats (CIFAR-10/100 binary,
 *   ImageNet32 pickle/npz, Speech Commands WAV folders, PTB text) with
 *   verified, idempotent fetches; Fashion-MNIST (IDX) as a real stand-in.
 * - standins: synthetic keywords (Speech Commands layout) and the Brown
 *   corpus in PTB form, each labelled by a `standIn` field.
 * - pipeline: seeded shuffling and batching, the paper's augmentation
 *   (4-px reflect pad, random crop, flip), per-channel normalisation,
 *   class-balanced subsets, LM batchify/BPTT.
 * - audio: log-mel features. rng: a seeded, serialisable PRNG.
 * - formats, fetch: file formats and downloads underneath.
 * - facts: every dataset's kind, origin (real, stand-in, synthetic) and
 *   split sizes, in one table the trainer and the plans read.
 * Data lives under `data/` (or DATA_DIR); see data/README.md.
 */
export * from "./types";
export { Rng, mixSeed, splitmix32 } from "./rng";
export type { RngState } from "./rng";
export { cacheDir, dataRoot, PROJECT_ROOT, shortPath } from "./paths";
export {
  ChecksumError,
  fromIntegrity,
  hashBytes,
  hashFile,
  md5,
  sha256,
  verifyBytes,
  verifyFile,
} from "./checksum";
export type { Checksum, HashAlgorithm } from "./checksum";
export * from "./datasets";
export * from "./standins";
export * from "./pipeline";
export * from "./audio";
export * from "./formats";
export { DATASETS, findDataset } from "./registry";
export { DATASET_FACTS } from "./facts";
export type { DataKind, DataOrigin, DatasetFacts, DatasetName } from "./facts";
export type { DataContext, DataEntry } from "./registry";
export {
  consoleReporter,
  download,
  DownloadError,
  npmPack,
  orderSources,
  silentReporter,
  trySources,
} from "./fetch";
export type { DownloadOptions, NpmTarball, Reporter, Source } from "./fetch";
