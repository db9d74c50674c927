import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  describeEngine,
  EngineUnavailableError,
  initEngine,
} from "../../lib/engine";
import { loadAddon } from "../../lib/engine/native";

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const hasNode = installed("@tensorflow/tfjs-node");
const hasNodeGpu = installed("@tensorflow/tfjs-node-gpu");

/** Runs a snippet in a fresh process (wasm starts once per process). */
function runScript(code: string, env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", code],
    { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("auto picks the native engine where its addon loads, else wasm", {
  skip: hasNode || hasNodeGpu ? "tfjs-node is installed here" : false,
}, async () => {
  const lines: string[] = [];
  const info = await initEngine({ backend: "auto", log: (l) => lines.push(l) });
  const native = loadAddon();
  const expected = "addon" in native ? "native" : "wasm";
  assert.equal(info.backend, expected);
  assert.equal(tf.getBackend(), "wasm");
  assert.deepEqual(info.skipped.map((s) => s.backend),
    expected === "native" ? ["node-gpu", "node"] : ["node-gpu", "node", "native"]);
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes("\n"));
  assert.match(lines[0]!, new RegExp(`^engine: ${expected} .*not available: node-gpu, node`));
  assert.equal(info.versions["tfjs"], "4.22.0");
  assert.equal(info.versions["tfjs-backend-wasm"], "4.22.0");
  assert.ok(info.threads >= 1);
  if (expected === "native") {
    assert.match(info.versions["onednn"]!, /^\d+\.\d+\.\d+$/);
    assert.ok(info.native !== undefined && info.native.isa.length > 0);
  }
});

test("without the addon, auto falls back to wasm in one line that says why", {
  skip: hasNode || hasNodeGpu ? "tfjs-node is installed here" : false,
}, () => {
  const r = runScript(
    `import { initEngine } from "./lib/engine/index.ts";
     const info = await initEngine();
     console.log(JSON.stringify(info));`,
    { SGDL_NATIVE_ADDON: "/nonexistent/sgdl_native.node", SGDL_BACKEND: "" },
  );
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as { backend: string; skipped: { backend: string; reason: string }[] };
  assert.equal(info.backend, "wasm");
  assert.deepEqual(info.skipped.at(-1), { backend: "native", reason: "not built" });
  assert.match(r.stderr, /^engine: wasm .*not available: node-gpu, node, native \(not built\)$/m);
  const forced = runScript(
    `import { initEngine } from "./lib/engine/index.ts";
     await initEngine({ quiet: true });`,
    { SGDL_NATIVE_ADDON: "/nonexistent/sgdl_native.node", SGDL_BACKEND: "native" },
  );
  assert.notEqual(forced.status, 0);
  assert.match(forced.stderr, /backend "native" .*not available: not built\. To install it: build it with `npm run setup`/);
});

test("forcing a missing backend says what to install", {
  skip: hasNode ? "tfjs-node is installed here" : false,
}, async () => {
  await assert.rejects(initEngine({ backend: "node", quiet: true }), (e) => {
    assert.ok(e instanceof EngineUnavailableError);
    assert.match(e.message, /backend "node".*not available/);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    return true;
  });
});

test("the cpu backend can be forced and switched back", async () => {
  const cpu = await initEngine({ backend: "cpu", quiet: true });
  assert.equal(cpu.backend, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(cpu.threads, 1);
  assert.match(describeEngine(cpu), /^engine: cpu \(pure JavaScript/);
  const wasm = await initEngine({ backend: "wasm", quiet: true });
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(wasm.skipped.length, 0);
});

test("unknown backend names and bad thread counts are rejected", async () => {
  await assert.rejects(
    // @ts-expect-error: deliberately wrong name
    initEngine({ backend: "gpu", quiet: true }),
    /unknown backend "gpu": use one of auto, node-gpu, node, native, wasm, cpu/,
  );
  await assert.rejects(
    initEngine({ backend: "wasm", threads: 0, quiet: true }),
    /threads must be a whole number >= 1, got 0/,
  );
});

test("SGDL_BACKEND forces a backend from the environment", () => {
  const r = runScript(
    `import { initEngine } from "./lib/engine/index.ts";
     const info = await initEngine({ quiet: true });
     console.log(JSON.stringify(info));`,
    { SGDL_BACKEND: "cpu" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).backend, "cpu");
  const bad = runScript(
    `import { initEngine } from "./lib/engine/index.ts";
     await initEngine({ quiet: true });`,
    { SGDL_BACKEND: "tpu" },
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /unknown SGDL_BACKEND "tpu"/);
});

test("skip reasons carry no paths of this machine", {
  skip: hasNode || hasNodeGpu ? "tfjs-node is installed here" : false,
}, async () => {
  const info = await initEngine({ backend: "auto", quiet: true });
  for (const s of info.skipped) {
    assert.ok(!s.reason.includes(process.cwd()), s.reason);
    assert.doesNotMatch(s.reason, /imported from/);
    if (s.backend !== "native") assert.match(s.reason, /tfjs-node/);
  }
});
