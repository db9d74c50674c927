/**
 * The report as one HTML document. Two forms of the same content:
 * - "interactive": live plotly figures (plotly.js inlined once), the
 *   file is self-contained and works offline;
 * - "print": static SVG images instead (what the PDF is printed from; no
 *   scripts, so no "loading" boxes or half-drawn plots).
 * Math in the notebooks' Markdown is typeset as SVG (math.ts), its glyphs
 * stored once at the top of the body. Nothing in it depends on the time or
 * on randomness: the same notebooks give the same bytes.
 */
import { verdictColor } from "../claim";
import { escapeHtml, scriptJson } from "../html";
import { domId } from "../ids";
import { provenanceLine } from "../provenance";
import { VERDICTS, type ClaimRecord } from "../types";
import type { Block, ReportContent, ReportSection } from "./collect";
import { markdown } from "./markdown";
import { type MathRenderer, mathRenderer } from "./math";

export interface HtmlOptions {
  mode: "interactive" | "print";
  title: string;
  /** plotly.js source (interactive). */
  plotlyJs?: string;
  /** SVG per figure id (print). */
  svgs?: Map<string, string>;
}

const CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.55 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
h3 { font-size: 17px; margin: 24px 0 6px; }
h4, h5, h6 { font-size: 15px; margin: 18px 0 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 13px; }
pre { background: #f6f8fa; padding: 8px 10px; overflow-x: auto;
  border-radius: 4px; }
.math { font-family: "DejaVu Serif", Georgia, serif; font-style: italic;
  white-space: nowrap; }
