/**
 * figure(): one plotly figure as one notebook output carrying
 *   application/vnd.plotly.v1+json  interactive in JupyterLab (with the
 *                                   plotly extension)
 *   text/html                       a div with the PNG, upgraded to a live
 *                                   plot where Plotly is loaded (nbconvert
 *                                   HTML, classic notebook)
 *   image/png                       static (PDF, GitHub, untrusted views)
 *   text/plain                      the caption
 * and exported to figures/<section>/<name>.svg and .png. The output's
 * metadata carries the FigureRecord the report is built from.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { display } from "./display";
import { escapeHtml, scriptJson } from "./html";
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
 */
export function plotSpec(
  traces: PlotTrace[], layout: PlotLayout, width: number, height: number,
): PlotSpec {
  const data = traces.map((t) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) {
      out[k] = ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v;
    }
    return out;
  });
  const full = merge(BASE_LAYOUT, { ...layout, width, height });
  const json = JSON.stringify({
    data, layout: full, config: { displaylogo: false, responsive: true },
  }, (_k, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? null : v);
  return JSON.parse(json) as PlotSpec;
}

/**
 * The text/html of a figure: the SVG as an image (vector, small; an
 * <img> keeps plotly's SVG ids from clashing between figures), replaced
 * by a live plot where Plotly is loaded; then the caption.
 */
export function figureHtml(
  record: FigureRecord, spec: PlotSpec, svg: string,
): string {
  const id = domId("figure", record.id);
  const img = `<img alt="${escapeHtml(record.caption)}" ` +
    `style="max-width:100%;height:auto" width="${record.width}" ` +
    `height="${record.height}" src="data:image/svg+xml;base64,` +
    `${Buffer.from(svg).toString("base64")}">`;
  const claims = [
    record.paper ? `<div><i>The paper:</i> ${escapeHtml(record.paper)}</div>` : "",
    record.ours ? `<div><i>Ours:</i> ${escapeHtml(record.ours)}</div>` : "",
  ].join("");
  return `<div id="${id}" class="sgdl-figure">${img}</div>\n` +
    `<div class="sgdl-caption" style="font-size:90%;color:#333">` +
    `<b>${escapeHtml(record.id)}.</b> ${escapeHtml(record.caption)}${claims}` +
    `<div style="color:#777">${escapeHtml(provenanceLine(record.provenance))}` +
    `</div></div>\n` +
    `<script>(function(){var P=window.Plotly,d=document.getElementById(` +
    `${scriptJson(id)});if(!P||!d)return;var f=${scriptJson(spec)};` +
    `d.innerHTML="";P.newPlot(d,f.data,f.layout,f.config);})();</script>`;
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
  const spec = plotSpec(traces, layout, width, height);
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
    "text/html": figureHtml(record, spec, svg),
    "image/png": png.toString("base64"),
    "text/plain": `[figure ${record.id}] ${record.caption}`,
  }, {
    "image/png": { width, height },
    [REPORT_KEY]: record,
  });
  return brief({ record, spec, png, svg },
    `figure ${record.id} -> ${record.files.join(", ")}`);
}
