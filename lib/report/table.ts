/**
 * table(): a table through danfojs, shown as one output (text/html +
 * text/plain) and exported as figures/<section>/<name>.csv (RFC 4180
 * quoting, see ./csv). Give it rows (objects with the same keys) or a
 * danfojs DataFrame.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv } from "./csv";
import { display } from "./display";
import { cellText, escapeHtml } from "./html";
import { brief, checkName, domId, recordId } from "./ids";
import { figuresDir } from "./paths";
import { provenanceLine, withCommit } from "./provenance";
import { REPORT_KEY, type Provenance, type TableRecord } from "./types";

/** A table row: column name -> value. */
export type Row = Record<string, string | number | boolean | null>;

/** What we use of a danfojs DataFrame. */
export interface DataFrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
}

interface Danfo {
  DataFrame: new (rows: Row[]) => DataFrameLike;
}

let danfo: Promise<Danfo> | null = null;

/** danfojs, loaded on first use (~0.8 s: it brings TensorFlow.js). */
export function loadDanfo(): Promise<Danfo> {
  // A variable specifier keeps tslab's TypeScript (node10 resolution,
  // which cannot see danfojs' "exports" types) from resolving it.
  const spec = "danfojs";
  danfo ??= import(spec) as Promise<Danfo>;
  return danfo;
}

export interface TableOptions {
  caption: string;
  provenance?: Provenance;
  /** Significant digits of numbers in the HTML and text (default 4). */
  digits?: number;
}

export interface Table {
  record: TableRecord;
  columns: string[];
  rows: unknown[][];
  csv: string;
}

function isFrame(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && !Array.isArray(x) &&
    Array.isArray((x as DataFrameLike).columns) &&
    Array.isArray((x as DataFrameLike).values);
}

/** The table as HTML (caption, header, right-aligned numbers). */
export function tableHtml(
  record: TableRecord, rows: unknown[][], digits = 4,
): string {
  const head = record.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => "<tr>" + r.map((v) => {
    const align = typeof v === "number" ? " style=\"text-align:right\"" : "";
    return `<td${align}>${escapeHtml(cellText(v, digits))}</td>`;
  }).join("") + "</tr>").join("\n");
  const prov = record.provenance
    ? `<br><span style="color:#777">` +
      `${escapeHtml(provenanceLine(record.provenance))}</span>` : "";
  return `<table id="${domId("table", record.id)}" class="sgdl-table">\n` +
    `<caption style="caption-side:bottom;text-align:left;font-size:90%">` +
    `<b>${escapeHtml(record.id)}.</b> ${escapeHtml(record.caption)}${prov}` +
    `</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n` +
    `</tbody>\n</table>`;
}

/** The table as aligned plain text. */
export function tableText(
  columns: string[], rows: unknown[][], digits = 4,
): string {
  const cells = [columns, ...rows.map((r) => r.map((v) => cellText(v, digits)))];
  const widths = columns.map((_, j) =>
    Math.max(...cells.map((r) => String(r[j] ?? "").length)));
  const line = (r: unknown[]) => r.map((v, j) => {
    const s = String(v ?? "");
    const w = widths[j] ?? 0;
    return typeof rows[0]?.[j] === "number" ? s.padStart(w) : s.padEnd(w);
  }).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(columns), rule, ...cells.slice(1).map(line)].join("\n");
}

/** Shows a table and writes figures/<section>/<name>.csv. */
export async function table(
  section: string, name: string, data: Row[] | DataFrameLike,
  options: TableOptions,
): Promise<Table> {
  checkName("table", "section", section);
  checkName("table", "name", name);
  if (typeof options?.caption !== "string" || options.caption === "") {
    throw new TypeError("table: options.caption is required");
  }
  const dfd = await loadDanfo();
  let df: DataFrameLike;
  if (isFrame(data)) {
    df = data;
  } else if (Array.isArray(data) && data.length > 0) {
    df = new dfd.DataFrame(data);
  } else {
    throw new TypeError("table: give rows (a non-empty array of objects) " +
      "or a danfojs DataFrame");
  }
  const columns = [...df.columns];
  const rows = (df.values as unknown[]).map((r) =>
    Array.isArray(r) ? [...r] : [r]);
  // Not danfojs' toCSV: it quotes nothing (a comma in a caption-like
  // cell split the field).
  const csv = toCsv(columns, rows);
  const dir = join(figuresDir(), section);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.csv`), csv);
  const record: TableRecord = {
    kind: "table",
    id: recordId(section, name),
    section, name,
    caption: options.caption,
    columns,
    files: [`${section}/${name}.csv`],
  };
  if (options.provenance !== undefined) {
    record.provenance = withCommit("table", options.provenance);
  }
  const digits = options.digits ?? 4;
  display({
    "text/html": tableHtml(record, rows, digits),
    "text/plain": tableText(columns, rows, digits),
  }, { [REPORT_KEY]: record });
  return brief({ record, columns, rows, csv },
    `table ${record.id} (${rows.length} rows) -> ${record.files.join(", ")}`);
}
