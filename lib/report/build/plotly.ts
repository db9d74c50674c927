/**
 * plotly.js for the interactive report, minified once with esbuild
 * (10 MB -> 4.8 MB; licence comments kept) and cached under
 * node_modules/.cache/sgdl-report, keyed by the plotly and esbuild
 * versions.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../paths";
import { plotlyPath } from "../render";

interface Esbuild {
  version: string;
  transform(code: string, options: Record<string, unknown>): Promise<{ code: string }>;
}

/** The minified plotly.js source (the bundle as it is if esbuild is absent). */
export async function plotlyMin(): Promise<string> {
  const path = plotlyPath();
  const req = createRequire(join(PROJECT_ROOT, "package.json"));
  const version = (JSON.parse(readFileSync(join(dirname(path), "package.json"), "utf8")) as
    { version: string }).version;
  let esbuild: Esbuild;
  try {
    esbuild = req("esbuild") as Esbuild;
  } catch {
    return readFileSync(path, "utf8");
  }
  const cacheDir = join(PROJECT_ROOT, "node_modules", ".cache", "sgdl-report");
  const cached = join(cacheDir, `plotly-${version}-esbuild-${esbuild.version}.min.js`);
  if (existsSync(cached)) return readFileSync(cached, "utf8");
  const out = await esbuild.transform(readFileSync(path, "utf8"), {
    minify: true, legalComments: "inline", charset: "utf8",
  });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, out.code);
  return out.code;
}
