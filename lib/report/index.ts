/**
 * lib/report: what a notebook cell calls to put results in the report.
 *
 * - figure(section, name, traces, layout, {caption, provenance, paper?,
 *   ours?}): one output with plotly JSON + HTML + PNG; exported to
 *   figures/<section>/<name>.svg and .png.
 * - table(section, name, rows | DataFrame, {caption}): HTML + text
 *   output through danfojs; exported as figures/<section>/<name>.csv.
 * - claim({id, section, paper, ours, verdict, evidence}): a verdict for
 *   the report's claims table.
 * - progress(label, total): one live-updating line for a long cell.
 * - numbers: every number format of the report (formatNumber, fmtLr,
 *   pct, points, sig).
 * - section(id, provenance): the three above with the section and
 *   provenance filled in.
 * - closeRenderer(): closes the headless browser (the kernel does it at
 *   shutdown; scripts call it).
 * Headless runner, report builder: lib/report/notebook, lib/report/build
 * (not imported here, so the kernel stays light).
 */
import { claim, type ClaimInput } from "./claim";
import { figure, type Figure, type FigureOptions } from "./figure";
import { table, type DataFrameLike, type Row, type Table, type TableOptions } from "./table";
import type { ClaimRecord, PlotLayout, PlotTrace, Provenance } from "./types";

export { claim, claimHtml, verdictColor } from "./claim";
export type { ClaimInput } from "./claim";
export { BASE_LAYOUT, figure, figureCaption, figureHtml, plotSpec } from "./figure";
export type { Figure, FigureOptions } from "./figure";
export { loadDanfo, table, tableHtml, tableText } from "./table";
export type { DataFrameLike, Row, Table, TableOptions } from "./table";
export { progress, progressText } from "./progress";
export type { Progress, ProgressOptions } from "./progress";
export { atShutdown, display, inKernel, runCleanup } from "./display";
export { closeRenderer, findChromium, launchBrowser, renderPlot } from "./render";
export type { LaunchedBrowser } from "./render";
export { gitCommit, provenanceLine } from "./provenance";
export { fmtLr, formatNumber, pct, points, sig } from "./numbers";
export { figuresDir, PROJECT_ROOT } from "./paths";
export * from "./types";

/** figure/table/claim with a section id and provenance filled in. */
export interface Section {
  id: string;
  provenance: Provenance;
  figure(
    name: string, traces: PlotTrace[], layout: PlotLayout,
    options: Omit<FigureOptions, "provenance"> & { provenance?: Provenance },
  ): Promise<Figure>;
  table(
    name: string, data: Row[] | DataFrameLike,
    options: Omit<TableOptions, "provenance"> & { provenance?: Provenance },
  ): Promise<Table>;
  claim(input: Omit<ClaimInput, "section">): ClaimRecord;
}

/** One notebook's section: `const s = section("05-igd", provenance)`. */
export function section(id: string, provenance: Provenance): Section {
  return {
    id,
    provenance,
    figure: (name, traces, layout, options) =>
      figure(id, name, traces, layout, { ...options, provenance: options.provenance ?? provenance }),
    table: (name, data, options) =>
      table(id, name, data, { ...options, provenance: options.provenance ?? provenance }),
    claim: (input) => claim({ ...input, section: id }),
  };
}
