/**
 * Static figures and PDF through headless Chromium (playwright-core
 * drives the system's chromium; nothing is downloaded). One browser per
 * process, started on first use (about 3 s with plotly loaded), closed at
 * kernel shutdown or by `closeRenderer()`. Each figure then takes
 * 60-250 ms for PNG and SVG.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { atShutdown } from "./display";
import { PROJECT_ROOT } from "./paths";
import type { PlotSpec } from "./types";

/** Flags for a quiet, offline, reproducible headless Chromium. */
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu",
  "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic",
  "--font-render-hinting=none",
];

const CANDIDATES = [
  "/usr/bin/chromium", "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** The browser: $SGDL_CHROMIUM, $CHROMIUM_PATH, or a usual location. */
export function findChromium(): string {
  for (const env of ["SGDL_CHROMIUM", "CHROMIUM_PATH"]) {
    const p = process.env[env];
    if (p) {
      if (!existsSync(p)) throw new Error(`${env}=${p}: no such file`);
      return p;
    }
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error("no Chromium found for figures and PDF: install it " +
      "(Debian: apt-get install chromium) or set SGDL_CHROMIUM to its path");
  }
  return found;
}

/** The plotly.js bundle the figures and the report use. */
export function plotlyPath(): string {
  const req = createRequire(join(PROJECT_ROOT, "package.json"));
  return req.resolve("plotly.js-dist");
}

interface Session {
  browser: Browser;
  close: () => Promise<void>;
  plotPage: Page | null;
}

let session: Promise<Session> | null = null;

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and removes its private folder. */
  close(): Promise<void>;
}

/**
 * A headless Chromium with the project's flags and a private folder for
 * its config, cache and temp files (XDG_CONFIG_HOME, XDG_CACHE_HOME,
 * TMPDIR), so that nothing lands in $HOME. playwright gives it a fresh
 * --user-data-dir.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "sgdl-chromium-"));
  try {
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: CHROMIUM_FLAGS,
      headless: true,
      // The kernel decides: SIGINT is Jupyter's "interrupt" (must not close
      // the browser, let alone exit), SIGTERM/SIGHUP run our cleanup.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(dir, "config"),
        XDG_CACHE_HOME: join(dir, "cache"),
        TMPDIR: dir,
      },
    });
    return {
      browser,
      close: async () => {
        try {
          await browser.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function start(): Promise<Session> {
  const launched = await launchBrowser();
  return { browser: launched.browser, close: launched.close, plotPage: null };
}

function getSession(): Promise<Session> {
  if (session === null) {
    session = start();
    atShutdown(closeRenderer);
  }
  return session;
}

/** Closes the browser (a later figure starts a new one). */
export async function closeRenderer(): Promise<void> {
  const s = session;
  session = null;
  if (s === null) return;
  let open: Session;
  try {
    open = await s;
  } catch {
    return; // a browser that failed to start has nothing to close
  }
  await open.close();
}

async function plotPage(): Promise<Page> {
  const s = await getSession();
  if (s.plotPage === null || s.plotPage.isClosed()) {
    const page = await s.browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: plotlyPath() });
    await page.addScriptTag({ content: RENDER_JS });
    s.plotPage = page;
  }
  return s.plotPage;
}

/**
 * In the page: PNG and SVG data URLs of a figure. plotly's internal ids
 * come from Math.random, reseeded before each image so that the same
 * figure always gives the same bytes.
 */
const RENDER_JS = `
window.__sgdlRender = async function (a) {
  function seed() {
    var s = 0x2545f491;
    Math.random = function () {
      s = (s + 0x6d2b79f5) | 0;
      var t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  var fig = { data: a.spec.data, layout: a.spec.layout, config: a.spec.config };
  seed();
  var png = a.png ? await Plotly.toImage(fig,
    { format: "png", width: a.w, height: a.h, scale: a.scale }) : ",";
  seed();
  var svg = await Plotly.toImage(fig, { format: "svg", width: a.w, height: a.h });
  return { png: png, svg: svg };
};`;

export interface RenderOptions {
  width: number;
  height: number;
  /** PNG pixels per CSS pixel (2: sharp in print). */
  scale: number;
  /** Also the PNG (default true; the report's print form needs SVG only). */
  png?: boolean;
}

export interface RenderedPlot {
  png: Buffer;
  svg: string;
}

/** PNG and SVG of a plotly figure (the same bytes for the same figure). */
export async function renderPlot(
  spec: PlotSpec, options: RenderOptions,
): Promise<RenderedPlot> {
  const page = await plotPage();
  const args = {
    spec, w: options.width, h: options.height, scale: options.scale,
    png: options.png ?? true,
  };
  // A string, not a function: tsx/esbuild would add helpers (__name) to a
  // function's source that do not exist in the page.
  const out = await page.evaluate(
    `window.__sgdlRender(${JSON.stringify(args)})`,
  ) as { png: string; svg: string };
  const png = Buffer.from(out.png.slice(out.png.indexOf(",") + 1), "base64");
  const svg = decodeURIComponent(out.svg.slice(out.svg.indexOf(",") + 1));
  return { png, svg };
}

export interface PdfOptions {
  /** Footer with page numbers (default true). */
  pageNumbers?: boolean;
}

/** Prints an HTML document (static: no scripts needed) to PDF. */
export async function printPdf(
  html: string, options: PdfOptions = {},
): Promise<Buffer> {
  const s = await getSession();
  const page = await s.browser.newPage();
  try {
    await page.setContent(html, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    const numbers = options.pageNumbers ?? true;
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "18mm", bottom: "18mm", left: "16mm", right: "16mm" },
      displayHeaderFooter: numbers,
      headerTemplate: "<span></span>",
      footerTemplate: numbers
        ? "<div style=\"font-size:8px;width:100%;text-align:center;" +
          "color:#666\"><span class=\"pageNumber\"></span> / " +
          "<span class=\"totalPages\"></span></div>"
        : "<span></span>",
    });
    return Buffer.from(pdf);
  } finally {
    await page.close();
  }
}
