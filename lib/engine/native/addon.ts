/**
 * Loads the native engine's addon (build/sgdl_native.node, built from
 * src/ by `npm run setup`; see the Makefile) and says why when it cannot.
 *
 * The addon links Debian's oneDNN, whose OpenMP threads spin while they
 * wait for work by default. Any other load on the cores (wasm's threads,
 * a second training process, a build) then fights the spinning threads:
 * measured on 2 cores, ResNet-20 fell from ~500 to 174 images/s with a
 * type check running beside it (passive: 358). So the wait policy is made
 * passive before the library loads, unless the user chose one
 * (OMP_WAIT_POLICY or GOMP_SPINCOUNT); on a quiet machine the default
 * spinning is ~10% faster (OMP_WAIT_POLICY=active).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** What the addon reports about itself. */
export interface NativeInfo {
  /** oneDNN version, e.g. "2.6.3". */
  onednn: string;
  /** The instruction set oneDNN dispatches to, e.g. "avx512_core". */
  isa: string;
  /** Threads for oneDNN and the addon's loops. */
  threads: number;
  ompMaxThreads: number;
  /** Bytes of the addon's grow-only scratch buffers. */
  scratchBytes: number;
  /** Primitives (one per op and shape) held in the addon's caches. */
  cachedPrimitives: number;
  /** Kernel calls so far. */
  calls: number;
}

/** A kernel entry point: reads operands from the heap at args' offsets. */
export type NativeKernelFn = (heap: Uint8Array, args: Float64Array) => void;

export interface NativeAddon {
  info(): NativeInfo;
  setThreads(n: number): void;
  /** Drops cached primitives and scratch buffers. */
  clearCaches(): void;
  /** oneDNN's name for the implementation a conv would use. */
  convImpl(heap: Uint8Array, args: Float64Array): string;
  conv: NativeKernelFn;
  batchNormTrain: NativeKernelFn;
  batchNormTrainGrad: NativeKernelFn;
  batchNormInfer: NativeKernelFn;
  binary: NativeKernelFn;
  unary: NativeKernelFn;
  pool: NativeKernelFn;
  matmul: NativeKernelFn;
  reduce: NativeKernelFn;
  slice: NativeKernelFn;
  pad: NativeKernelFn;
  concat: NativeKernelFn;
  split: NativeKernelFn;
  lstmCell: NativeKernelFn;
  lstmCellGrad: NativeKernelFn;
  sparseXent: NativeKernelFn;
  sparseXentGrad: NativeKernelFn;
}

/** Where the build puts the addon ($SGDL_NATIVE_ADDON overrides it). */
export const ADDON_PATH = process.env["SGDL_NATIVE_ADDON"] ?? fileURLToPath(
  new URL("./build/sgdl_native.node", import.meta.url),
);

/** How to build it, for error messages. */
export const BUILD_HINT =
  "build it with `npm run setup` (needs Debian's libdnnl-dev, g++ and make; " +
  "or `make -C lib/engine/native` once they are installed)";

let loaded: { addon: NativeAddon } | { reason: string } | null = null;

/**
 * The addon, or the reason it cannot be used (not built, failed to load,
 * CPU without the instructions oneDNN needs). Loads once per process.
 */
export function loadAddon(): { addon: NativeAddon } | { reason: string } {
  if (loaded !== null) return loaded;
  loaded = tryLoad();
  return loaded;
}

function tryLoad(): { addon: NativeAddon } | { reason: string } {
  if (!["x64", "arm64"].includes(process.arch)) {
    return { reason: `no oneDNN build for this CPU architecture (${process.arch})` };
  }
  if (!existsSync(ADDON_PATH)) return { reason: "not built" };
  const env = process.env;
  if (env["OMP_WAIT_POLICY"] === undefined && env["GOMP_SPINCOUNT"] === undefined) {
    env["OMP_WAIT_POLICY"] = "passive";
  }
  let addon: NativeAddon;
  try {
    const require = createRequire(import.meta.url);
    addon = require(ADDON_PATH) as NativeAddon;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { reason: `failed to load (${firstLine(msg)})` };
  }
  const isa = addon.info().isa;
  if (process.arch === "x64" && isa === "generic") {
    return { reason: "missing CPU feature: oneDNN needs SSE4.1 or later" };
  }
  return { addon };
}

function firstLine(msg: string): string {
  // Keep the loader's reason, not this machine's paths.
  return (msg.split("\n")[0] ?? "")
    .replace(/(^|[\s'"(])\/[^\s'":]+/g, "$1<path>")
    .slice(0, 160);
}