div.math { text-align: center; margin: 8px 0; white-space: pre-wrap; }
.toc ol { padding-left: 22px; margin: 4px 0; }
figure { margin: 18px 0 22px; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.plot { width: 100%; overflow: hidden; }
figcaption { font-size: 13.5px; margin-top: 6px; }
.prov { color: var(--muted); font-size: 12px; margin-top: 4px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px;
  margin: 6px 0 0; }
.pair > div { background: #f6f8fa; border-radius: 4px; padding: 6px 9px; }
.pair b { display: block; font-size: 12px; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; margin: 12px 0; font-size: 13.5px;
  break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px;
  vertical-align: top; text-align: left; }
th { border-bottom: 2px solid var(--fg); }
caption { caption-side: bottom; text-align: left; font-size: 13px;
  padding-top: 6px; }
.claims { width: 100%; }
.verdict { font-weight: bold; white-space: nowrap; }
.banner { border-left: 4px solid #cf222e; background: #fff5f5;
  padding: 6px 10px; margin: 8px 0; font-size: 14px; }
.params { color: var(--muted); font-size: 13px; }
.claim { border-left: 4px solid; padding: 4px 0 4px 10px; margin: 14px 0;
  break-inside: avoid; page-break-inside: avoid; }
.table-wrap table { min-width: 60%; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** Figure and table numbers by id, for evidence links. */
function numbering(content: ReportContent): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of content.sections) {
    for (const b of s.blocks) {
      if (b.kind === "figure") names.set(b.record.id, `Figure ${b.number}`);
      if (b.kind === "table") names.set(b.record.id, `Table ${b.number}`);
    }
  }
  return names;
}

function evidenceLinks(c: ClaimRecord, names: Map<string, string>): string {
  return c.evidence.map((id) => {
    const label = names.get(id);
    if (label === undefined) return escapeHtml(id);
    const kind = label.startsWith("Figure") ? "figure" : "table";
    return `<a href="#${domId(kind, id)}">${escapeHtml(label)}</a>`;
  }).join(", ");
}

function claimsTable(content: ReportContent, names: Map<string, string>): string {
  if (content.claims.length === 0) {
    return "<p>No claims were recorded.</p>";
  }
  const counts = VERDICTS.map((v) => [v, content.claims.filter((c) => c.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `<span class="verdict" style="color:${verdictColor(v)}">${n} ${escapeHtml(v)}</span>`)
    .join(" · ");
  const rows = content.claims.map((c) => `<tr>` +
    `<td class="verdict" style="color:${verdictColor(c.verdict)}">${escapeHtml(c.verdict)}</td>` +
    `<td><a href="#${domId("claim", c.id)}">${escapeHtml(c.id)}</a></td>` +
    `<td>${escapeHtml(c.paper)}</td><td>${escapeHtml(c.ours)}</td>` +
    `<td>${evidenceLinks(c, names)}</td></tr>`).join("\n");
  return `<p>${counts}</p>\n<table class="claims"><thead><tr><th>Verdict</th>` +
    `<th>Claim</th><th>The paper</th><th>Our result</th><th>Evidence</th>` +
    `</tr></thead>\n<tbody>\n${rows}\n</tbody></table>`;
}

function figureBlock(
  b: Extract<Block, { kind: "figure" }>, options: HtmlOptions,
): string {
  const r = b.record;
  const id = domId("figure", r.id);
  let body: string;
  if (options.mode === "interactive") {
    body = `<div class="plot" data-figure="${id}" style="height:${r.height}px"></div>` +
      `<script type="application/json" id="${id}-data">${scriptJson(b.spec)}</script>`;
  } else {
    const svg = options.svgs?.get(r.id);
    body = svg === undefined
      ? `<p class="banner">Figure ${b.number} could not be drawn.</p>`
      : `<img alt="${escapeHtml(r.caption)}" width="${r.width}" height="${r.height}" ` +
        `src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`;
  }
  const pair = r.paper !== undefined || r.ours !== undefined
    ? `<div class="pair"><div><b>The paper</b>${escapeHtml(r.paper ?? "—")}</div>` +
      `<div><b>Our result</b>${escapeHtml(r.ours ?? "—")}</div></div>` : "";
  return `<figure id="${id}">${body}\n<figcaption><b>Figure ${b.number}.</b> ` +
    `${escapeHtml(r.caption)}${pair}<div class="prov">` +
    `${escapeHtml(provenanceLine(r.provenance))}</div></figcaption></figure>`;
}

function tableBlock(b: Extract<Block, { kind: "table" }>): string {
  // The notebook's own table HTML, renumbered.
  const html = b.html.replace(
    `<b>${escapeHtml(b.record.id)}.</b>`, `<b>Table ${b.number}.</b>`);
  return `<div class="table-wrap">${html}</div>`;
}

function claimBlock(c: ClaimRecord, names: Map<string, string>): string {
  const color = verdictColor(c.verdict);
  const evidence = c.evidence.length > 0
    ? `<div class="prov">Evidence: ${evidenceLinks(c, names)}</div>` : "";
  return `<div id="${domId("claim", c.id)}" class="claim" ` +
    `style="border-left-color:${color}"><div><b>Claim ${escapeHtml(c.id)}</b>: ` +
    `<span class="verdict" style="color:${color}">${escapeHtml(c.verdict)}</span></div>` +
    `<div class="pair"><div><b>The paper</b>${escapeHtml(c.paper)}</div>` +
    `<div><b>Our result</b>${escapeHtml(c.ours)}</div></div>${evidence}</div>`;
}

function sectionHtml(
  s: ReportSection, options: HtmlOptions, names: Map<string, string>, math: MathRenderer,
): string {
  const parts = [`<section id="sec-${escapeHtml(s.name)}">`,
    `<h2>${escapeHtml(s.title)}</h2>`];
  if (s.injected) {
    parts.push(`<p class="params">Run with ${escapeHtml(s.injected)}</p>`);
  }
  if (!s.status.complete) {
    const why = s.status.error
      ? `cell ${s.status.error.index} failed: ${s.status.error.message}`
      : `${s.status.notRun} code cells did not run`;
    parts.push(`<div class="banner">This section did not run to the end ` +
      `(${escapeHtml(why)}); what follows is what it produced.</div>`);
  }
  for (const b of s.blocks) {
    if (b.kind === "markdown") parts.push(markdown(b.text, 1, math));
    else if (b.kind === "figure") parts.push(figureBlock(b, options));
    else if (b.kind === "table") parts.push(tableBlock(b));
    else parts.push(claimBlock(b.record, names));
  }
  parts.push("</section>");
  return parts.join("\n");
}

const RENDER = `
(function () {
  var plots = document.querySelectorAll(".plot[data-figure]");
  for (var i = 0; i < plots.length; i++) {
    var d = plots[i];
    var f = JSON.parse(document.getElementById(d.getAttribute("data-figure") + "-data").textContent);
    Plotly.newPlot(d, f.data, f.layout, f.config);
  }
})();`;

/** The report's HTML. */
export function reportHtml(content: ReportContent, options: HtmlOptions): string {
  const names = numbering(content);
  const toc = [`<li><a href="#claims">Claims and verdicts</a></li>`,
    ...content.sections.map((s) =>
      `<li><a href="#sec-${escapeHtml(s.name)}">${escapeHtml(s.title)}</a></li>`)]
    .join("\n");
  const sub = [
    `Built from ${content.sections.length} notebook${content.sections.length === 1 ? "" : "s"}`,
    `profile ${content.profiles.join(", ") || "none"}`,
    `commit ${content.commits.join(", ") || "unknown"}`,
  ].join(" · ");
  const math = mathRenderer();
  const sections = content.sections.map((s) => sectionHtml(s, options, names, math)).join("\n");
  const scripts = options.mode === "interactive" && content.figures.length > 0
    ? `<script>${(options.plotlyJs ?? "").replace(/<\/script/gi, "<\\/script")}</script>\n` +
      `<script>${RENDER}</script>\n` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${CSS}${math.count() > 0 ? math.css() : ""}</style>
</head>
<body>
${math.defs()}
<main>
<header>
<h1>${escapeHtml(options.title)}</h1>
<p class="sub">${escapeHtml(sub)}</p>
</header>
<nav class="toc"><b>Contents</b><ol>
${toc}
</ol></nav>
<section id="claims">
<h2>Claims and verdicts</h2>
${claimsTable(content, names)}
</section>
${sections}
</main>
${scripts}</body>
</html>
`;
}
