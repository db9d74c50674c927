/**
 * TeX in the notebooks' Markdown typeset as SVG for the report: inline
 * and displayed formulas, glyphs shared through one hidden <svg> per
 * page, the same bytes every time, code spans left alone, and no throw
 * on TeX it does not know.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdown, mathRenderer } from "../../lib/report/build";

const ids = (html: string, attr: RegExp) => [...html.matchAll(attr)].map((m) => m[1]!);

describe("math", () => {
  it("renders a formula as SVG whose glyphs are all in the page's defs", () => {
    const math = mathRenderer();
    assert.equal(math.defs(), "", "no formulas, no defs");
    const html = math.render("x_{k+1} = x_k - \\frac{\\alpha}{m}\\sum_{j=1}^m \\nabla f_j(x_k)", false);
    assert.match(html, /^<mjx-container class="MathJax" jax="SVG"[^>]*><svg /);
    assert.match(html, /title="x_\{k\+1\} = /);
    const used = new Set(ids(html, /xlink:href="#([^"]+)"/g));
    assert.ok(used.size >= 8, `glyphs used: ${used.size}`);
    const defs = math.defs();
    assert.match(defs, /^<svg id="MJX-SVG-global-cache"[^>]*style="display:none">/);
    const defined = new Set(ids(defs, /<path id="([^"]+)"/g));
    for (const id of used) assert.ok(defined.has(id), `glyph ${id} defined`);
    assert.equal(math.count(), 1);
    assert.match(math.css(), /mjx-container\[jax="SVG"\]/);
  });

  it("displayed formulas are blocks; each glyph is stored once per page", () => {
    const math = mathRenderer();
    const a = math.render("x^2", true);
    math.render("x^3", false);
    assert.match(a, /display="true"/);
    const defs = math.defs();
    const all = ids(defs, /<path id="([^"]+)"/g);
    assert.equal(all.length, new Set(all).size, "no glyph twice");
  });

  it("is deterministic: the same TeX gives the same bytes in a fresh renderer", () => {
    const tex = "E\\|x_k - x^*\\|^2 \\le \\rho(\\alpha)^k \\|x_0 - x^*\\|^2";
    const one = mathRenderer();
    const two = mathRenderer();
    assert.equal(one.render(tex, false), two.render(tex, false));
    assert.equal(one.defs(), two.defs());
  });

  it("Markdown typesets $...$ and $$...$$ but leaves code spans and escaping alone", () => {
    const math = mathRenderer();
    const html = markdown("Step $t < 2N/\\rho$ and `cost $5` <b>.\n\n$$\nA^\\top A\n$$", 0, math);
    assert.equal((html.match(/<mjx-container/g) ?? []).length, 2);
    assert.match(html, /<code>cost \$5<\/code>/);
    assert.match(html, /&lt;b&gt;/);
    assert.doesNotMatch(html, /class="math/);
    assert.match(html, /display="true"/);
  });

  it("TeX cannot make links or markup (no \\href)", () => {
    const html = mathRenderer().render("\\href{javascript:alert(1)}{x}", false);
    assert.doesNotMatch(html.replace(/ title="[^"]*"/, ""), /javascript:/);
    assert.doesNotMatch(html, /<a /);
  });

  it("TeX it does not know is drawn, not thrown", () => {
    const math = mathRenderer();
    const html = math.render("\\notamacro{x} + \\frac{1}{", false);
    assert.match(html, /<svg /);
  });
});
