/**
 * Where the report's files go. The project root is found from this
 * file's location; the figures folder can be moved with
 * SGDL_FIGURES_DIR (the tests do, to keep the work tree clean).
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (two folders above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `figures/` in the project, or $SGDL_FIGURES_DIR. */
export function figuresDir(): string {
  const env = process.env["SGDL_FIGURES_DIR"];
  return env ? resolve(env) : join(PROJECT_ROOT, "figures");
}
