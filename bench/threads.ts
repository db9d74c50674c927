/**
 * wasm with 1 vs 2 (or more) XNNPACK threads under Node: ms per
 * iteration of conv- and matMul-heavy work, and whether the results are
 * bitwise identical. wasm starts once per process, so every measurement
 * runs in its own child process; thread counts alternate round by round
 * so that drift in machine load hits both alike. Medians are printed;
 * the last line is one JSON object.
 *
 *   npx tsx bench/threads.ts             (ROUNDS=3 ITERS=5 THREADS=1,2)
 *
 * Workloads (batch 64, NHWC, 3x3 "same" convs at ResNet-20's stages
 * 32x32x16, 16x16x32, 8x8x64):
 * - conv: forward conv2d + relu per stage (XNNPACK);
 * - convT: conv2dTranspose per stage with tfjs's stock kernel
 *   (Conv2DBackpropInput: its own C++ loop, not XNNPACK);
 * - matmul: 4 chained products of 1024x1024 matrices;
 * - train: forward + both gradients of conv + relu per stage, with the
 *   project's kernels (lib/engine/kernels); skipped if they fail to load.
 * helperCpuShare shows whether a second thread really worked (see
 * ChildResult.helper), which a busy machine can hide from the timings.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { enableWasmThreads, threadCpuTicks } from "../lib/engine/threads";

const ROUNDS = Number(process.env["ROUNDS"] ?? 3);
const ITERS = Number(process.env["ITERS"] ?? 5);
const THREADS = (process.env["THREADS"] ?? "1,2").split(",").map(Number);
const BATCH = 64;

/** What one child process reports. */
interface ChildResult {
  asked: number;
  threads: number;
  note: string;
  /** Median ms per iteration, by workload. */
  ms: Record<string, number>;
  /** sha1 of the output bytes, by workload (for the bitwise check). */
  hash: Record<string, string>;
  /**
   * CPU of the busiest other thread / CPU of the main thread while the
   * workload ran (Linux only, else -1): ~0 with 1 thread, ~1 when a
   * helper thread shares the work evenly, whatever the machine's load.
   */
  helper: Record<string, number>;
}

/** Deterministic inputs in [-1, 1): the same bytes in every process. */
function filled(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor(v, shape);
}

type Work = () => tf.Tensor[];

/** ResNet-20's three stages: [height = width, channels]. */
const STAGES = [
  [32, 16],
  [16, 32],
  [8, 64],
] as const;

function stageInputs(): Array<[tf.Tensor4D, tf.Tensor4D]> {
  return STAGES.map(([hw, c], i) => [
    filled([BATCH, hw, hw, c], 1 + i) as tf.Tensor4D,
    filled([3, 3, c, c], 10 + i) as tf.Tensor4D,
  ]);
}

/** Forward conv2d + relu per stage: XNNPACK convolutions. */
function convWork(): Work {
  const xw = stageInputs();
  return () => xw.map(([x, w]) => tf.relu(tf.conv2d(x, w, 1, "same")));
}

/** tfjs's own Conv2DBackpropInput kernel per stage. */
function convTWork(): Work {
  const xw = stageInputs();
  return () =>
    xw.map(([x, w]) => tf.conv2dTranspose(x, w, x.shape, 1, "same"));
}

/**
 * Forward + backward (input and filter gradients) of conv + relu per
 * stage, with the project's gradient kernels (lib/engine/kernels);
 * null when they cannot be loaded.
 */
async function trainWork(): Promise<Work | null> {
  // A variable path: the kernels are another module's work in progress.
  const path = "../lib/engine/kernels";
  try {
    const mod = (await import(path)) as {
      registerWasmKernels: () => void;
    };
    mod.registerWasmKernels();
  } catch {
    return null;
  }
  const xw = stageInputs();
  const g = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"))),
  );
  return () => xw.flatMap(([x, w]) => g([x, w]));
}

function matmulWork(): Work {
  const a = filled([1024, 1024], 3);
  const b = filled([1024, 1024], 4);
  return () => {
    const out: tf.Tensor[] = [];
    let c = tf.matMul(a, b);
    out.push(c);
    for (let i = 1; i < 4; i++) {
      // Scaled so values stay O(1) through the chain.
      c = tf.matMul(tf.mul(c, 1 / 32), b);
      out.push(c);
    }
    return out;
  };
}

/**
 * Median ms of `ITERS` runs after one warm-up, the outputs' hash, and the
 * helper threads' share of the CPU time.
 */
