/**
 * lib/report/build: the report from executed notebooks.
 *
 *   paper/report.html  one self-contained file: live plotly figures
 *                      (plotly.js inlined once), works offline
 *   paper/report.pdf   the same content with static SVG figures, printed
 *                      by headless Chromium; dates fixed (see pdf.ts)
 * Sections follow the notebooks' numeric prefixes (the paper's order);
 * each figure has its caption, the paper's claim beside ours, and its
 * provenance; the claims table collects every claim's verdict; TeX math
 * is typeset as SVG (math.ts: mathRenderer). Rebuilding from the same notebooks gives the same bytes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderPlot, printPdf } from "../render";
import { collect, type ReportContent } from "./collect";
import { reportHtml } from "./html";
import { fixPdfDates } from "./pdf";
import { plotlyMin } from "./plotly";

export { collect, collectNotebook } from "./collect";
export type { Block, ReportContent, ReportSection, SectionStatus } from "./collect";
export { reportHtml } from "./html";
export type { HtmlOptions } from "./html";
export { inline, markdown } from "./markdown";
export { mathRenderer, texSpan } from "./math";
export type { MathRenderer } from "./math";
export { fixPdfDates, pdfDate, sourceDateEpoch } from "./pdf";
export { plotlyMin } from "./plotly";

export const REPORT_TITLE =
  "Training by Vanilla SGD with Larger Learning Rates: a reproduction";

export interface ReportOptions {
  /** Executed notebooks, in paper order. */
  notebooks: string[];
  /** Where report.html and report.pdf go. */
  outDir: string;
  title?: string;
  /** Also the PDF (default true). */
  pdf?: boolean;
}

export interface BuiltReport {
  content: ReportContent;
  html: string;
  pdf?: string;
  /** Milliseconds: collecting + HTML, static figures, PDF. */
  ms: { html: number; figures: number; pdf: number };
}

/** Builds the HTML and PDF (call closeRenderer() when done). */
export async function buildReport(options: ReportOptions): Promise<BuiltReport> {
  const title = options.title ?? REPORT_TITLE;
  const t0 = Date.now();
  const content = collect(options.notebooks);
  mkdirSync(options.outDir, { recursive: true });
  const htmlPath = join(options.outDir, "report.html");
  writeFileSync(htmlPath, reportHtml(content, {
    mode: "interactive", title, plotlyJs: await plotlyMin(),
  }));
  const built: BuiltReport = {
    content, html: htmlPath, ms: { html: Date.now() - t0, figures: 0, pdf: 0 },
  };
  if (options.pdf === false) return built;
  const t1 = Date.now();
  const svgs = new Map<string, string>();
  for (const s of content.sections) {
    for (const b of s.blocks) {
      if (b.kind !== "figure") continue;
      const { svg } = await renderPlot(b.spec, {
        width: b.record.width, height: b.record.height, scale: 1, png: false,
      });
      svgs.set(b.record.id, svg);
    }
  }
  const t2 = Date.now();
  const printHtml = reportHtml(content, { mode: "print", title, svgs });
  const pdf = fixPdfDates(await printPdf(printHtml));
  const pdfPath = join(options.outDir, "report.pdf");
  writeFileSync(pdfPath, pdf);
  built.pdf = pdfPath;
  built.ms.figures = t2 - t1;
  built.ms.pdf = Date.now() - t2;
  return built;
}
