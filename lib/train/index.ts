/**
 * lib/train: one training loop for every experiment of the paper.
 *
 * - config:     TrainConfigSchema (zod, strict), parseConfig, ConfigError,
 *               applyOverrides (--set key.path=value), setKeyPath, TrainConfig types
 * - hash:       configHash, canonicalJson, candidateIds (run ids)
 * - train:      train(config, opts) -> RunRecord: cached, locked,
 *               resumable; findRecord (look up without training),
 *               resolveEngine, runDirOf
 * - record:     RunRecord, EpochMetrics, readRecord, listRecords, runsDir
 * - loop:       the epoch/step loop (classifiers and language models)
 * - checkpoint: atomic checkpoints (float32 blob + manifest)
 * - lock:       the per-run lock file (O_EXCL, stale-pid detection)
 * - atomic:     write-then-rename files, fault hooks for tests
 * - data:       datasets as the trainer sees them
 * - models:     buildModel (the one place models are built), registerModel
 * - optimizer:  buildOptimizer, epochSchedule
 * - progress:   ProgressEvent, consoleProgress
 * - presets:    PRESETS, preset(name)
 */
export {
  applyOverrides, ConfigError, datasetKind, parseConfig, setKeyPath, TrainConfigSchema,
} from "./config";
export type {
  AugmentSpec, DataKind, DatasetSpec, ModelSpec, OptimizerSpec, ScheduleSpec,
  TrainConfig, TrainConfigInput,
} from "./config";
export { candidateIds, canonicalJson, configHash, HASH_LENGTH, shortHash } from "./hash";
export { findRecord, resolveEngine, runDirOf, train } from "./train";
export type { TrainOptions } from "./train";
export {
  finite, isFinished, listRecords, readRecord, RECORD_FILE, RECORD_SCHEMA_VERSION,
  RecordError, recordPath, runsDir, TIMING_FIELDS, writeRecord,
} from "./record";
export type {
  DatasetInfo, DivergenceInfo, EpochMetrics, RunRecord, RunStatus,
} from "./record";
export { classifyGrads, lmGrads, runLoop } from "./loop";
export type { LoopContext } from "./loop";
export {
  CHECKPOINT_DIR, checkpointDir, loadCheckpoint, readManifest, removeCheckpoint,
  saveCheckpoint,
} from "./checkpoint";
export type { Manifest, TrainerState } from "./checkpoint";
export { acquireLock, isAlive, isLockHeld, LockTimeoutError, readLock } from "./lock";
export type { Lock, LockInfo, LockOptions } from "./lock";
export { removeStaleTemps, writeFileAtomic, writeJsonAtomic, WriteError } from "./atomic";
export { cellSignal } from "./interrupt";
export type { Faults } from "./atomic";
export { centerCrop, clearDataCache, loadTrainData, syntheticText } from "./data";
export type { Batch, ClassifyData, TextData, TrainData } from "./data";
export { buildModel, isLanguageModel, registerModel, registeredModels } from "./models";
export type { AnyModel, ModelContext, ModelFactory } from "./models";
export { buildOptimizer, EpochClock, epochSchedule } from "./optimizer";
export { consoleProgress, describeEpoch, formatSeconds } from "./progress";
export type { ProgressEvent, ProgressHook } from "./progress";
export { paperOptimizerSpec, paperScheduleSpec, preset, PRESETS } from "./presets";
export type { Preset } from "./presets";
export {
  CODE_VERSION_ENV, codeChanges, codeVersion, formatCodeVersion, notebookSources, parseCodeVersion,
  pinCodeVersion, readCodeVersion,
} from "./code";
export type { CodeVersion } from "./code";
