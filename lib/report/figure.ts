/**
 * figure(): one plotly figure as two notebook outputs,
 *   1. the figure:
 *      application/vnd.plotly.v1+json  live in JupyterLab at once (the
 *                                      plotly extension shows a bundle's
 *                                      PNG instead until hovered, so the
 *                                      bundle has none), as wide as the
 *                                      notebook
 *      text/html                       the PNG, upgraded to a live plot
 *                                      where Plotly is loaded (nbconvert
 *                                      HTML, GitHub, classic notebook)
 *      text/plain                      "[figure id]"
 *   2. the caption: text/markdown (caption, the paper's sentence, ours,
 *      provenance), so it sits under the figure in Lab and nbconvert alike;
 * and exported to figures/<section>/<name>.svg and .png. The first
 * output's metadata carries the FigureRecord the report is built from.
 * JupyterLab's plotly renderer writes a snapshot PNG into the figure's
 * bundle once drawn; the save hook of `npm run lab`
 * (scripts/jupyter/sgdl_jupyter.py) drops it again, so viewing a notebook
 * does not change it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { display } from "./display";
import { escapeHtml, escapeMarkdown, scriptJson } from "./html";
import { brief, checkName, domId, recordId } from "./ids";
import { figuresDir } from "./paths";
import { provenanceLine, withCommit } from "./provenance";
import { renderPlot } from "./render";
import {
  PLOTLY_MIME, REPORT_KEY, type FigureRecord, type PlotLayout, type PlotSpec,
  type PlotTrace, type Provenance,
} from "./types";

export interface FigureOptions {
  /** What the figure shows, in a sentence or two (the report prints it). */
  caption: string;
  /** What produced it (profile, engine, data set, seeds). */
  provenance: Provenance;
  /** The paper's claim this figure tests (printed beside `ours`). */
  paper?: string;
  /** Our result, in a sentence with numbers. */
  ours?: string;
  /** CSS pixels (default 720 x 400). */
  width?: number;
  height?: number;
  /** PNG pixels per CSS pixel (default 1.5). */
  scale?: number;
}

export interface Figure {
  record: FigureRecord;
  spec: PlotSpec;
  png: Buffer;
  svg: string;
}

/** House style, under whatever the figure's own layout says. */
export const BASE_LAYOUT: PlotLayout = {
  font: { family: "DejaVu Sans, Arial, sans-serif", size: 12 },
  margin: { l: 64, r: 24, t: 40, b: 52 },
  paper_bgcolor: "white",
  plot_bgcolor: "white",
  xaxis: { showline: true, gridcolor: "#e5e5e5", zeroline: false },
  yaxis: { showline: true, gridcolor: "#e5e5e5", zeroline: false },
  legend: { orientation: "h", y: -0.18 },
};

function merge(base: PlotLayout, over: PlotLayout): PlotLayout {
  const out: PlotLayout = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown): x is PlotLayout =>
      typeof x === "object" && x !== null && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? merge(b, v) : v;
  }
  return out;
}

/**
 * The figure as plain JSON: typed arrays become arrays, NaN and
 * Infinity (a diverged run) become null, which plotly draws as a gap.
 * The layout has the height but no width: a live plot fills its
 * container (a notebook's width); static renderings pass the width.
 */
export function plotSpec(
  traces: PlotTrace[], layout: PlotLayout, height: number,
): PlotSpec {
  const data = traces.map((t) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) {
      out[k] = ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v;
    }
    return out;
  });
  const { width: _ignored, ...own } = layout;
  const full = merge(BASE_LAYOUT, { ...own, height, autosize: true });
  const json = JSON.stringify({
    data, layout: full, config: { displaylogo: false, responsive: true },
  }, (_k, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? null : v);
  return JSON.parse(json) as PlotSpec;
}

/**
 * The text/html of a figure: the PNG at the figure's width (shrunk to
 * fit narrower pages), replaced by a live plot where Plotly is loaded.
 */
export function figureHtml(record: FigureRecord, spec: PlotSpec, png: Buffer): string {
  const id = domId("figure", record.id);
  const img = `<img alt="${escapeHtml(record.caption)}" ` +
    `style="max-width:100%;height:auto" width="${record.width}" ` +
    `height="${record.height}" src="data:image/png;base64,${png.toString("base64")}">`;
  return `<div id="${id}" class="sgdl-figure">${img}</div>\n` +
    `<script>(function(){var P=window.Plotly,d=document.getElementById(` +
    `${scriptJson(id)});if(!P||!d)return;var f=${scriptJson(spec)};` +
    `d.innerHTML="";P.newPlot(d,f.data,f.layout,f.config);})();</script>`;
}

/**
 * The caption under a figure, as Markdown: "**id.** caption", then the
 * paper's sentence and ours where given, then the provenance line.
 */
export function figureCaption(record: FigureRecord): string {
  const lines = [`**${escapeMarkdown(record.id)}.** ${escapeMarkdown(record.caption)}`];
  if (record.paper) lines.push(`*The paper:* ${escapeMarkdown(record.paper)}`);
  if (record.ours) lines.push(`*Ours:* ${escapeMarkdown(record.ours)}`);
  lines.push(`<small>${escapeHtml(provenanceLine(record.provenance))}</small>`);
  return lines.join("\n\n");
}

/**
 * Draws, exports and shows a figure. `section` is the notebook's section
 * id (e.g. "05-igd"), `name` the figure's name within it.
 */
export async function figure(
  section: string, name: string, traces: PlotTrace[], layout: PlotLayout,
  options: FigureOptions,
): Promise<Figure> {
  checkName("figure", "section", section);
  checkName("figure", "name", name);
  if (!Array.isArray(traces)) {
    throw new TypeError("figure: traces must be an array of plotly traces");
  }
  if (typeof options?.caption !== "string" || options.caption === "") {
    throw new TypeError("figure: options.caption is required");
  }
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const scale = options.scale ?? 1.5;
  const provenance = withCommit("figure", options.provenance);
  const spec = plotSpec(traces, layout, height);
  const { png, svg } = await renderPlot(spec, { width, height, scale });
  const dir = join(figuresDir(), section);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.png`), png);
  writeFileSync(join(dir, `${name}.svg`), svg);
  const record: FigureRecord = {
    kind: "figure",
    id: recordId(section, name),
    section, name,
    caption: options.caption,
    provenance,
    width, height,
    files: [`${section}/${name}.svg`, `${section}/${name}.png`],
  };
  if (options.paper !== undefined) record.paper = options.paper;
  if (options.ours !== undefined) record.ours = options.ours;
  display({
    [PLOTLY_MIME]: spec,
    "text/html": figureHtml(record, spec, png),
    "text/plain": `[figure ${record.id}]`,
  }, { [REPORT_KEY]: record });
  display({
    "text/markdown": figureCaption(record),
    "text/plain": `${record.id}. ${record.caption}`,
  });
  return brief({ record, spec, png, svg },
    `figure ${record.id} -> ${record.files.join(", ")}`);
}
