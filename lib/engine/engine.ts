/**
 * One call that picks, loads and initialises the fastest TensorFlow.js
 * backend available: tfjs-node-gpu (CUDA), tfjs-node (libtensorflow),
 * native (this project's oneDNN kernels over wasm), wasm (SIMD, threads
 * where possible) and finally the pure-JS cpu backend.
 *
 *   const info = await initEngine();        // auto, prints one line
 *   await initEngine({ backend: "cpu" });   // forced
 *   SGDL_BACKEND=wasm npm run ...            // forced by environment
 *
 * One thread count drives wasm's XNNPACK pool and oneDNN's OpenMP pool:
 * `threads`, else $SGDL_THREADS ($SGDL_WASM_THREADS, its older name),
 * else every core. The returned EngineInfo is what every run record
 * stores.
 */
import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import {
  BACKEND_SPECS,
  BACKENDS,
  type BackendName,
  isBackendName,
  loadBackend,
  reasonOf,
} from "./backends";
import { registerWasmKernels } from "./kernels";
import {
  loadAddon,
  type NativeInfo,
  registerNativeKernels,
  unregisterNativeKernels,
} from "./native";
import { enableWasmThreads } from "./threads";

export interface EngineOptions {
  /** Force a backend; default: $SGDL_BACKEND, else "auto". */
  backend?: BackendName | "auto";
  /**
   * Threads for wasm and the native kernels (ignored by other backends);
   * default: $SGDL_THREADS (or $SGDL_WASM_THREADS), else every core.
   * wasm's count is fixed once it has started.
   */
  threads?: number;
  /** Print nothing (the one-line description is still in the result). */
  quiet?: boolean;
  /** Where the one line goes; default: stderr. */
  log?: (line: string) => void;
}

/** Which engine is running: stored in every run record. */
export interface EngineInfo {
  backend: BackendName;
  /** Threads the backend computes with (wasm: XNNPACK threads). */
  threads: number;
  /** Library versions: tfjs, the backend's package, node. */
  versions: Record<string, string>;
  /** Faster backends that were tried and why they were skipped. */
  skipped: Array<{ backend: BackendName; reason: string }>;
  /** Anything the user should know (fallbacks, thread notes). */
  notes: string[];
  /** The native engine's library: oneDNN version, the ISA it chose. */
  native?: { onednn: string; isa: string };
}

export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineUnavailableError";
  }
}

let current: EngineInfo | null = null;
let wasmThreads: { threads: number; note: string } | null = null;

/** The engine chosen by the last `initEngine`, or null before it. */
export function engineInfo(): EngineInfo | null {
  return current;
}

/** Picks, loads and activates a backend. Safe to call again. */
export async function initEngine(
  opts: EngineOptions = {},
): Promise<EngineInfo> {
  const wanted = requestedBackend(opts);
  const order = wanted === "auto" ? [...BACKENDS] : [wanted];
  const skipped: EngineInfo["skipped"] = [];
  for (const name of order) {
    try {
      const info = await activate(name, opts, skipped);
      current = info;
      if (opts.quiet !== true) (opts.log ?? logLine)(describeEngine(info));
      return info;
    } catch (err) {
      if (wanted !== "auto") throw unavailable(name, err);
      skipped.push({ backend: name, reason: reasonOf(err) });
    }
  }
  // Unreachable in practice: the cpu backend is part of @tensorflow/tfjs.
  throw new EngineUnavailableError(
    "no TensorFlow.js backend could be started: " +
      skipped.map((s) => `${s.backend}: ${s.reason}`).join("; "),
  );
}

/**
 * One line: backend, threads, versions and fallbacks. Skipped libtensorflow
 * backends are only named (they are optional installs); a skipped native
 * engine says why, since it is built by this project's set-up.
 */
