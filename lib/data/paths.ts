/**
 * Where data lives. Everything downloaded or generated goes under one data
 * root (git-ignored): `data/` in the project, or the `DATA_DIR` environment
 * variable, or an explicit `root` option (which wins).
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (two folders above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The data root: option, then DATA_DIR, then `<project>/data`. */
export function dataRoot(root?: string): string {
  if (root !== undefined && root !== "") return resolve(root);
  const env = process.env["DATA_DIR"];
  if (env !== undefined && env !== "") return resolve(env);
  return join(PROJECT_ROOT, "data");
}

/** Cache for downloaded archives and npm tarballs: `<root>/.cache`. */
export function cacheDir(root?: string): string {
  return join(dataRoot(root), ".cache");
}

/** A path relative to the data root, for messages and records. */
export function shortPath(path: string, root?: string): string {
  const base = dataRoot(root);
  const abs = resolve(path);
  if (abs === base) return "<data>";
  return abs.startsWith(base + "/") ? `<data>/${abs.slice(base.length + 1)}` : abs;
}
