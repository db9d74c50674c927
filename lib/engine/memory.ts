/**
 * Out-of-memory handling for the wasm backend.
 *
 * The wasm heap is capped at 4 GiB and never shrinks. When an allocation
 * fails, XNNPACK writes through a null pointer and the module throws
 * `RuntimeError: memory access out of bounds` (or aborts); after that the
 * module is unusable and every later op fails with the same cryptic error.
 * `guardMemory` turns that into one clear `EngineMemoryError` naming the
 * batch size and what to do, and keeps giving that error afterwards.
 */
import * as tf from "@tensorflow/tfjs";

/** The wasm backend cannot grow its heap past this (bytes). */
export const WASM_HEAP_CAP = 4 * 2 ** 30;

export class EngineMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineMemoryError";
  }
}

/** What the guarded work was, for the error message. */
export interface MemoryContext {
  /** Examples per step (the batch size that ran out of memory). */
  batchSize: number;
  /** Short description, e.g. "training ResNet-56". */
  what?: string;
}

let poisoned: EngineMemoryError | null = null;

/**
 * The EngineMemoryError once the wasm heap has given out, else null. The
 * module is dead then: callers that clean up (dispose models, tensors)
 * must not touch it, or its cryptic errors hide the clear one.
 */
export function engineMemoryFailure(): EngineMemoryError | null {
  return poisoned;
}

/** True for the errors a wasm module throws when its heap is exhausted. */
export function isWasmMemoryFailure(err: unknown): boolean {
  // WebAssembly.RuntimeError (no DOM/wasm typings here, so by name).
  if (err instanceof Error && err.name === "RuntimeError") return true;
  const msg = err instanceof Error ? err.message : String(err);
  return /memory access out of bounds|Aborted\(|Cannot enlarge memory|table index is out of bounds|out of memory/i.test(
    msg,
  );
}

/** Bytes of wasm heap in use by tensors, and the heap's current size. */
export function wasmHeap(): { tensorBytes: number; heapBytes: number } | null {
  if (tf.getBackend() !== "wasm") return null;
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = b.wasm?.HEAPU8?.buffer.byteLength ?? 0;
  return { tensorBytes: tf.memory().numBytes, heapBytes: heap };
}

/**
 * The message for a failed step: names the batch size, suggests a smaller
 * one and micro-batching.
 */
export function memoryMessage(ctx: MemoryContext, cause: string): string {
  const what = ctx.what ?? "running the model";
  const smaller = Math.max(1, Math.floor(ctx.batchSize / 2));
  const micro = Math.max(1, Math.floor(ctx.batchSize / 4));
  return (
    `The wasm engine ran out of memory (its heap is capped at 4 GiB) ` +
    `while ${what} with batch size ${ctx.batchSize}. ` +
    `Use a smaller batch size (e.g. ${smaller}) or micro-batching ` +
    `(e.g. microBatch: ${micro}, which accumulates gradients over ` +
    `${Math.ceil(ctx.batchSize / micro)} smaller batches and keeps the ` +
    `effective batch size), or a native engine (tfjs-node). ` +
    `The wasm module cannot recover: restart the process or kernel. ` +
    `(cause: ${cause})`
  );
}

/**
 * Runs `fn`; if the wasm heap gives out, throws an EngineMemoryError that
 * says what to do. Once that has happened, every later call throws it
 * again at once instead of failing somewhere inside the broken module.
 */
export function guardMemory<T>(ctx: MemoryContext, fn: () => T): T {
  if (poisoned !== null) throw poisoned;
  try {
    return fn();
  } catch (err) {
    throw translate(err, ctx);
  }
}

/** Async variant of `guardMemory` for work that awaits (e.g. data()). */
export async function guardMemoryAsync<T>(
  ctx: MemoryContext,
  fn: () => Promise<T>,
): Promise<T> {
  if (poisoned !== null) throw poisoned;
  try {
    return await fn();
  } catch (err) {
    throw translate(err, ctx);
  }
}

function translate(err: unknown, ctx: MemoryContext): unknown {
  if (tf.getBackend() !== "wasm" || !isWasmMemoryFailure(err)) return err;
  const cause = err instanceof Error ? err.message : String(err);
  poisoned = new EngineMemoryError(memoryMessage(ctx, cause));
  return poisoned;
}
