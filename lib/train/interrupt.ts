/**
 * The running notebook cell's AbortSignal. The project's kernel
 * (scripts/kernel-launch.cjs) gives every cell one and aborts it on
 * Kernel > Interrupt (SIGINT), so `train()` and `runPlan()` stop a run at
 * its next step, leave it resumable and free its lock, instead of
 * training on in the background. Undefined outside the kernel.
 */
export function cellSignal(): AbortSignal | undefined {
  const s = (globalThis as Record<symbol, unknown>)[Symbol.for("sgdl.interrupt")];
  return s instanceof AbortSignal ? s : undefined;
}