export function describeEngine(info: EngineInfo): string {
  const spec = BACKEND_SPECS[info.backend];
  const threads = `${info.threads} thread${info.threads === 1 ? "" : "s"}`;
  const versions = Object.entries(info.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const about = info.native ? `${spec.about}, ${info.native.isa}` : spec.about;
  let line = `engine: ${info.backend} (${about}; ${threads}; ${versions})`;
  if (info.skipped.length > 0) {
    const names = info.skipped.map((s) =>
      s.backend === "native" ? `native (${s.reason})` : s.backend).join(", ");
    line += `; not available: ${names}`;
  }
  return info.notes.length > 0 ? `${line}; ${info.notes.join("; ")}` : line;
}

function requestedBackend(opts: EngineOptions): BackendName | "auto" {
  const raw = opts.backend ?? process.env["SGDL_BACKEND"] ?? "auto";
  if (raw === "auto" || raw === "") return "auto";
  if (isBackendName(raw)) return raw;
  const from = opts.backend === undefined ? "SGDL_BACKEND" : "backend";
  throw new EngineUnavailableError(
    `unknown ${from} "${raw}": use one of auto, ${BACKENDS.join(", ")}`,
  );
}

function requestedThreads(opts: EngineOptions): number {
  const envName = process.env["SGDL_THREADS"] ? "SGDL_THREADS" : "SGDL_WASM_THREADS";
  const env = process.env[envName];
  const n = opts.threads ?? (env ? Number(env) : availableParallelism());
  if (!Number.isInteger(n) || n < 1) {
    const from = opts.threads === undefined ? envName : "threads";
    throw new EngineUnavailableError(
      `${from} must be a whole number >= 1, got ${String(n)}`,
    );
  }
  return n;
}

async function activate(
  name: BackendName,
  opts: EngineOptions,
  skipped: EngineInfo["skipped"],
): Promise<EngineInfo> {
  const notes: string[] = [];
  const onWasm = BACKEND_SPECS[name].tfName === "wasm";
  let native: NativeInfo | null = null;
  if (name === "native") {
    const loaded = loadAddon();
    if ("reason" in loaded) throw new Error(loaded.reason);
    native = loaded.addon.info();
  }
  if (onWasm) {
    const threads = requestedThreads(opts);
    if (wasmThreads === null) {
      wasmThreads = await enableWasmThreads(threads);
    } else if (wasmThreads.threads !== threads) {
      notes.push(`wasm already started with ${wasmThreads.threads} threads`);
    }
    if (wasmThreads.note) notes.push(wasmThreads.note);
  }
  const version = await loadBackend(name);
  const tfName = BACKEND_SPECS[name].tfName;
  if (!(await tf.setBackend(tfName))) {
    throw new Error(`tf.setBackend("${tfName}") failed`);
  }
  await tf.ready();
  if (name === "wasm") unregisterNativeKernels();
  if (onWasm) registerWasmKernels();
  if (name === "cpu") quietCpuGreeting();
  const info: EngineInfo = {
    backend: name,
    threads: threadsOf(name),
    versions: versionsOf(name, version),
    skipped: [...skipped],
    notes,
  };
  if (native !== null) {
    const addon = loadAddon();
    if ("addon" in addon) {
      addon.addon.setThreads(info.threads);
      registerNativeKernels(addon.addon);
    }
    info.versions = { ...info.versions, onednn: native.onednn };
    info.native = { onednn: native.onednn, isa: native.isa };
  }
  return info;
}

function threadsOf(name: BackendName): number {
  if (BACKEND_SPECS[name].tfName === "wasm") return wasmThreads?.threads ?? 1;
  if (name === "cpu") return 1;
  // libtensorflow uses its own intra-op pool: one per core by default.
  return availableParallelism();
}

function versionsOf(name: BackendName, version: string) {
  const out: Record<string, string> = { tfjs: tf.version.tfjs };
  const pkg = BACKEND_SPECS[name].pkg;
  if (pkg !== null) out[pkg.replace("@tensorflow/", "")] = version;
  out["node"] = process.version;
  return out;
}

function unavailable(name: BackendName, err: unknown): EngineUnavailableError {
  if (err instanceof EngineUnavailableError) return err;
  const spec = BACKEND_SPECS[name];
  return new EngineUnavailableError(
    `backend "${name}" (${spec.about}) was requested but is not ` +
      `available: ${reasonOf(err)}. To install it: ${spec.install}. ` +
      `Or let the engine choose: unset SGDL_BACKEND or pass backend "auto".`,
  );
}

/**
 * The cpu backend greets Node users once with a banner suggesting
 * tfjs-node; the engine line already says that, so mark it as shown.
 */
function quietCpuGreeting(): void {
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (b.firstUse === true) b.firstUse = false;
}

function logLine(line: string): void {
  process.stderr.write(line + "\n");
}
