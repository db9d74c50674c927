import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { memoryMessage } from "../../lib/engine";
import { ENGINE_UNDER_TEST } from "./helpers/backends";

const engines = [
  ["wasm", false],
  ["native", ENGINE_UNDER_TEST === "native" ? false : "native engine not under test"],
] as const;

for (const [engine, skip] of engines) {
  test(`running out of wasm memory on ${engine} is a clear error, not an abort`, { skip }, () => {
    // A fresh process: the heap is exhausted for real (4 GiB), then the
    // same guarded call is made again.
    const code = `
      import * as tf from "@tensorflow/tfjs";
      import { initEngine, guardMemory } from "./lib/engine/index.ts";
      await initEngine({ backend: "${engine}", threads: 2, quiet: true });
      const step = () => tf.tidy(() => {
        let x = tf.ones([1024, 32, 32, 64]);        // 256 MiB
        for (let i = 0; i < 24; i++) x = tf.relu(tf.add(x, 1));
        return x.sum();
      });
      for (let k = 0; k < 2; k++) {
        try {
          guardMemory({ batchSize: 1024, what: "a test step" }, step);
          console.log("no error");
        } catch (e) {
          console.log(e.name + ": " + e.message);
        }
      }`;
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code],
      { encoding: "utf8", timeout: 180_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 2, r.stdout);
    for (const line of lines) {
      assert.match(line, /^EngineMemoryError: The wasm engine ran out/);
      assert.match(line, /with batch size 1024/);
      assert.match(line, /smaller batch size \(e\.g\. 512\)/);
      assert.match(line, /microBatch: 256/);
    }
  });
}

test("the memory message names batch size and micro-batching", () => {
  const msg = memoryMessage({ batchSize: 128 }, "boom");
  assert.match(msg, /batch size 128/);
  assert.match(msg, /e\.g\. 64/);
  assert.match(msg, /microBatch: 32, which accumulates gradients over 4/);
  assert.match(msg, /cause: boom/);
});

test("through train(), the first error wins: the clear one, not the dead module's", () => {
  // The reproduction of the hardening issue: past the 4 GiB heap inside a
  // training step; the trainer's clean-up must not touch the dead module.
  const r = spawnSync(process.execPath, [
    "--import", "tsx", "scripts/train.ts", "--config", "smoke",
    "--set", 'model={"kind":"vgg16"}', "--set", "batchSize=4096",
    "--set", "dataset.trainPerClass=500", "--set", "epochs=1", "--force",
  ], {
    encoding: "utf8", timeout: 300_000,
    env: { ...process.env, SGDL_RUNS_DIR: mkdtempSync(join(tmpdir(), "sgdl-oom-")) },
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /EngineMemoryError|ran out of memory \(its heap is capped at 4 GiB\)/);
  assert.match(r.stderr, /batch size 4096/);
  assert.doesNotMatch(r.stderr, /memory access out of bounds\s*$/m);
});
