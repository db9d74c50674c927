/**
 * The TensorFlow.js backends this project can run on, fastest first, and how
 * to load each one. Loading a backend only makes it available; `initEngine`
 * (engine.ts) decides which one to use.
 */
import * as tf from "@tensorflow/tfjs";
import { BUILD_HINT } from "./native/addon";

/**
 * Our names for the engines, in order of preference. "native" is the
 * wasm backend with this project's oneDNN kernels over its own
 * (lib/engine/native); the others are TensorFlow.js backends.
 */
export const BACKENDS = ["node-gpu", "node", "native", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendSpec {
  /** The npm package that provides it (null: part of @tensorflow/tfjs). */
  pkg: string | null;
  /** The name the backend registers under in tf.engine(). */
  tfName: string;
  /** One line for users: what it is. */
  about: string;
  /** How to get it when it is missing. */
  install: string;
}

export const BACKEND_SPECS: Record<BackendName, BackendSpec> = {
  "node-gpu": {
    pkg: "@tensorflow/tfjs-node-gpu",
    tfName: "tensorflow",
    about: "libtensorflow with CUDA",
    install:
      "npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs CUDA 11.2 " +
      "and cuDNN 8.1, and network access to download libtensorflow)",
  },
  node: {
    pkg: "@tensorflow/tfjs-node",
    tfName: "tensorflow",
    about: "native libtensorflow on the CPU",
    install:
      "npm install @tensorflow/tfjs-node@4.22.0 (its install script " +
      "downloads libtensorflow, so it needs network access)",
  },
  native: {
    pkg: "@tensorflow/tfjs-backend-wasm",
    tfName: "wasm",
    about: "oneDNN kernels over WebAssembly",
    install: BUILD_HINT,
  },
  wasm: {
    pkg: "@tensorflow/tfjs-backend-wasm",
    tfName: "wasm",
    about: "WebAssembly (XNNPACK, SIMD)",
    install: "npm install @tensorflow/tfjs-backend-wasm@4.22.0",
  },
  cpu: {
    pkg: null,
    tfName: "cpu",
    about: "pure JavaScript (slow; reference)",
    install: "npm install @tensorflow/tfjs@4.22.0",
  },
};

export function isBackendName(s: string): s is BackendName {
  return (BACKENDS as readonly string[]).includes(s);
}

/**
 * Imports the package behind `name` so that its backend registers itself.
 * Throws with the loader's own message when the package or its native
 * library is missing. Returns the package's version where known.
 */
export async function loadBackend(name: BackendName): Promise<string> {
  const spec = BACKEND_SPECS[name];
  if (spec.pkg === null) return tf.version.tfjs;
  const mod = (await import(spec.pkg)) as Record<string, unknown>;
  const version = readVersion(mod, spec.pkg);
  if (spec.tfName !== "wasm" && tf.findBackend(spec.tfName) === null) {
    // The package loaded but registered nothing: treat as unavailable.
    throw new Error(`${spec.pkg} loaded but registered no backend`);
  }
  return version;
}

function readVersion(mod: Record<string, unknown>, pkg: string): string {
  const v = mod["version"] ?? mod["version_wasm"];
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object") {
    // tfjs-node exports {version: {"tfjs-node": "4.22.0", ...}}.
    const rec = v as Record<string, unknown>;
    const own = rec[pkg.replace("@tensorflow/", "")];
    if (typeof own === "string") return own;
  }
  return "unknown";
}

/**
 * First line of an error message, without the long stack and without
 * this machine's paths (it goes into run records that travel).
 */
export function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.split("\n")[0] ?? "";
  return line
    .replace(/ imported from \S+/g, "")
    .replace(/(^|[\s'"(])(file:\/\/)?\/[^\s'"]+/g, "$1<path>")
    .slice(0, 200);
}
