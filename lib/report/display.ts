/**
 * Rich output from a notebook cell. The project kernel
 * (scripts/kernel-launch.cjs, both under Jupyter and under
 * `npm run notebooks`) puts a function at
 * globalThis[Symbol.for("sgdl.display")] that sends one Jupyter
 * display_data (or update_display_data) message with a whole MIME bundle;
 * tslab's own `display` helpers can only send one MIME type per output.
 * Outside a kernel (scripts, tests) nothing is displayed.
 */

/** The content of a display_data message. */
export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

type Writer = (content: DisplayContent, update: boolean) => void;

const DISPLAY = Symbol.for("sgdl.display");
const CLEANUP = Symbol.for("sgdl.cleanup");

function writer(): Writer | null {
  const w = (globalThis as Record<symbol, unknown>)[DISPLAY];
  return typeof w === "function" ? (w as Writer) : null;
}

/** True inside the project kernel (Jupyter or the headless runner). */
export function inKernel(): boolean {
  return writer() !== null;
}

export interface DisplayOptions {
  /** A fixed display id: later calls with `update` replace the output. */
  displayId?: string;
  /** Replace the output shown earlier with the same displayId. */
  update?: boolean;
}

/**
 * Shows one output carrying every MIME type in `data` (the frontend
 * picks the richest it can render). Returns false outside a kernel.
 */
export function display(
  data: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
  options: DisplayOptions = {},
): boolean {
  const w = writer();
  if (w === null) return false;
  const content: DisplayContent = { data, metadata };
  if (options.displayId !== undefined) {
    content.transient = { display_id: options.displayId };
  }
  w(content, options.update === true);
  return true;
}

/**
 * Runs `fn` when the kernel shuts down (the project kernel calls every
 * registered function; scripts call `runCleanup`). Returns an
 * unregister function.
 */
export function atShutdown(fn: () => unknown): () => void {
  const g = globalThis as Record<symbol, unknown>;
  let set = g[CLEANUP];
  if (!(set instanceof Set)) {
    set = new Set<() => unknown>();
    g[CLEANUP] = set;
  }
  const s = set as Set<() => unknown>;
  s.add(fn);
  return () => s.delete(fn);
}

/** Runs and clears the shutdown functions (for scripts and tests). */
export async function runCleanup(): Promise<void> {
  const set = (globalThis as Record<symbol, unknown>)[CLEANUP];
  if (!(set instanceof Set)) return;
  const fns = [...(set as Set<() => unknown>)];
  set.clear();
  for (const fn of fns) await fn();
}
