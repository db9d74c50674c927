/**
 * Multithreaded wasm under Node.
 *
 * tfjs-backend-wasm ships a threaded SIMD binary (XNNPACK runs ops on a
 * pthread pool of Web Workers) but never uses it under Node:
 * - flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false when IS_NODE;
 * - even when forced, `init()` gives Emscripten's pool a worker script as
 *   a `blob:` object URL, which Node's worker_threads cannot start;
 * - the pool is told to load "the main script" from a Blob holding the
 *   factory's `toString()`, and in the Node bundle that source refers to
 *   bundle-scope helpers (require$$0, __awaiter, ...) that do not exist
 *   inside a worker;
 * - the C++ side caps the thread count at half of
 *   emscripten_num_logical_cores() (it assumes hyper-threading), which
 *   under Node is os.cpus().length: 1 thread on a 2-core machine.
 *
 * `enableWasmThreads` works around all four, once, before wasm starts:
 * it sets the flag, writes the worker script (plus a few lines, below) to
 * a private mkdtemp folder, and while tfjs initialises it patches
 * `URL.createObjectURL` so the worker Blob becomes that file's path. The
 * appended lines make each worker load the package's own, unbundled
 * factory (wasm-out/tfjs-backend-wasm-threaded-simd.js) in place of the
 * Blob it is sent. `os.cpus()` is padded to 2 x threads entries while the
 * module starts, so the cap lets the asked-for count through. Globals
 * (also `Worker`, see watchPool) are restored and the folder removed as
 * soon as init has finished: Emscripten starts its whole pool (8
 * workers) during init, so nothing reads the files later.
 *
 * Fail-soft: any error, or no answer within `timeoutMs`, ends the
 * threaded attempt (its workers are terminated) and starts the
 * single-threaded SIMD build instead; `note` says why. It never throws.
 *
 * Exit: Emscripten unrefs a pool worker once it has loaded, but refs it
 * again when it starts a pthread on it, and XNNPACK's threads live as
 * long as the module. They would keep Node running forever, so after
 * init every worker is unref'd: a script that is done exits by itself.
 * That is safe because XNNPACK's threads only work while the main thread
 * waits inside an op, i.e. while Node is busy anyway.
 */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkerOptions } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

export interface WasmThreadsResult {
  /** XNNPACK threads wasm computes with (getThreadsCount()). */
  threads: number;
  /** Empty when `threads` is what was asked for; else why not. */
  note: string;
}

export interface WasmThreadsOptions {
  /** Give up on the threaded build after this long (default 30 s). */
  timeoutMs?: number;
  /**
   * Tests only: make the threaded attempt fail on the main thread
   * ("throw"), in the workers ("crash"), or never finish ("hang"), to
   * exercise the fallback.
   */
  simulate?: "throw" | "crash" | "hang";
}

/**
 * Emscripten's pthread pool is preallocated with 8 workers; asking for
 * more makes it spawn workers after init (from a blob URL again, and
 * while the main thread blocks waiting for them). XNNPACK's caller is
 * one of its threads, so 8 is safe.
 */
export const MAX_WASM_THREADS = 8;

const FLAG = "WASM_HAS_MULTITHREAD_SUPPORT";
const WASM_PKG = "@tensorflow/tfjs-backend-wasm";
const OUT = `${WASM_PKG}/wasm-out/tfjs-backend-wasm-threaded-simd`;

/**
 * Starts the wasm backend with `threads` XNNPACK threads and makes it the
 * active backend. Call it before anything else initialises wasm (before
 * `tf.setBackend("wasm")` or `tf.ready()` on wasm); a process can start
 * wasm only once. Never throws; see the module comment.
 */
export async function enableWasmThreads(
  threads: number,
  opts: WasmThreadsOptions = {},
): Promise<WasmThreadsResult> {
  let wasm: WasmPackage;
  try {
    wasm = (await import(WASM_PKG)) as WasmPackage;
  } catch (err) {
    return { threads: 1, note: `wasm unavailable: ${reason(err)}` };
  }
  if (tf.engine().registry["wasm"] !== undefined) {
    const n = actualThreads(wasm);
    const note = n === threads ? "" : "wasm had already started";
    return { threads: n, note: note && `${note} with ${n} thread(s)` };
  }
  const asked = Number.isFinite(threads) ? Math.floor(threads) : 1;
  const want = Math.max(1, Math.min(MAX_WASM_THREADS, asked));
  const clamp =
    want === threads ? "" : `wasm threads: ${want} (asked ${threads})`;
  if (want === 1) return single(wasm, clamp, opts);

  const why = await unsupported();
  if (why !== null) return single(wasm, join2(clamp, why), opts);

  let failure: string;
  try {
    failure = await threadedInit(wasm, want, opts);
  } catch (err) {
    failure = reason(err);
  }
  if (failure === "") {
    const n = actualThreads(wasm);
    const off = n === want ? "" : `wasm reports ${n} threads, not ${want}`;
    return { threads: n, note: join2(clamp, off) };
  }
  const note = `wasm threads unavailable (${failure}); using 1 thread`;
  return single(wasm, join2(clamp, note), opts);
}

