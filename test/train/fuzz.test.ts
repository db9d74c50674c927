/**
 * Property-based fuzzing of what users type: `--set key.path=value`,
 * config files and sweep specs. Whatever the input, the answer is a
 * valid config or one of our errors (ConfigError, SpecError) naming what
 * was wrong; never a TypeError, a stack overflow or a polluted prototype.
 * FUZZ_RUNS / FUZZ_SEED as in test/data/fuzz.test.ts (`npm run fuzz`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { expandSpec, parseSpec, SpecError } from "../../lib/sweep";
import { applyOverrides, ConfigError, parseConfig, preset } from "../../lib/train";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 200);
const SEED = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);
const params = () => ({ numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });

/** Keys that exist, keys that must be refused, and noise. */
const KEY = fc.oneof(
  fc.constantFrom("optimizer", "lr", "model", "dataset", "seed", "epochs", "batchSize", "eval",
    "every", "subsetPerClass", "n", "width", "kind", "name", "trainPerClass", "trainBatches",
    "schedule", "augment", "profile", "backend", "__proto__", "constructor", "prototype",
    "toString", "hasOwnProperty", ""),
  fc.string({ maxLength: 6 }),
);
const PATH = fc.array(KEY, { minLength: 1, maxLength: 4 }).map((ks) => ks.join("."));
const VALUE = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("NaN", "-1", "1e309", "[1,1]", "{\"__proto__\":{\"x\":1}}", "null", "true"),
);

function ourErrorOr(run: () => unknown, ...types: Array<new (...a: never[]) => Error>): void {
  try {
    run();
  } catch (err) {
    assert.ok(types.some((t) => err instanceof t), `not our error: ${String(err)}`);
    assert.ok(!(err as Error).message.includes("\n    at "), "no stack trace in the message");
  }
  assert.equal(({} as Record<string, unknown>)["x"], undefined, "no prototype pollution");
}

test("fuzz: --set overrides on a preset", () => {
  const base = preset("smoke");
  fc.assert(fc.property(fc.array(fc.tuple(PATH, VALUE), { maxLength: 4 }), (sets) => {
    ourErrorOr(() => parseConfig(applyOverrides(base, sets.map(([k, v]) => `${k}=${v}`))), ConfigError);
  }), params());
});

test("fuzz: config files (any JSON, and a preset with one value replaced)", () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
    ourErrorOr(() => parseConfig(v), ConfigError);
  }), params());
  const base = preset("smoke") as Record<string, unknown>;
  fc.assert(fc.property(fc.constantFrom(...Object.keys(base)), fc.jsonValue({ maxDepth: 3 }), (k, v) => {
    ourErrorOr(() => parseConfig({ ...base, [k]: v }), ConfigError);
  }), params());
});

test("fuzz: sweep specs", () => {
  const spec = fc.record({
    base: fc.oneof(fc.constant("smoke"), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
    grid: fc.dictionary(PATH, fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), { maxKeys: 3 }),
    set: fc.dictionary(PATH, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  }, { requiredKeys: [] });
  fc.assert(fc.property(spec, (s) => {
    ourErrorOr(() => expandSpec(parseSpec(s)), SpecError, ConfigError);
  }), params());
});
