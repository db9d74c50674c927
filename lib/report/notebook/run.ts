/**
 * Headless notebook execution without Python: each notebook in a fresh
 * kernel process, cell by cell; the outputs are written back as nbformat
 * 4.5 with execution counts and no timing metadata. A failing cell
 * (thrown error or type error) stops its notebook: the notebook is saved
 * with the outputs so far plus the error, and the cells after it keep
 * their previous outputs but lose their execution count and get the tag
 * `not-run`. The other notebooks still run.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { pinCodeVersion } from "../../train/code";
import { PROJECT_ROOT } from "../paths";
import {
  KERNELSPEC, LANGUAGE_INFO, readNotebook, setTag, sourceOf, writeNotebook,
  type CodeCell, type ErrorOutput, type Notebook,
} from "./format";
import { Kernel } from "./kernel";
import { applyParameters, type ParamValue } from "./params";

export const NOT_RUN_TAG = "not-run";

/** Leading numbers of a notebook name: "06-1-cifar" -> [6, 1]. */
export function sectionKey(name: string): number[] {
  const m = /^(\d+(?:[-_.]\d+)*)(?=[-_.]|$)/.exec(basename(name));
  return m ? (m[1] ?? "").split(/[-_.]/).map(Number) : [];
}

/** Paper order: by leading numbers, then by name. */
export function sortNotebooks(paths: string[]): string[] {
  return [...paths].sort((a, b) => {
    const ka = sectionKey(a);
    const kb = sectionKey(b);
    if (ka.length === 0 !== (kb.length === 0)) return ka.length === 0 ? 1 : -1;
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    if (ka.length !== kb.length) return ka.length - kb.length;
    return basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0;
  });
}

/** The notebooks of a folder in paper order (.ipynb_checkpoints skipped). */
export function listNotebooks(dir = join(PROJECT_ROOT, "notebooks")): string[] {
  if (!existsSync(dir)) return [];
  return sortNotebooks(readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .map((f) => join(dir, f)));
}

/**
 * Notebook paths from names: a path, a file in `dir` ("05-igd" or
 * "05-igd.ipynb"), or a unique prefix ("05"). No names: all of `dir`.
 */
