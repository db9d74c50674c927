/**
 * Shared by the report tests: a temporary folder, the project's scripts
 * run as child processes, and nbformat validation by Python's nbformat
 * (Debian python3-nbformat).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/report/paths";
import type { CodeCell, Notebook } from "../../lib/report/notebook/format";
import {
  type FigureRecord, REPORT_KEY, type ReportRecord, type TableRecord,
} from "../../lib/report/types";

export const ROOT = PROJECT_ROOT;
export const FIXTURES = join(ROOT, "test", "report", "fixtures");
export const PYTHON = "/usr/bin/python3";

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sgdl-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command (async, so the test runner stays responsive). */
export function run(
  cmd: string, args: string[], env: Record<string, string> = {}, cwd = ROOT,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `tsx scripts/<name>.ts args...` as npm would run it. */
export function script(
  name: string, args: string[], env: Record<string, string> = {},
): Promise<Ran> {
  return run(process.execPath, ["--import", "tsx", join(ROOT, "scripts", `${name}.ts`), ...args], env);
}

/**
 * Runs the project's notebooks `names` at the smoke profile into `out`
 * (in order, one `npm run notebooks` call) and returns them by name.
 */
export async function runSmoke(
  names: readonly string[], out: string, env: Record<string, string>,
): Promise<Map<string, Notebook>> {
  const r = await script("notebooks", [
    ...names.map((n) => join(ROOT, "notebooks", `${n}.ipynb`)),
    "--profile", "smoke", "--out-dir", out,
  ], env);
  assert.equal(r.code, 0, r.stderr);
  return new Map(names.map((n) => [n, readJson(join(out, `${n}.ipynb`))]));
}

/** Validates a notebook with Python's nbformat; returns the error text or "". */
export function nbformatErrors(path: string): string {
  const r = spawnSync(PYTHON, ["-c",
    "import sys, nbformat\n" +
    "nb = nbformat.read(sys.argv[1], as_version=4)\n" +
    "nbformat.validate(nb)\n" +
    "print(nb.nbformat, nb.nbformat_minor)", path], { encoding: "utf8" });
  return r.status === 0 ? "" : (r.stderr || r.stdout || "validation failed");
}

export function hasPythonNbformat(): boolean {
  return existsSync(PYTHON) &&
    spawnSync(PYTHON, ["-c", "import nbformat, nbclient"]).status === 0;
}

export function readJson(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

/** Env that keeps results reproducible and the work tree clean. */
export function reproducibleEnv(dir: string): Record<string, string> {
  return {
    SGDL_COMMIT: "test-commit",
    SOURCE_DATE_EPOCH: "1700000000",
    SGDL_FIGURES_DIR: join(dir, "figures"),
  };
}

/** The report records (figures, tables, claims) a notebook's outputs carry. */
export function records(nb: Notebook): ReportRecord[] {
  return nb.cells
    .filter((c): c is CodeCell => c.cell_type === "code")
    .flatMap((c) => c.outputs)
    .flatMap((o) => {
      const meta = (o as { metadata?: Record<string, unknown> }).metadata;
      const r = meta?.[REPORT_KEY] as ReportRecord | undefined;
      return r === undefined ? [] : [r];
    });
}

/** A notebook's figure and table records. */
export function figuresAndTables(nb: Notebook): {
  figs: FigureRecord[];
  tables: TableRecord[];
} {
  const recs = records(nb);
  return {
    figs: recs.filter((r): r is FigureRecord => r.kind === "figure"),
    tables: recs.filter((r): r is TableRecord => r.kind === "table"),
  };
}

/**
 * Every code cell of the notebook at `path` ran without an error, and
 * (where Python's nbformat is installed) it validates.
 */
export function assertAllCellsRan(path: string): void {
  const nb = readJson(path);
  const code = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  for (const c of code) {
    assert.ok(c.execution_count !== null, `cell ${c.id} did not run`);
    assert.ok(!c.outputs.some((o) => o.output_type === "error"),
      `cell ${c.id} failed`);
  }
  if (hasPythonNbformat()) assert.equal(nbformatErrors(path), "");
}
