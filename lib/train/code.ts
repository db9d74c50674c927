/**
 * Which code produced a run or a figure: the project's git commit and
 * whether the working tree had changes (tracked or untracked, ignored
 * files aside). A notebook whose cells' sources equal the committed ones
 * is not a change: re-running notebooks rewrites their outputs, which
 * are results, not code.
 *
 * `pinCodeVersion()` reads the tree once and stores the answer in
 * $SGDL_CODE_VERSION ("<commit>" or "<commit>+dirty"), which later calls
 * in this process and every kernel it starts return: the notebook runner
 * pins it before the first notebook, so the notebooks it writes do not
 * make the next ones look modified.
 *
 * Read-only git calls with GIT_OPTIONAL_LOCKS=0, so they never take the
 * index lock from someone committing at the same time.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../data/paths";

export interface CodeVersion {
  commit: string | null;
  dirty: boolean | null;
}

/** The environment variable that pins the code version. */
export const CODE_VERSION_ENV = "SGDL_CODE_VERSION";

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
      stdio: ["ignore", "pipe", "ignore"],
      encoding: "utf8",
      timeout: 10_000,
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return null;
  }
}

/** A notebook's cells as [type, source] pairs (outputs and metadata left out), as JSON. */
export function notebookSources(text: string): string {
  const nb = JSON.parse(text) as { cells?: Array<{ cell_type?: string; source?: string | string[] }> };
  return JSON.stringify((nb.cells ?? []).map((c) =>
    [c.cell_type, Array.isArray(c.source) ? c.source.join("") : c.source ?? ""]));
}

/** True when `path` (relative to the project) is a notebook whose sources equal HEAD's. */
function onlyOutputsChanged(path: string): boolean {
  if (!path.endsWith(".ipynb")) return false;
  const committed = git(["show", `HEAD:${path}`]);
  if (committed === null) return false;
  try {
    return notebookSources(committed) ===
      notebookSources(readFileSync(join(PROJECT_ROOT, path), "utf8"));
  } catch {
    return false;
  }
}

/**
 * Untracked files that are code: new sources, not editor or Jupyter
 * droppings (`.ipynb_checkpoints/`, swap files, logs). Tracked files
 * always count.
 */
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|json|ipynb|py|cc|cpp|h|hpp|sh)$|(^|\/)Makefile$/;

/** True for an untracked path that is new source code. */
export function isNewSource(path: string): boolean {
  if (path.split("/").some((part) => part === ".ipynb_checkpoints" || part === "node_modules")) {
    return false;
  }
  return SOURCE_FILE.test(path);
}

/**
 * The changed paths of `git status --porcelain -z` output that count as
 * code changes (new source files do; notebooks with only new outputs, and
 * untracked files that are not source, don't).
 */
export function codeChanges(porcelainZ: string, outputsOnly = onlyOutputsChanged): string[] {
  const entries = porcelainZ.split("\0");
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 4) continue;
    const xy = e.slice(0, 2);
    const path = e.slice(3);
    if (xy.includes("R") || xy.includes("C")) i++; // the source path follows a rename/copy
    if (xy === "??" ? isNewSource(path) : !outputsOnly(path)) out.push(path);
  }
  return out;
}

/** "<commit>" or "<commit>+dirty" ("unknown" without git). */
export function formatCodeVersion(v: CodeVersion): string {
  return v.commit === null ? "unknown" : `${v.commit}${v.dirty === true ? "+dirty" : ""}`;
}

/** The inverse of formatCodeVersion. */
export function parseCodeVersion(text: string): CodeVersion {
  if (text === "unknown") return { commit: null, dirty: null };
  const dirty = text.endsWith("+dirty");
  return { commit: dirty ? text.slice(0, -"+dirty".length) : text, dirty };
}

/** The commit and dirtiness of the project tree, read now (nulls without git). */
export function readCodeVersion(): CodeVersion {
  const head = git(["rev-parse", "HEAD"]);
  if (head === null) return { commit: null, dirty: null };
  // Every untracked file listed (not just its folder), so that new
  // sources count and Jupyter's checkpoints do not.
  const status = git(["status", "--porcelain", "-z", "--untracked-files=all"]);
  return {
    commit: head.trim(),
    dirty: status === null ? null : codeChanges(status).length > 0,
  };
}

/** The pinned code version ($SGDL_CODE_VERSION) or, without one, the tree's now. */
export function codeVersion(): CodeVersion {
  const pinned = process.env[CODE_VERSION_ENV];
  return pinned ? parseCodeVersion(pinned) : readCodeVersion();
}

/** Pins the code version for this process and its children (once; later calls keep it). */
export function pinCodeVersion(): CodeVersion {
  const v = codeVersion();
  process.env[CODE_VERSION_ENV] ??= formatCodeVersion(v);
  return v;
}
