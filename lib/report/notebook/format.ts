/**
 * Jupyter notebooks (nbformat 4.5): types, reading, and writing in the
 * same layout as Python's nbformat (keys sorted, indent 1, multi-line
 * strings split into lines, trailing newline), so that a notebook saved
 * by JupyterLab, nbconvert or `npm run notebooks` diffs cleanly. Cell ids
 * are kept; cells without one get an id derived from their position and
 * source (never random).
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output =
  | StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellMetadata {
  tags?: string[];
  [key: string]: unknown;
}
export interface CodeCell {
  cell_type: "code";
  id: string;
  metadata: CellMetadata;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell {
  cell_type: "markdown";
  id: string;
  metadata: CellMetadata;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
export interface RawCell {
  cell_type: "raw";
  id: string;
  metadata: CellMetadata;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** The project kernel, as notebooks name it (scripts/kernel.ts installs it). */
export const KERNEL_NAME = "sgdl-ts";
export const KERNELSPEC = {
  display_name: "SGDL (TypeScript)",
  language: "typescript",
  name: KERNEL_NAME,
};
/** What tslab reports in kernel_info (so both runners write the same). */
export const LANGUAGE_INFO = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
  version: "3.7.2",
};

/** A multi-line string as one string. */
export function joinLines(s: MultilineString | undefined): string {
  return Array.isArray(s) ? s.join("") : (s ?? "");
}

/** Python's str.splitlines(keepends=True). */
export function splitLines(s: string): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let start = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    out.push(s.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** A cell's source text. */
export function sourceOf(cell: Cell): string {
  return joinLines(cell.source);
}

/** A cell's tags. */
export function tagsOf(cell: Cell): string[] {
  const t = cell.metadata?.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/** Sets or clears one tag. */
export function setTag(cell: Cell, tag: string, on: boolean): void {
  const tags = tagsOf(cell).filter((t) => t !== tag);
  if (on) tags.push(tag);
  if (tags.length > 0) cell.metadata.tags = tags;
  else delete cell.metadata.tags;
}

const ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** Gives every cell a valid, unique id (existing ones are kept). */
export function ensureIds(nb: Notebook): void {
  const seen = new Set<string>();
  nb.cells.forEach((cell, i) => {
    let id = typeof cell.id === "string" && ID.test(cell.id) && !seen.has(cell.id)
      ? cell.id : "";
    if (id === "") {
      const h = createHash("sha1").update(`${i}\0${sourceOf(cell)}`)
        .digest("hex");
      id = h.slice(0, 8);
      for (let k = 8; seen.has(id); k++) id = h.slice(0, k + 1);
    }
    seen.add(id);
    cell.id = id;
  });
}

/** Parses and checks the shape of a notebook; upgrades 4.x to 4.5. */
export function parseNotebook(text: string, name = "notebook"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name}: not JSON (${(err as Error).message})`);
  }
  const nb = raw as Notebook;
  if (typeof nb !== "object" || nb === null || nb.nbformat !== 4 ||
      !Array.isArray(nb.cells)) {
    throw new Error(`${name}: not an nbformat 4 notebook`);
  }
  nb.metadata ??= {};
  for (const cell of nb.cells) {
    if (!["code", "markdown", "raw"].includes(cell.cell_type)) {
      throw new Error(`${name}: unknown cell type ${String(cell.cell_type)}`);
    }
    cell.metadata ??= {};
    cell.source = joinLines(cell.source);
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      cell.execution_count ??= null;
    }
  }
  if ((nb.nbformat_minor ?? 0) < 5) nb.nbformat_minor = 5;
  ensureIds(nb);
  return nb;
}

/** Reads a notebook file. */
export function readNotebook(path: string): Notebook {
  return parseNotebook(readFileSync(path, "utf8"), path);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function splitBundle(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [k, v] of Object.entries(data)) {
    const split = typeof v === "string" && (k.startsWith("text/") ||
      k === "application/javascript" || k === "image/svg+xml");
    out[k] = split ? splitLines(v) : v;
  }
  return out;
}

/** The notebook as nbformat writes it (byte-compatible layout). */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => {
    const c: Record<string, unknown> = { ...cell, source: splitLines(sourceOf(cell)) };
    const meta = { ...cell.metadata };
    delete meta["trusted"];
    c["metadata"] = meta;
    if (cell.cell_type === "code") {
      c["outputs"] = cell.outputs.map((o) => {
        if (o.output_type === "stream") {
          return { ...o, text: splitLines(joinLines(o.text)) };
        }
        if (o.output_type === "display_data" || o.output_type === "execute_result") {
          return { ...o, data: splitBundle(o.data) };
        }
        return o;
      });
    } else if (cell.attachments) {
      const att: Record<string, MimeBundle> = {};
      for (const [k, v] of Object.entries(cell.attachments)) att[k] = splitBundle(v);
      c["attachments"] = att;
    }
    return c;
  });
  const meta = { ...nb.metadata };
  for (const k of ["orig_nbformat", "orig_nbformat_minor", "signature"]) {
    delete meta[k];
  }
  const doc = { ...nb, metadata: meta, cells };
  return pythonJson(sortKeys(doc)) + "\n";
}

/**
 * A number as Python's json module writes the float (or int) it reads
 * from our text, so that nbformat rewrites nothing: integers as they
 * are; other numbers with the shortest round-trip digits (as JavaScript),
 * in exponent form below 1e-4 or from 1e16 with a signed two-digit
 * exponent ("9.9e-05"), plain otherwise.
 */
export function pythonNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`notebook JSON cannot hold ${x}`);
  if (Number.isInteger(x)) return String(x);
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(x);
}

/**
 * JSON laid out as `json.dumps(value, indent=1, ensure_ascii=False)`
 * (nbformat's writer; keys are already sorted), numbers as pythonNumber.
 */
export function pythonJson(value: unknown, depth = 0): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return JSON.stringify(value);
  const pad = " ".repeat(depth + 1);
  const close = " ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => pad + pythonJson(v ?? null, depth + 1)).join(",\n")}\n${close}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonJson(v, depth + 1)}`)
    .join(",\n")}\n${close}}`;
}

/** Writes a notebook file. */
export function writeNotebook(path: string, nb: Notebook): void {
  writeFileSync(path, serializeNotebook(nb));
}
