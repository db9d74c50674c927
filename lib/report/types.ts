/**
 * What the notebooks record for the report: figures, tables and claims
 * travel as display outputs whose metadata carries one of these records
 * under the key `sgdl` (REPORT_KEY); the report builder reads them back
 * from the executed notebooks.
 */

import type { DataOrigin } from "../data/facts";

/** Output-metadata key of a report record. */
export const REPORT_KEY = "sgdl";
/** JupyterLab's plotly renderer (plotly's own MIME type). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The paper's profiles: one code path at three sizes (MISSION.md). */
export const PROFILES = ["smoke", "cpu", "paper"] as const;
export type Profile = (typeof PROFILES)[number];

/** A claim's verdict, as the report prints it. */
export const VERDICTS = [
  "supported", "not supported", "inconclusive", "not run", "failed",
] as const;
export type Verdict = (typeof VERDICTS)[number];


/** What produced a result (STYLE.md 6, 7): printed under every figure. */
export interface Provenance {
  /** "smoke" | "cpu" | "paper" (any string is accepted and printed). */
  profile: string;
  /** The engine, e.g. "tfjs wasm, 2 threads" or "plain JS". */
  engine: string;
  /** The data set, e.g. "CIFAR-10" or "Brown corpus in PTB form". */
  dataset: string;
  /** Real data, a labelled stand-in, or synthetic. */
  data: DataOrigin;
  /** The seeds that were run (mean and spread come from several). */
  seeds: number[];
  /** git commit; filled in automatically when left out. */
  commit?: string;
  /** Anything else a reader must know (one line). */
  notes?: string;
}

/** A loose plotly trace (plotly's full types are too heavy for tslab). */
export interface PlotTrace {
  type?: string;
  name?: string;
  mode?: string;
  x?: ArrayLike<number | string | null> | Array<number | string | null>;
  y?: ArrayLike<number | null> | Array<number | null>;
  [key: string]: unknown;
}
/** A plotly layout (title, axes, legend, ...). */
export type PlotLayout = Record<string, unknown>;

/** The plotly figure as stored in the notebook (PLOTLY_MIME). */
export interface PlotSpec {
  data: PlotTrace[];
  layout: PlotLayout;
  config?: Record<string, unknown>;
}

export interface FigureRecord {
  kind: "figure";
  /** `<section>/<name>`. */
  id: string;
  section: string;
  name: string;
  caption: string;
  provenance: Provenance;
  /** What the paper says this figure should show (optional). */
  paper?: string;
  /** What ours shows (optional). */
  ours?: string;
  width: number;
  height: number;
  /** Exported files, relative to the figures folder. */
  files: string[];
}

export interface TableRecord {
  kind: "table";
  id: string;
  section: string;
  name: string;
  caption: string;
  columns: string[];
  provenance?: Provenance;
  files: string[];
}

export interface ClaimRecord {
  kind: "claim";
  /** Unique across the report, e.g. "fig3-larger-lr-helps". */
  id: string;
  section: string;
  /** The paper's claim, in a sentence. */
  paper: string;
  /** What we found, in a sentence with numbers. */
  ours: string;
  verdict: Verdict;
  /** Figure or table ids (`<section>/<name>`) that back the verdict. */
  evidence: string[];
}

export type ReportRecord = FigureRecord | TableRecord | ClaimRecord;
