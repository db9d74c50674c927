/**
 * Run records: `<runs>/<id>/record.json`, one per (config, seed, engine),
 * holding code, config and results together (house style 6). Plain JSON;
 * `history` is an array of per-epoch objects with the same keys in every
 * row (null where a metric does not apply), so
 * `pandas.json_normalize(record["history"])` or danfojs reads it as a
 * table.
 *
 * The runs folder is `<data>/runs` (DATA_DIR moves it), or
 * $SGDL_RUNS_DIR, or the `runsDir` option, which wins.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataRoot, type StandIn } from "../data";
import type { EngineInfo } from "../engine";
import { type Faults, writeJsonAtomic } from "./atomic";
import type { TrainConfig } from "./config";

/** Bumped when the record's shape changes incompatibly. */
export const RECORD_SCHEMA_VERSION = 1;

export type RunStatus = "completed" | "diverged" | "interrupted";

/** One row of `history`: what epoch `epoch` ended with. */
export interface EpochMetrics {
  /** 1-based epoch. */
  epoch: number;
  /** lr of the epoch's last step. */
  lr: number;
  /** Optimizer steps in this epoch. */
  steps: number;
  /** Mean training loss over the epoch (running, in training mode). */
  trainLoss: number | null;
  /** Training error (fraction) over the epoch, in training mode. */
  trainError: number | null;
  trainTop5Error: number | null;
  /** exp(trainLoss) for language models. */
  trainPerplexity: number | null;
  /** Test split, training=false; null when not evaluated this epoch. */
  testLoss: number | null;
  testError: number | null;
  testTop5Error: number | null;
  testPerplexity: number | null;
  /**
   * Which test examples the test metrics are over: "full" (the whole
   * split), "subset" (eval.subsetPerClass per class), null when not
   * evaluated. Records made before this field existed lack it (full).
   */
  testSet?: "full" | "subset" | null;
  /** How many test examples (tokens for language models), or null. */
  testExamples?: number | null;
  /** Examples trained on this epoch (images, clips or tokens). */
  examples: number;
  unit: "images" | "clips" | "tokens";
  /** Wall time: training this epoch, its evaluation, total so far (s). */
  epochSeconds: number;
  evalSeconds: number;
  wallSeconds: number;
  /** Examples per second while training (a measurement). */
  throughput: number;
}

/** Fields of EpochMetrics that measure time, not results. */
export const TIMING_FIELDS = [
  "epochSeconds", "evalSeconds", "wallSeconds", "throughput",
] as const;

export interface DatasetInfo {
  name: string;
  /** "CIFAR-10 (real data)" or the stand-in's label. */
  label: string;
  /** null for the paper's real data. */
  standIn: StandIn | null;
  source: string;
  train: number;
  test: number;
  numClasses: number | null;
  vocabSize: number | null;
}

export interface DivergenceInfo {
  /** 1-based epoch and step within it where the loss blew up. */
  epoch: number;
  step: number;
  globalStep: number;
  /** The offending loss (null for NaN/Inf: JSON has no NaN). */
  loss: number | null;
  reason: string;
}

export interface RunRecord {
  schemaVersion: number;
  /** The config hash: the folder name. */
  id: string;
  status: RunStatus;
  /** The normalised config (backend resolved). */
  config: TrainConfig;
  profile: TrainConfig["profile"];
  seed: number;
  engine: EngineInfo;
  /** The project's git commit, and whether the tree had changes. */
  code: { commit: string | null; dirty: boolean | null };
  dataset: DatasetInfo;
  model: { name: string; params: number };
  history: EpochMetrics[];
  diverged: DivergenceInfo | null;
  /** The last epoch's metrics, or null if none finished. */
  final: EpochMetrics | null;
  /** Epochs at which the run was resumed from a checkpoint. */
  resumedAt: number[];
}

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordError";
  }
}

/** The runs folder: option, then $SGDL_RUNS_DIR, then `<data>/runs`. */
export function runsDir(dir?: string): string {
  if (dir !== undefined && dir !== "") return resolve(dir);
  const env = process.env["SGDL_RUNS_DIR"];
  if (env !== undefined && env !== "") return resolve(env);
  return join(dataRoot(), "runs");
}

export const RECORD_FILE = "record.json";

export function recordPath(runDir: string): string {
  return join(runDir, RECORD_FILE);
}

/** Reads and checks a record; null if there is none. */
export function readRecord(runDir: string): RunRecord | null {
  const path = recordPath(runDir);
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new RecordError(`${path} is not valid JSON (${String(err)}); ` +
      "delete it to re-run");
  }
  return checkRecord(value, path);
}

function checkRecord(value: unknown, path: string): RunRecord {
  const r = value as Partial<RunRecord> | null;
  if (r === null || typeof r !== "object") {
    throw new RecordError(`${path}: not a run record`);
  }
  if (r.schemaVersion !== RECORD_SCHEMA_VERSION) {
    throw new RecordError(`${path}: schema version ${String(r.schemaVersion)}, ` +
      `this code reads ${RECORD_SCHEMA_VERSION}; delete it to re-run`);
  }
  const statuses: RunStatus[] = ["completed", "diverged", "interrupted"];
  if (!statuses.includes(r.status as RunStatus) || !Array.isArray(r.history) ||
    typeof r.id !== "string" || typeof r.config !== "object") {
    throw new RecordError(`${path}: missing or invalid id, status, config ` +
      "or history");
  }
  return r as RunRecord;
}

/** Writes a record atomically. */
export function writeRecord(
  runDir: string,
  record: RunRecord,
  faults: Faults = {},
): void {
  writeJsonAtomic(recordPath(runDir), record, faults);
}

/** Every record under the runs folder, by id. Unreadable ones are skipped. */
export function listRecords(dir?: string): RunRecord[] {
  const root = runsDir(dir);
  if (!existsSync(root)) return [];
  const out: RunRecord[] = [];
  for (const id of readdirSync(root).sort()) {
    try {
      const r = readRecord(join(root, id));
      if (r !== null) out.push(r);
    } catch {
      // a foreign or old file: `npm run runs` reports it separately
    }
  }
  return out;
}

/** Whether a record ends the run (a diverged run is a result too). */
export function isFinished(r: RunRecord | null): r is RunRecord {
  return r !== null && (r.status === "completed" || r.status === "diverged");
}

/** JSON numbers only: NaN and infinities become null. */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