/**
 * CPU time (clock ticks) used so far by each thread of this process, by
 * thread id; null where /proc is missing (not Linux). getThreadsCount()
 * only echoes a setting: comparing two snapshots around an op shows
 * whether XNNPACK's helper threads really computed, even on a machine
 * too busy for a speed-up to show.
 */
export function threadCpuTicks(): Map<number, number> | null {
  const dir = "/proc/self/task";
  let tids: string[];
  try {
    tids = readdirSync(dir);
  } catch {
    return null;
  }
  const out = new Map<number, number>();
  for (const tid of tids) {
    try {
      const stat = readFileSync(`${dir}/${tid}/stat`, "utf8");
      // Fields after "(comm)": state is [0], utime [11], stime [12].
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), Number(f[11]) + Number(f[12]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

/** Why this Node cannot run threaded wasm, or null if it can. */
async function unsupported(): Promise<string | null> {
  if (typeof SharedArrayBuffer !== "function") {
    return "no SharedArrayBuffer";
  }
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) {
    return "no wasm SIMD (tfjs ships threads only with SIMD)";
  }
  return null;
}

/**
 * One attempt at the threaded build. Returns "" on success, else a short
 * reason; the engine's wasm slot is then free for the fallback.
 */
async function threadedInit(
  wasm: WasmPackage,
  threads: number,
  opts: WasmThreadsOptions,
): Promise<string> {
  const require = createRequire(import.meta.url);
  const factory = require.resolve(`${OUT}.js`);
  const { wasmWorkerContents } = require(`${OUT}.worker.js`) as {
    wasmWorkerContents: string;
  };
  // What init() puts in its Blob: newlines escaped back into "\n".
  const script = wasmWorkerContents.replace(/\n/g, "\\n");
  const blobBytes = Buffer.byteLength(script);

  const dir = mkdtempSync(join(tmpdir(), "tfjs-wasm-threads-"));
  // .cjs: the worker needs `require`, whatever package.json is above tmp.
  const workerFile = join(dir, "worker.cjs");
  const body =
    opts.simulate === "hang"
      ? HANG_WORKER
      : opts.simulate === "crash"
        ? CRASH_WORKER
        : script + "\n" + workerShim(factory);
  writeFileSync(workerFile, body);

  const pool = watchPool();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (obj: Blob): string => {
    if (opts.simulate === "throw") throw new Error("simulated failure");
    // Only the worker script is turned into a URL on the main thread.
    if (obj instanceof Blob && obj.size === blobBytes) return workerFile;
    throw new Error(
      `unexpected Blob (${obj.size} bytes) for a worker script: ` +
        `tfjs-backend-wasm changed`,
    );
  };
  // The C++ cap is min(asked, 8, cores / 2), cores read once at start.
  const cpus = os.cpus;
  os.cpus = () => {
    const list = cpus.call(os);
    // Some containers list no CPUs at all; only the length is read.
    const fill = list[0] ?? ({} as os.CpuInfo);
    while (list.length < 2 * threads) list.push(fill);
    return list;
  };
  tf.env().set(FLAG, true);
  wasm.setThreadsCount(threads);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let failure = "";
  try {
    failure = await startWasm(timeoutMs, pool.broken);
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
    pool.restore(failure === "");
    rmSync(dir, { recursive: true, force: true });
  }
  if (failure !== "") {
    // Free the pool so the process can still exit. A late answer from
    // the abandoned init goes nowhere: the engine never saw it.
    for (const w of pool.workers) void w.terminate();
  } else {
    // XNNPACK's threads are running now (and ref'd): see module comment.
    for (const w of pool.workers) w.unref();
  }
  return failure;
}

/**
 * Appended to the worker script (after it, so its "use strict" stays a
 * directive; messages are handled only after the script has run). The
 * worker is sent a Blob of the bundled factory, which cannot run there,
 * and asks URL.createObjectURL for a URL to it (its only use in the
 * worker); the shim answers with the unbundled factory's path, which
 * the worker's importScripts reads with fs and evaluates.
 */
function workerShim(factoryPath: string): string {
  return (
    `;(function(){var p=${JSON.stringify(factoryPath)};` +
    `URL.createObjectURL=function(){return p};` +
    `URL.revokeObjectURL=function(){}})();\n`
  );
}

/** What we need of a worker_threads Worker. */
interface PoolWorker {
  terminate(): unknown;
  unref(): void;
}

/** A worker that dies on start, as with a bad flag or a broken file. */
const CRASH_WORKER = `throw new Error("simulated worker crash");\n`;

/** A worker that never reports "loaded": what a stuck pool looks like. */
const HANG_WORKER =
  `require("worker_threads").parentPort.on("message",function(){});\n`;

/**
 * Watches the Workers Emscripten creates while init runs. Emscripten
 * assigns `globalThis.Worker = worker_threads.Worker` and then calls
 * `new Worker(file)`, so an accessor on globalThis hands out a subclass
 * that:
 * - records each worker, so a failed attempt can terminate them (an
 *   unloaded worker is ref'd and would keep the process alive);
 * - starts it with an empty execArgv: workers inherit the parent's by
 *   default, and flags such as `--input-type` or `--import tsx` break or
 *   slow a plain .cjs worker;
 * - turns a worker error into `broken` (a failed attempt) where
 *   Emscripten would rethrow it and crash the process: during init, and
 *   for good if init failed (the other workers of a failed pool keep
 *   erroring). After a good init errors go to Emscripten as usual.
 * Restoring leaves whatever Emscripten assigned, as it needs it later.
 */
function watchPool(): {
  workers: PoolWorker[];
  broken: Promise<string>;
  restore: (ok: boolean) => void;
} {
  type Ctor = new (file: string | URL, opts?: WorkerOptions) => PoolWorker;
  const g = globalThis as Record<string, unknown>;
  const before = Object.getOwnPropertyDescriptor(g, "Worker");
  const workers: PoolWorker[] = [];
  let catching = true;
  let fail: (why: string) => void = () => {};
  const broken = new Promise<string>((resolve) => {
    fail = (why) => resolve(`worker error: ${why}`);
  });
  let current: unknown = before?.value;
  let wrappedFor: unknown = null;
  let wrapped: unknown = null;
  const wrap = (Base: Ctor): unknown =>
    class extends Base {
      constructor(file: string | URL, opts?: WorkerOptions) {
        super(file, { execArgv: [], ...opts });
        workers.push(this);
        let handler: unknown = null;
        Object.defineProperty(this, "onerror", {
          configurable: true,
          get: () => (e: unknown) => {
            if (catching) fail(reason(e));
            else if (typeof handler === "function") handler(e);
          },
          set: (fn: unknown) => {
            handler = fn;
          },
        });
      }
    };
  Object.defineProperty(g, "Worker", {
    configurable: true,
    enumerable: false,
    get() {
      if (typeof current !== "function") return current;
      if (wrappedFor !== current) {
        wrappedFor = current;
        wrapped = wrap(current as Ctor);
      }
      return wrapped;
    },
    set(v: unknown) {
      current = v;
    },
  });
  const restore = (ok: boolean): void => {
    catching = !ok;
    if (current === undefined && before === undefined) delete g["Worker"];
    else {
      Object.defineProperty(g, "Worker", {
        configurable: true,
        enumerable: false,
        writable: true,
        value: current,
      });
    }
  };
  return { workers, broken, restore };
}

/** The single-threaded SIMD build: the fallback, and threads = 1. */
async function single(
  wasm: WasmPackage,
  note: string,
  opts: WasmThreadsOptions,
): Promise<WasmThreadsResult> {
  tf.env().set(FLAG, false);
  wasm.setThreadsCount(1);
  const failure = await startWasm(opts.timeoutMs ?? 30_000);
  if (failure !== "") {
    return { threads: 1, note: join2(note, `wasm failed: ${failure}`) };
  }
  return { threads: actualThreads(wasm), note };
}

/**
 * Runs the wasm backend's registered factory (what tf.setBackend would
 * run) under a timeout, or until `broken` says a worker died, then hands
 * the backend to the engine and makes it active. Calling the factory
 * ourselves gives us its error for the note (the engine would only log
 * it) and leaves no pending init in the engine when it hangs. Returns
 * "" on success, else a short reason.
 */
async function startWasm(
  timeoutMs: number,
  broken: Promise<string> = new Promise<string>(() => {}),
): Promise<string> {
  const engine = tf.engine();
  const entry = engine.registryFactory["wasm"];
  if (entry === undefined) return "wasm backend not registered";
  try {
    const backend = await withTimeout(
      Promise.race([
        Promise.resolve(entry.factory()),
        broken.then((why) => Promise.reject(new Error(why))),
      ]),
      timeoutMs,
    );
    if (backend === "timeout") return `no answer in ${timeoutMs} ms`;
    engine.registry["wasm"] = backend;
    if (!(await tf.setBackend("wasm"))) return "tf.setBackend failed";
    return "";
  } catch (err) {
    return reason(err);
  }
}

function actualThreads(wasm: WasmPackage): number {
  try {
    return wasm.getThreadsCount();
  } catch {
    return 1;
  }
}

/** Resolves to the promise's value, or "timeout"; leaves no timer. */
async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

function join2(a: string, b: string): string {
  return a && b ? `${a}; ${b}` : a || b;
}

/** First line of an error; tfjs's init rejects with a bare {message}. */
function reason(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  const msg = typeof m === "string" ? m : String(err);
  return msg.split("\n")[0]?.slice(0, 200) ?? "";
}