function measure(work: Work): { ms: number; hash: string; helper: number } {
  let hash = "";
  const run = (): number => {
    const t0 = performance.now();
    const out = tf.tidy(work);
    // wasm is synchronous; reading the values makes sure all ran.
    const bytes = out.map((t) => t.dataSync() as Float32Array);
    const ms = performance.now() - t0;
    const h = createHash("sha1");
    for (const v of bytes) {
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    hash = h.digest("hex").slice(0, 16);
    tf.dispose(out);
    return ms;
  };
  run();
  const t0 = threadCpuTicks();
  const times = Array.from({ length: ITERS }, run);
  const t1 = threadCpuTicks();
  let main = 0;
  let helper = 0;
  for (const [tid, v] of t1 ?? []) {
    const d = v - (t0?.get(tid) ?? v);
    if (tid === process.pid) main = d;
    else helper = Math.max(helper, d);
  }
  const share = t1 === null || main === 0 ? -1 : helper / main;
  return { ms: median(times), hash, helper: Math.round(share * 100) / 100 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function child(asked: number): Promise<void> {
  const { threads, note } = await enableWasmThreads(asked);
  if (tf.getBackend() !== "wasm") throw new Error("wasm did not start");
  const result: ChildResult = {
    asked, threads, note, ms: {}, hash: {}, helper: {},
  };
  const record = (name: string, work: Work): void => {
    const r = measure(work);
    result.ms[name] = Math.round(r.ms * 10) / 10;
    result.hash[name] = r.hash;
    result.helper[name] = r.helper;
  };
  record("conv", convWork());
  record("convT", convTWork()); // before trainWork replaces its kernel
  record("matmul", matmulWork());
  const train = await trainWork();
  if (train !== null) record("train", train);
  console.log(JSON.stringify(result));
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const runs: ChildResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of THREADS) {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", self, "--child", String(n)],
        { encoding: "utf8", timeout: 600_000 },
      );
      const last = r.stdout.trim().split("\n").pop() ?? "";
      if (r.status !== 0 || !last.startsWith("{")) {
        throw new Error(`child (${n} threads) failed: ${r.stderr}`);
      }
      const res = JSON.parse(last) as ChildResult;
      runs.push(res);
      console.log(
        `round ${round + 1}: asked ${n}, got ${res.threads} thread(s): ` +
          Object.entries(res.ms)
            .map(([k, v]) => `${k} ${v} ms (helper ${res.helper[k]})`)
            .join(", ") +
          (res.note ? ` (${res.note})` : ""),
      );
    }
  }
  const summary: Record<string, unknown> = {};
  const names = Object.keys(runs[0]?.ms ?? {});
  for (const n of THREADS) {
    const mine = runs.filter((r) => r.asked === n);
    const ms: Record<string, number> = {};
    const best: Record<string, number> = {};
    const helper: Record<string, number> = {};
    for (const k of names) {
      ms[k] = median(mine.map((r) => r.ms[k]!));
      best[k] = Math.min(...mine.map((r) => r.ms[k]!));
      helper[k] = median(mine.map((r) => r.helper[k]!));
    }
    summary[`threads${n}`] = {
      got: [...new Set(mine.map((r) => r.threads))],
      msPerIter: ms,
      bestMsPerIter: best,
      helperCpuShare: helper,
    };
  }
  const base = runs.filter((r) => r.asked === THREADS[0]);
  const speedup: Record<string, Record<string, number>> = {};
  const bestSpeedup: Record<string, Record<string, number>> = {};
  const identical: Record<string, Record<string, boolean>> = {};
  for (const n of THREADS.slice(1)) {
    const mine = runs.filter((r) => r.asked === n);
    speedup[`${n}v${THREADS[0]}`] = Object.fromEntries(
      names.map((k) => {
        const s =
          median(base.map((r) => r.ms[k]!)) /
          median(mine.map((r) => r.ms[k]!));
        return [k, Math.round(s * 100) / 100];
      }),
    );
    // Best round vs best round: what the threads give when no other
    // process competes for the cores (medians mix in busy rounds).
    bestSpeedup[`${n}v${THREADS[0]}`] = Object.fromEntries(
      names.map((k) => {
        const s =
          Math.min(...base.map((r) => r.ms[k]!)) /
          Math.min(...mine.map((r) => r.ms[k]!));
        return [k, Math.round(s * 100) / 100];
      }),
    );
    identical[`${n}v${THREADS[0]}`] = Object.fromEntries(
      names.map((k) => [
        k,
        [...base, ...mine].every((r) => r.hash[k] === base[0]!.hash[k]),
      ]),
    );
  }
  console.log(
    JSON.stringify({
      bench: "wasm-threads",
      batch: BATCH,
      rounds: ROUNDS,
      iters: ITERS,
      ...summary,
      speedup,
      bestSpeedup,
      bitwiseIdentical: identical,
    }),
  );
}

const at = process.argv.indexOf("--child");
if (at >= 0) await child(Number(process.argv[at + 1]));
else parent();
