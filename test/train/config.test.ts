import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  applyOverrides, ConfigError, configHash, parseConfig, PRESETS, preset,
} from "../../lib/train";

const minimal = {
  model: { kind: "resnet", n: 1 },
  dataset: { name: "cifar10" },
  optimizer: { name: "sgdl", lr: 1.0 },
  epochs: 3,
};

/** The ConfigError message of parsing `input`. */
function problems(input: unknown): string {
  try {
    parseConfig(input);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`);
    return err.message;
  }
  assert.fail("the config was accepted");
}

describe("config schema", () => {
  test("fills defaults, per optimizer and data kind", () => {
    const c = parseConfig(minimal);
    assert.equal(c.batchSize, 256);
    assert.equal(c.seed, 0);
    assert.equal(c.profile, "cpu");
    assert.deepEqual(c.augment, { pad: 4, flip: true });
    assert.deepEqual(c.schedule, {
      kind: "multistep", at: [1 / 3, 2 / 3], unit: "fraction", gamma: 0.1,
    });
    assert.equal(c.optimizer.name === "sgdl" && c.optimizer.weightDecay, 0.005);
    const ada = parseConfig({ ...minimal, optimizer: { name: "adadelta" } });
    assert.deepEqual(ada.schedule, { kind: "constant" }); // not annealed (A.3.1)
    assert.equal(ada.optimizer.lr, 1.0);
    const lm = parseConfig({
      ...minimal,
      model: { kind: "awd-lstm", numLayers: 2 },
      dataset: { name: "ptb" },
      batchSize: 20,
    });
    assert.equal(lm.augment, false);
  });

  test("an unknown key is an error naming its path", () => {
    assert.match(problems({ ...minimal, epochz: 3 }), /epochz: unknown key "epochz"/);
    assert.match(
      problems({ ...minimal, optimizer: { name: "sgdl", lr: 1, lrr: 2 } }),
      /optimizer\.lrr: unknown key "lrr" in optimizer/,
    );
    assert.match(
      problems({ ...minimal, dataset: { name: "cifar10", perClass: 3 } }),
      /dataset\.perClass: unknown key/,
    );
    // momentum belongs to sgdm, not to vanilla SGD
    assert.match(
      problems({ ...minimal, optimizer: { name: "sgd", lr: 1, momentum: 0.9 } }),
      /optimizer\.momentum: unknown key/,
    );
  });

  test("wrong types, values and variants name the key", () => {
    assert.match(problems({ ...minimal, epochs: "3" }), /epochs: .*expected number/);
    assert.match(problems({ ...minimal, batchSize: 0 }), /batchSize: /);
    assert.match(problems({ ...minimal, optimizer: { name: "sgdx", lr: 1 } }),
      /optimizer\.name: must be one of "sgd", "sgdm", "sgdl", "adam", "adadelta"/);
    assert.match(problems({ ...minimal, optimizer: { name: "sgdm" } }),
      /optimizer\.lr: required/);
    assert.match(problems({ ...minimal, model: undefined }), /model: required/);
    assert.match(problems({ ...minimal, microBatch: 512 }),
      /microBatch: must be <= batchSize \(256\)/);
    assert.match(problems({ ...minimal, dataset: { name: "ptb" } }),
      /model\.kind: "resnet" needs image data/);
    assert.match(problems({ ...minimal, schedule: { kind: "multistep", at: [0.5, 1.5] } }),
      /schedule\.at\[1\]: fractions must increase within \(0, 1\)/);
  });

  test("every preset is a valid config", () => {
    assert.ok("smoke" in PRESETS);
    for (const name of Object.keys(PRESETS)) parseConfig(preset(name));
    const s = parseConfig(preset("smoke"));
    assert.equal(s.profile, "smoke");
    assert.throws(() => preset("nope"), /unknown preset "nope"; presets: smoke/);
  });
});

describe("config hash", () => {
  test("ignores key order and explicit defaults", () => {
    const h = configHash(minimal);
    assert.match(h, /^[0-9a-f]{12}$/);
    const reordered = {
      epochs: 3,
      optimizer: { lr: 1.0, name: "sgdl" },
      dataset: { name: "cifar10" },
      model: { n: 1, kind: "resnet" },
    };
    assert.equal(configHash(reordered), h);
    const explicit = { ...parseConfig(minimal) };
    assert.equal(configHash(explicit), h);
    assert.equal(configHash({ ...minimal, batchSize: 256, seed: 0, augment: { pad: 4 } }), h);
  });

  test("changes with anything that changes results, not with checkpointing", () => {
    const h = configHash(minimal);
    assert.notEqual(configHash({ ...minimal, optimizer: { name: "sgdl", lr: 1.1 } }), h);
    assert.notEqual(configHash({ ...minimal, seed: 1 }), h);
    assert.notEqual(configHash({ ...minimal, backend: "wasm" }), h);
    assert.equal(configHash({ ...minimal, checkpoint: { every: 5 } }), h);
  });
});

describe("--set overrides", () => {
  test("set nested keys with JSON values", () => {
    const out = applyOverrides(minimal, [
      "optimizer.lr=0.5", "seed=3", "dataset.trainPerClass=20",
      "augment=false", "schedule.kind=constant", "profile=smoke",
    ]);
    const c = parseConfig(out);
    assert.equal(c.optimizer.lr, 0.5);
    assert.equal(c.seed, 3);
    assert.equal(c.dataset.name === "cifar10" && c.dataset.trainPerClass, 20);
    assert.equal(c.augment, false);
    assert.deepEqual(c.schedule, { kind: "constant" });
    assert.equal(minimal.optimizer.lr, 1.0, "the input is not modified");
  });

  test("a mistyped key is rejected by name", () => {
    const out = applyOverrides(minimal, ["optimizer.lrate=0.5"]);
    assert.match(problems(out), /optimizer\.lrate: unknown key/);
    assert.match(problems(applyOverrides(minimal, ["epochs=three"])), /epochs: .*expected number/);
    assert.throws(() => applyOverrides(minimal, ["seed"]), /expected key\.path=value/);
    assert.throws(() => applyOverrides(minimal, ["epochs.x=1"]), /epochs is not an object/);
  });

  test("batch files: each at most once (no silently doubled images, no huge lists)", () => {
    assert.match(problems(applyOverrides(minimal, ["dataset.trainBatches=[1,1]"])),
      /dataset\.trainBatches: each batch file at most once/);
    const huge = `dataset.trainBatches=${JSON.stringify(new Array(200_000).fill(1))}`;
    const t0 = performance.now();
    assert.match(problems(applyOverrides(minimal, [huge])), /dataset\.trainBatches: /);
    assert.ok(performance.now() - t0 < 2000);
  });

  test("a deeply nested value (custom model args) is one clear error, not a stack overflow", () => {
    let args: unknown = 1;
    for (let i = 0; i < 100_000; i++) args = { a: args };
    const cfg = { ...minimal, model: { kind: "custom", name: "x", args } };
    assert.throws(() => applyOverrides(cfg, ["seed=1"]), /nested deeper than 64 levels/);
    assert.throws(() => parseConfig(cfg), (e) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, /model\.args\.a\.a.*: nested deeper than 64 levels/);
      return true;
    });
  });

  test("no key path reaches a prototype", () => {
    for (const set of ["__proto__.polluted=1", "constructor.prototype.polluted=1",
      "optimizer.__proto__.polluted=1", "model.constructor=1"]) {
      assert.throws(() => applyOverrides(minimal, [set]), (e) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(e.message, /is not a config key/);
        return true;
      });
    }
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    // A key inherited from Object.prototype is not walked as if it were set.
    const c = parseConfig(applyOverrides(minimal, ["optimizer.lr=0.25"]));
    assert.equal(c.optimizer.lr, 0.25);
    assert.match(problems(applyOverrides(minimal, ["toString.x=1"])), /toString: unknown key/);
  });
});
