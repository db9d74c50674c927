/**
 * Checkpoints: everything a run needs to continue bit for bit, saved at
 * epoch ends in `<run>/checkpoint/`:
 *   state-e<epoch>.bin   float32/int32 values of every tensor, back to back
 *   manifest.json        names, shapes, offsets, the blob's sha256,
 *                        optimizer step, RNG states, metrics so far
 * Both are written via temp file + rename, the blob first and the
 * manifest last: the manifest is the commit point, and it only ever
 * names a complete blob. Older blobs are removed after the new manifest
 * is in place.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { RngState } from "../data";
import type { Parameterised } from "../models";
import type { Stepper } from "../optim";
import { type Faults, removeStaleTemps, writeFileAtomic, writeJsonAtomic } from "./atomic";
import type { EpochMetrics } from "./record";

export const CHECKPOINT_DIR = "checkpoint";
const MANIFEST = "manifest.json";
const CHECKPOINT_SCHEMA_VERSION = 1;

/** One tensor in the blob. */
interface TensorEntry {
  /** "param/<name>", "buffer/<name>" or "opt/<param>/<slot>". */
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  /** Byte offset in the blob (4-byte elements). */
  offset: number;
}

/** The trainer's own state at an epoch end. */
export interface TrainerState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  globalStep: number;
  /** The first step's loss (the divergence test's reference). */
  initialLoss: number | null;
  history: EpochMetrics[];
  /** Data order and augmentation generator. */
  rng: RngState;
  /** Wall seconds spent so far (a measurement). */
  wallSeconds: number;
  resumedAt: number[];
}

export interface Manifest {
  schemaVersion: number;
  runId: string;
  blob: string;
  blobBytes: number;
  blobSha256: string;
  tensors: TensorEntry[];
  optimizerStep: number;
  trainer: TrainerState;
}

export function checkpointDir(runDir: string): string {
  return join(runDir, CHECKPOINT_DIR);
}

/** Saves model, optimizer and trainer state atomically. */
export function saveCheckpoint(
  runDir: string,
  runId: string,
  model: Parameterised,
  opt: Stepper,
  trainer: TrainerState,
  faults: Faults = {},
): { bytes: number } {
  const dir = checkpointDir(runDir);
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (name: string, t: tf.Tensor) => {
    const data = t.dataSync();
    const arr = t.dtype === "int32"
      ? (data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>))
      : (data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>));
    const dtype = t.dtype === "int32" ? "int32" : "float32";
    entries.push({ name, shape: [...t.shape], dtype, offset });
    chunks.push(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    offset += arr.byteLength;
  };
  for (const [group, vars] of [["param", model.params], ["buffer", model.buffers]] as const) {
    for (const [name, v] of Object.entries(vars)) add(`${group}/${name}`, v);
  }
  // Optimizer slots as Stepper.save() names them: `${param}/${slot}`.
  const state = opt.state;
  for (const [slot, byParam] of Object.entries(state?.slots ?? {})) {
    for (const [param, t] of Object.entries(byParam)) add(`opt/${param}/${slot}`, t);
  }
  const blob = Buffer.concat(chunks);
  const blobName = `state-e${String(trainer.epoch).padStart(4, "0")}.bin`;
  writeFileAtomic(join(dir, blobName), blob, faults);
  const manifest: Manifest = {
    schemaVersion: CHECKPOINT_SCHEMA_VERSION,
    runId,
    blob: blobName,
    blobBytes: blob.length,
    blobSha256: createHash("sha256").update(blob).digest("hex"),
    tensors: entries,
    optimizerStep: state?.step ?? 0,
    trainer,
  };
  writeJsonAtomic(join(dir, MANIFEST), manifest, faults);
  for (const f of readdirSync(dir)) {
    if (/^state-e\d+\.bin$/.test(f) && f !== blobName) rmSync(join(dir, f), { force: true });
  }
  return { bytes: blob.length };
}

/** The manifest of a run's checkpoint, or null when there is none. */
export function readManifest(runDir: string): Manifest | null {
  const path = join(checkpointDir(runDir), MANIFEST);
  if (!existsSync(path)) return null;
  const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  if (m.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) return null;
  return m;
}

/**
 * Restores a checkpoint into `model` and `opt`; returns the trainer
 * state, or null when there is no usable checkpoint for `runId`.
 */
export function loadCheckpoint(
  runDir: string,
  runId: string,
  model: Parameterised,
  opt: Stepper,
): TrainerState | null {
  const dir = checkpointDir(runDir);
  removeStaleTemps(dir);
  const m = readManifest(runDir);
  if (m === null || m.runId !== runId) return null;
  const blob = readFileSync(join(dir, m.blob));
  const sha = createHash("sha256").update(blob).digest("hex");
  if (blob.length !== m.blobBytes || sha !== m.blobSha256) {
    throw new Error(`checkpoint ${join(dir, m.blob)} does not match its ` +
      "manifest (size or sha256); delete the checkpoint folder to restart");
  }
  const values = (e: TensorEntry): Float32Array | Int32Array => {
    const n = e.shape.reduce((a, b) => a * b, 1);
    const bytes = blob.buffer.slice(blob.byteOffset + e.offset, blob.byteOffset + e.offset + 4 * n);
    return e.dtype === "int32" ? new Int32Array(bytes) : new Float32Array(bytes);
  };
  const byName = new Map(m.tensors.map((e) => [e.name, e]));
  for (const [group, vars] of [["param", model.params], ["buffer", model.buffers]] as const) {
    for (const [name, v] of Object.entries(vars)) {
      const e = byName.get(`${group}/${name}`);
      if (e === undefined || e.shape.join() !== v.shape.join()) {
        throw new Error(`checkpoint in ${dir} lacks ${group} ${name} ` +
          `[${v.shape.join(", ")}] or has another shape; delete it to restart`);
      }
      const t = tf.tensor(values(e), e.shape, e.dtype);
      v.assign(t);
      t.dispose();
    }
  }
  const optTensors = m.tensors.filter((e) => e.name.startsWith("opt/"));
  if (m.optimizerStep > 0 || optTensors.length > 0) {
    opt.restore({
      step: m.optimizerStep,
      tensors: optTensors.map((e) => ({
        name: e.name.slice("opt/".length),
        shape: e.shape,
        dtype: e.dtype,
        values: Array.from(values(e)),
      })),
    });
  }
  return m.trainer;
}

/** Deletes a run's checkpoint folder. */
export function removeCheckpoint(runDir: string): void {
  rmSync(checkpointDir(runDir), { recursive: true, force: true });
}
