/**
 * Reads executed notebooks back into the report's content: each
 * notebook's title, Markdown, and the figures, tables and claims its
 * outputs recorded (output metadata key `sgdl`), plus whether it ran to
 * the end.
 */
import { basename } from "node:path";
import {
  joinLines, readNotebook, sourceOf, tagsOf, type CodeCell, type Notebook,
  type Output,
} from "../notebook/format";
import { INJECTED_TAG, PARAMETERS_TAG } from "../notebook/params";
import {
  PLOTLY_MIME, REPORT_KEY, type ClaimRecord, type FigureRecord, type PlotSpec,
  type Provenance, type TableRecord,
} from "../types";

export type Block =
  | { kind: "markdown"; text: string }
  | { kind: "figure"; record: FigureRecord; spec: PlotSpec; number: number }
  | { kind: "table"; record: TableRecord; html: string; number: number }
  | { kind: "claim"; record: ClaimRecord };

export interface SectionStatus {
  /** Every code cell ran without error. */
  complete: boolean;
  /** The first error: cell index and message. */
  error?: { index: number; message: string };
  /** Code cells that did not run (after an error, or never). */
  notRun: number;
}

export interface ReportSection {
  /** The notebook's name, e.g. "05-igd" (also the HTML anchor). */
  name: string;
  title: string;
  blocks: Block[];
  status: SectionStatus;
  /** Parameters injected by the runner (profile, lr, ...). */
  injected: string;
}

export interface ReportContent {
  sections: ReportSection[];
  claims: ClaimRecord[];
  figures: FigureRecord[];
  /** Distinct profiles and commits of the results, sorted. */
  profiles: string[];
  commits: string[];
}

function recordOf(o: Output): unknown {
  if (o.output_type !== "display_data" && o.output_type !== "execute_result") {
    return undefined;
  }
  return o.metadata?.[REPORT_KEY];
}

function statusOf(nb: Notebook): SectionStatus {
  const status: SectionStatus = { complete: true, notRun: 0 };
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || sourceOf(cell).trim() === "") return;
    const c = cell as CodeCell;
    const err = c.outputs.find((o) => o.output_type === "error");
    if (err && err.output_type === "error" && status.error === undefined) {
      status.error = { index: i, message: `${err.ename}: ${err.evalue}` };
    }
    if (c.execution_count === null || tagsOf(c).includes("not-run")) {
      status.notRun++;
    }
  });
  status.complete = status.error === undefined && status.notRun === 0;
  return status;
}

/** One notebook as a report section (figure/table numbers from `start`). */
export function collectNotebook(
  path: string, start = { figure: 1, table: 1 },
): ReportSection {
  const nb = readNotebook(path);
  const name = basename(path, ".ipynb");
  let title = name;
  const blocks: Block[] = [];
  let injected = "";
  for (const cell of nb.cells) {
    if (cell.cell_type === "markdown") {
      let text = sourceOf(cell);
      if (title === name) {
        const m = /^\s*#\s+(.+)$/m.exec(text);
        if (m) {
          title = (m[1] ?? name).trim();
          text = text.replace(m[0], "");
        }
      }
      if (text.trim() !== "" && !tagsOf(cell).includes("no-report")) {
        blocks.push({ kind: "markdown", text });
      }
      continue;
    }
    if (cell.cell_type !== "code") continue;
    if (tagsOf(cell).includes(INJECTED_TAG)) {
      injected = sourceOf(cell).split("\n").flatMap((l) => {
        const m = /^const (\w+)(?:\s*:[^=]+)?\s*=\s*(.*?);?\s*$/.exec(l);
        return m ? [`${m[1]} = ${m[2]}`] : [];
      }).join(", ");
    }
    if (tagsOf(cell).includes(PARAMETERS_TAG)) continue;
    for (const o of (cell as CodeCell).outputs) {
      const rec = recordOf(o) as { kind?: string } | undefined;
      if (!rec || (o.output_type !== "display_data" && o.output_type !== "execute_result")) {
        continue;
      }
      if (rec.kind === "figure") {
        const spec = o.data[PLOTLY_MIME] as PlotSpec | undefined;
        if (spec) {
          blocks.push({
            kind: "figure", record: rec as FigureRecord, spec, number: start.figure++,
          });
        }
      } else if (rec.kind === "table") {
        blocks.push({
          kind: "table", record: rec as TableRecord,
          html: joinLines(o.data["text/html"] as string | string[] | undefined),
          number: start.table++,
        });
      } else if (rec.kind === "claim") {
        blocks.push({ kind: "claim", record: rec as ClaimRecord });
      }
    }
  }
  return { name, title, blocks, status: statusOf(nb), injected };
}

/** All notebooks (already in paper order) as the report's content. */
export function collect(paths: string[]): ReportContent {
  const start = { figure: 1, table: 1 };
  const sections = paths.map((p) => collectNotebook(p, start));
  const claims: ClaimRecord[] = [];
  const figures: FigureRecord[] = [];
  const provs: Provenance[] = [];
  for (const s of sections) {
    for (const b of s.blocks) {
      if (b.kind === "claim") claims.push(b.record);
      if (b.kind === "figure") {
        figures.push(b.record);
        provs.push(b.record.provenance);
      }
      if (b.kind === "table" && b.record.provenance) provs.push(b.record.provenance);
    }
  }
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return {
    sections, claims, figures,
    profiles: uniq(provs.map((p) => p.profile)),
    commits: uniq(provs.map((p) => p.commit ?? "unknown")),
  };
}
