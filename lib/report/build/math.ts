/**
 * TeX math of the notebooks' Markdown as SVG, rendered when the report is
 * built (MathJax's TeX input and SVG output under Node, no browser): the
 * report shows typeset formulas offline, in the HTML and in the PDF.
 *
 *   const math = mathRenderer();
 *   const html = markdown(text, 1, math);   // $...$ and $$...$$ as SVG
 *   const defs = math.defs();               // once per page: shared glyphs
 *
 * Glyph shapes are stored once per page (`defs()`, a hidden <svg>) and
 * referenced by every formula, so a page with hundreds of formulas stays
 * small. Output is deterministic: the same TeX gives the same bytes. An
 * undefined macro is drawn in red as its name, not an error.
 */
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages.js";
import { mathjax } from "mathjax-full/js/mathjax.js";
import { SVG } from "mathjax-full/js/output/svg.js";
import { escapeHtml } from "../html";

export interface MathRenderer {
  /** One formula as an <mjx-container> holding an SVG (inline, or a centred block). */
  render(tex: string, display: boolean): string;
  /** The glyphs the formulas so far use, as a hidden <svg>; "" before any. */
  defs(): string;
  /** CSS for the formulas (MathJax's SVG rules). */
  css(): string;
  /** How many formulas were rendered. */
  count(): number;
}

/** Every TeX package but "html" (\href, \class, \style: links and markup from TeX). */
const PACKAGES = AllPackages.filter((p) => p !== "html");

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

/** A renderer with its own glyph store: one per page. */
export function mathRenderer(): MathRenderer {
  const svg = new SVG({ fontCache: "global" });
  const doc = mathjax.document("", { InputJax: new TeX({ packages: PACKAGES }), OutputJax: svg });
  let n = 0;
  return {
    render(tex, display) {
      n++;
      const node = doc.convert(tex, { display });
      // the TeX as a tooltip and for search and copy
      adaptor.setAttribute(node, "title", tex);
      return adaptor.outerHTML(node);
    },
    defs() {
      if (n === 0) return "";
      return `<svg id="MJX-SVG-global-cache" xmlns="http://www.w3.org/2000/svg" ` +
        `style="display:none">${adaptor.outerHTML(svg.fontCache.getCache() as never)}</svg>`;
    },
    css() {
      return adaptor.textContent(svg.styleSheet(doc) as never);
    },
    count: () => n,
  };
}

/** TeX kept as text (no renderer): the fallback for places without one. */
export function texSpan(tex: string, display: boolean): string {
  return display ? `<span class="math display">${escapeHtml(tex)}</span>`
    : `<span class="math">${escapeHtml(tex)}</span>`;
}