export function findNotebooks(
  names: string[], dir = join(PROJECT_ROOT, "notebooks"),
): string[] {
  if (names.length === 0) return listNotebooks(dir);
  const all = listNotebooks(dir);
  return names.map((name) => {
    for (const p of [resolve(name), resolve(name + ".ipynb")]) {
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
    const exact = all.find((p) =>
      basename(p) === name || basename(p) === `${name}.ipynb`);
    if (exact) return exact;
    const prefixed = all.filter((p) => basename(p).startsWith(name));
    if (prefixed.length === 1) return prefixed[0] as string;
    const known = all.map((p) => basename(p, ".ipynb")).join(", ");
    throw new Error(prefixed.length > 1
      ? `notebook "${name}" is ambiguous: ${prefixed.map((p) => basename(p)).join(", ")}`
      : `no notebook "${name}" (have: ${known || "none"})`);
  });
}

export interface RunOptions {
  /** Parameter overrides (injected after the `parameters` cell). */
  params?: Record<string, ParamValue>;
  /** Extra environment for the kernels. */
  env?: Record<string, string>;
  /** Per-cell limit in seconds (0: none). */
  cellTimeout?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Redraw one line with \r (default: stderr is a terminal). */
  live?: boolean;
  /** Write the executed notebook here instead of over the source. */
  outPath?: string;
}

export interface FailedCell {
  /** Index among all cells (0-based, as nbformat tools count). */
  index: number;
  /** 1-based among code cells. */
  codeCell: number;
  id: string;
  source: string;
  error: ErrorOutput;
}

export interface NotebookRun {
  path: string;
  ok: boolean;
  /** Code cells run / in the notebook. */
  ran: number;
  codeCells: number;
  failed?: FailedCell;
  /** Whole notebook, and the kernel's start, in ms. */
  ms: number;
  startupMs: number;
  injected: Record<string, ParamValue>;
}

/** A path as printed: relative to the project when inside it. */
export function shown(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel.startsWith("..") ? path : rel;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs one notebook in a fresh kernel and writes it back. */
export async function runNotebook(
  path: string, options: RunOptions = {},
): Promise<NotebookRun> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const live = options.live ?? (options.log === undefined && process.stderr.isTTY === true);
  const name = basename(path, ".ipynb");
  // the code version, read before this run writes any notebook (kernels inherit it)
  pinCodeVersion();
  const nb: Notebook = readNotebook(path);
  const { values } = applyParameters(nb, options.params ?? {}, shown(path));
  nb.metadata["kernelspec"] = { ...KERNELSPEC };
  nb.metadata["language_info"] = { ...LANGUAGE_INFO };
  const codeIdx = nb.cells.flatMap((c, i) => (c.cell_type === "code" ? [i] : []));
  const t0 = Date.now();
  let status = "";
  const line = (text: string, final = false) => {
    if (live) process.stderr.write(`\r${text}\u001b[K${final ? "\n" : ""}`);
    else if (final) log(text);
  };
  const kernel = await Kernel.start({
    ...(options.env ? { env: options.env } : {}),
    cellTimeoutMs: (options.cellTimeout ?? 0) * 1000,
    onProgress: (text) => {
      line(`${status} · ${text.split("\n")[0]}`);
    },
  });
  const run: NotebookRun = {
    path, ok: true, ran: 0, codeCells: codeIdx.length, ms: 0,
    startupMs: kernel.startupMs, injected: values,
  };
  let stopAt = -1;
  try {
    for (const [k, i] of codeIdx.entries()) {
      const cell = nb.cells[i] as CodeCell;
      const src = sourceOf(cell);
      status = `[${name}] cell ${k + 1}/${codeIdx.length} · ` +
        seconds(Date.now() - t0);
      line(status);
      if (src.trim() === "") {
        cell.outputs = [];
        cell.execution_count = null;
        setTag(cell, NOT_RUN_TAG, false);
        continue;
      }
      const count = kernel.nextCount();
      const res = await kernel.execute(i, src);
      for (const o of res.outputs) {
        if (o.output_type === "execute_result") o.execution_count = count;
      }
      cell.outputs = res.outputs;
      cell.execution_count = count;
      setTag(cell, NOT_RUN_TAG, false);
      run.ran++;
      if (!live) {
        log(`[${name}] cell ${k + 1}/${codeIdx.length} ` +
          `${res.ok ? "ok" : "FAILED"} ${seconds(res.ms)}`);
      }
      if (!res.ok) {
        run.ok = false;
        run.failed = {
          index: i, codeCell: k + 1, id: cell.id, source: src,
          error: res.error ?? {
            output_type: "error", ename: "Error", evalue: "failed", traceback: [],
          },
        };
        stopAt = k;
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  if (stopAt >= 0) {
    for (const i of codeIdx.slice(stopAt + 1)) {
      const cell = nb.cells[i] as CodeCell;
      cell.execution_count = null;
      for (const o of cell.outputs) {
        if (o.output_type === "execute_result") o.execution_count = null;
      }
      setTag(cell, NOT_RUN_TAG, true);
    }
  }
  writeNotebook(options.outPath ?? path, nb);
  run.ms = Date.now() - t0;
  line(run.ok
    ? `ok   ${name}: ${run.ran} cells in ${seconds(run.ms)} ` +
      `(kernel start ${seconds(run.startupMs)})`
    : `FAIL ${name}: cell ${run.failed?.codeCell}/${run.codeCells} failed ` +
      `after ${seconds(run.ms)}`, true);
  return run;
}

/** How a failed cell is reported: notebook, cell, source and error. */
export function failureMessage(run: NotebookRun): string {
  const f = run.failed;
  if (!f) return "";
  const src = f.source.split("\n").map((l) => `    ${l}`).join("\n");
  const err = [`${f.error.ename}: ${f.error.evalue}`,
    ...f.error.traceback.filter((l) => l !== `${f.error.ename}: ${f.error.evalue}`)]
    .slice(0, 20).map((l) => `    ${l}`).join("\n");
  return `${shown(run.path)}: code cell ${f.codeCell} of ${run.codeCells} ` +
    `failed (cells[${f.index}], id "${f.id}")\n` +
    `  source:\n${src}\n  error:\n${err}\n` +
    `  The notebook was saved with the outputs so far; the ` +
    `${run.codeCells - f.codeCell} cells after it kept their old outputs ` +
    `and are tagged "${NOT_RUN_TAG}".`;
}

/** Runs notebooks one after another (each in its own kernel). */
export async function runNotebooks(
  paths: string[], options: RunOptions = {},
): Promise<NotebookRun[]> {
  const runs: NotebookRun[] = [];
  for (const path of paths) runs.push(await runNotebook(path, options));
  return runs;
}
