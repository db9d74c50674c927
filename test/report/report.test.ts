/**
 * `npm run report` at the smoke profile on a copy of the demo notebook:
 * the PDF's pages, rendered by pdftoppm, show drawn figures (pixel
 * statistics, not a look); the HTML is self-contained and draws its
 * plots offline; a rebuild from scratch gives byte-identical HTML and
 * PDF.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { launchBrowser } from "../../lib/report/render";
import { reproducibleEnv, ROOT, script, tempDir } from "./helpers";

const hasPdftoppm = spawnSync("pdftoppm", ["-v"]).error === undefined;

/** plotly's first two trace colours (no other ink in the report uses them). */
const PLOT_COLORS = [[31, 119, 180], [255, 127, 14]];

/** Per page: share of non-white pixels, and pixels in plot-line colours. */
function pageStats(png: Buffer): { ink: number; plot: number } {
  const img = PNG.sync.read(png);
  let ink = 0;
  let plot = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const r = img.data[4 * i] ?? 255;
    const g = img.data[4 * i + 1] ?? 255;
    const b = img.data[4 * i + 2] ?? 255;
    if (r < 235 || g < 235 || b < 235) ink++;
    if (PLOT_COLORS.some(([cr = 0, cg = 0, cb = 0]) =>
      Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 90)) plot++;
  }
  return { ink: ink / n, plot };
}

describe("the report", () => {
  const tmp = tempDir("report");
  const env = reproducibleEnv(tmp.dir);
  const nbs = join(tmp.dir, "notebooks");
  const build = (out: string) => script("report", ["--profile", "smoke",
    "--notebooks-dir", nbs, "--out-dir", join(tmp.dir, out)], env);
  after(() => tmp.remove());

  before(async () => {
    mkdirSync(nbs);
    copyFileSync(join(ROOT, "notebooks", "00-toolchain.ipynb"), join(nbs, "00-toolchain.ipynb"));
    const r = await build("paper");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /report: 1 sections, 2 figures, 1 claims/);
  });

  it("prints figures into the PDF: pages with drawn, coloured plots", { skip: !hasPdftoppm }, () => {
    const pages = join(tmp.dir, "pages");
    mkdirSync(pages);
    const r = spawnSync("pdftoppm", ["-r", "60", "-png", join(tmp.dir, "paper", "report.pdf"),
      join(pages, "p")]);
    assert.equal(r.status, 0, String(r.stderr));
    const stats = readdirSync(pages).sort().map((f) => pageStats(readFileSync(join(pages, f))));
    assert.ok(stats.length >= 2, `${stats.length} pages`);
    for (const s of stats) assert.ok(s.ink > 0.005, `a blank page: ${JSON.stringify(stats)}`);
    // Two figures, each with blue and orange lines: at least 100 such
    // pixels each at 60 dpi (a blank or missing figure has none).
    const plotted = stats.reduce((n, s) => n + s.plot, 0);
    assert.ok(plotted >= 200, `plot-coloured pixels: ${JSON.stringify(stats)}`);
    assert.ok(stats.filter((s) => s.plot >= 50).length >= 1);
  });

  it("writes one self-contained HTML file whose plots draw offline", async () => {
    const html = readFileSync(join(tmp.dir, "paper", "report.html"), "utf8");
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "");
    assert.doesNotMatch(markup, /<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/i);
    assert.equal((html.match(/<script>/g) ?? []).length, 2, "plotly.js once + the renderer");
    assert.match(html, /toolchain-constant-step/);
    assert.match(html, /The paper<\/b>/);
    assert.match(html, /profile smoke · tfjs [\d.]+ cpu · random finite-sum quadratic \(synthetic\) · seed 0 · commit test-commit/);
    const browser = await launchBrowser();
    try {
      const page = await browser.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.route(/^(?!file:)/, (route) => route.abort());
      await page.goto(pathToFileURL(join(tmp.dir, "paper", "report.html")).href);
      await page.waitForFunction(
        "document.querySelectorAll('.plot .main-svg').length >= 2 && " +
        "document.querySelectorAll('.plot .scatterlayer .trace').length >= 7",
        null, { timeout: 30_000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  it("rebuilds byte for byte (HTML and PDF)", async () => {
    const r = await build("again");
    assert.equal(r.code, 0, r.stderr);
    for (const f of ["report.html", "report.pdf"]) {
      const a = readFileSync(join(tmp.dir, "paper", f));
      const b = readFileSync(join(tmp.dir, "again", f));
      assert.ok(a.equals(b), `${f} differs between builds`);
    }
    assert.ok(existsSync(join(tmp.dir, "figures", "00-toolchain", "sgd-error.svg")));
  });
});
