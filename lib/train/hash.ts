/**
 * The content hash that names a run: sha256 of the canonical JSON (keys
 * sorted at every level, no whitespace) of the normalised config, short
 * hex. Key order and defaults written out explicitly do not change it,
 * because it is taken after `parseConfig` has filled every default.
 * Settings that cannot change the results (how often to checkpoint) are
 * left out, so changing them reuses the record.
 */
import { createHash } from "node:crypto";
import { BACKENDS, type BackendName } from "../engine/backends";
import { parseConfig, type TrainConfig } from "./config";

/** Hex digits of the run id (48 bits). */
export const HASH_LENGTH = 12;

/** JSON with object keys sorted recursively; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`canonicalJson: ${value} has no JSON form`);
  }
  return Object.is(value, -0) ? 0 : value;
}

/** sha256 of a string, first `length` hex digits. */
export function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** The part of a config that determines its results. */
export function hashedPart(config: TrainConfig): Omit<TrainConfig, "checkpoint"> {
  const { checkpoint: _unused, ...rest } = config;
  return rest;
}

/**
 * The run id of a config (any input form: it is normalised first).
 * `train` resolves `backend: "auto"` to the engine it got before
 * hashing, so results are cached per (config, seed, engine).
 */
export function configHash(config: unknown): string {
  return shortHash(canonicalJson(hashedPart(parseConfig(config))));
}

/**
 * The run ids under which a config's record may be: its own for a forced
 * backend; for `backend: "auto"`, one per engine, `preferred` (the engine
 * running now) first. Every engine computes the same training, so a
 * finished record from any of them is a valid result: committed records
 * made on one engine render on another, and only a fresh or forced run
 * trains again.
 */
export function candidateIds(config: TrainConfig, preferred?: BackendName): string[] {
  if (config.backend !== "auto") return [configHash(config)];
  const order = preferred === undefined
    ? [...BACKENDS]
    : [preferred, ...BACKENDS.filter((b) => b !== preferred)];
  return order.map((b) => configHash({ ...config, backend: b }));
}
