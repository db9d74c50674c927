/**
 * enableWasmThreads: threaded wasm under Node, and its fallback. wasm
 * starts once per process, so each case runs in a fresh child process,
 * which must also exit by itself (pool workers must not keep it alive).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** A child that has not exited by then is stuck (init or live workers). */
const EXIT_WITHIN_MS = 120_000;

/**
 * Runs an ES module snippet in a fresh node with its own TMPDIR, so we
 * can check that the worker files were cleaned up. Returns the JSON of
 * the snippet's last stdout line.
 */
function runChild(code: string): {
  out: Record<string, unknown>;
  leftover: string[];
  stderr: string;
} {
  const tmp = mkdtempSync(join(tmpdir(), "threads-test-"));
  try {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, TMPDIR: tmp },
        timeout: EXIT_WITHIN_MS,
      },
    );
    assert.equal(
      r.signal,
      null,
      `child did not exit by itself within ${EXIT_WITHIN_MS} ms`,
    );
    assert.equal(r.status, 0, r.stderr);
    const last = r.stdout.trim().split("\n").pop() ?? "";
    return {
      out: JSON.parse(last) as Record<string, unknown>,
      // Only ours: tsx keeps its own cache in TMPDIR too.
      leftover: readdirSync(tmp).filter((f) => f.startsWith("tfjs-wasm")),
      stderr: r.stderr,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Shared by the snippets: conv2d and matMul on wasm, checked on cpu. */
const COMPARE = `
import * as tf from "@tensorflow/tfjs";
function filled(shape, seed) {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor(v, shape);
}
function ops() {
  const x = filled([8, 16, 16, 8], 1), w = filled([3, 3, 8, 16], 2);
  const a = filled([200, 300], 3), b = filled([300, 100], 4);
  return [tf.conv2d(x, w, 1, "same"), tf.conv2d(x, w, 2, "valid"),
          tf.matMul(a, b)].map((t) => t.dataSync().slice());
}
/** max |got - want| / max |want|, over each op's output. */
async function compareWithCpu() {
  const got = ops();
  const backend = tf.getBackend();
  await tf.setBackend("cpu");
  const want = ops();
  await tf.setBackend(backend);
  return got.map((g, i) => {
    let d = 0, m = 0;
    for (let j = 0; j < g.length; j++) {
      d = Math.max(d, Math.abs(g[j] - want[i][j]));
      m = Math.max(m, Math.abs(want[i][j]));
    }
    return d / m;
  });
}
`;

test("2 threads: getThreadsCount, helper CPU, cpu-equal, exits", () => {
  const { out, leftover } = runChild(`${COMPARE}
    import os from "node:os";
    import * as wasm from "@tensorflow/tfjs-backend-wasm";
    import {
      enableWasmThreads, threadCpuTicks,
    } from "./lib/engine/threads.ts";
    const before = [URL.createObjectURL, os.cpus];
    const res = await enableWasmThreads(2);
    const globalsRestored =
      URL.createObjectURL === before[0] && os.cpus === before[1];
    const rel = await compareWithCpu();
    // CPU of the busiest thread other than main during matMuls.
    const a = tf.randomNormal([512, 512]);
    const t0 = threadCpuTicks();
    for (let i = 0; i < 40; i++) {
      const c = tf.matMul(a, a);
      c.dataSync();
      c.dispose();
    }
    const t1 = threadCpuTicks();
    let main = 0, helper = 0;
    if (t0 && t1) for (const [tid, v] of t1) {
      const d = v - (t0.get(tid) ?? v);
      if (tid === process.pid) main = d; else helper = Math.max(helper, d);
    }
    const again = await enableWasmThreads(2);
    const other = await enableWasmThreads(3);
    console.log(JSON.stringify({
      res, count: wasm.getThreadsCount(), backend: tf.getBackend(),
      globalsRestored, rel, main, helper, hasProc: t0 !== null,
      again, other,
    }));`);
  assert.deepEqual(out["res"], { threads: 2, note: "" });
  assert.equal(out["count"], 2);
  assert.equal(out["backend"], "wasm");
  assert.equal(out["globalsRestored"], true);
  for (const r of out["rel"] as number[]) assert.ok(r <= 1e-4, `rel ${r}`);
  if (out["hasProc"] === true) {
    // A helper thread did a real share of the matMul work (ideally ~1:1).
    const main = out["main"] as number;
    const helper = out["helper"] as number;
    assert.ok(helper >= 0.2 * main, `helper ${helper} vs main ${main} ticks`);
  }
  // Asking again is harmless; a different count cannot apply any more.
  assert.deepEqual(out["again"], { threads: 2, note: "" });
  assert.match(
    (out["other"] as { note: string }).note,
    /already started with 2 thread/,
  );
  assert.deepEqual(leftover, [], "worker files left in TMPDIR");
});

for (const simulate of ["throw", "crash", "hang"] as const) {
  test(`threaded init that fails (${simulate}) falls back to 1 thread`, () => {
    const { out, leftover } = runChild(`${COMPARE}
      import { enableWasmThreads } from "./lib/engine/threads.ts";
      const res = await enableWasmThreads(2, {
        simulate: "${simulate}", timeoutMs: 3000,
      });
      const rel = await compareWithCpu();
      console.log(JSON.stringify({ res, backend: tf.getBackend(), rel }));`);
    const res = out["res"] as { threads: number; note: string };
    assert.equal(res.threads, 1);
    const why = {
      throw: /simulated failure/,
      crash: /worker error: simulated worker crash/,
      hang: /no answer in 3000 ms/,
    }[simulate];
    assert.match(res.note, /wasm threads unavailable/);
    assert.match(res.note, why);
    assert.equal(out["backend"], "wasm");
    for (const r of out["rel"] as number[]) assert.ok(r <= 1e-4, `rel ${r}`);
    assert.deepEqual(leftover, []);
  });
}

test("1 thread uses the single-threaded build, with no note", () => {
  const { out } = runChild(`
    import * as tf from "@tensorflow/tfjs";
    import { enableWasmThreads } from "./lib/engine/threads.ts";
    const res = await enableWasmThreads(1);
    const y = tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).dataSync()[0];
    console.log(JSON.stringify({ res, y, backend: tf.getBackend() }));`);
  assert.deepEqual(out["res"], { threads: 1, note: "" });
  assert.equal(out["y"], 4);
  assert.equal(out["backend"], "wasm");
});
