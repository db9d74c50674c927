/**
 * Runs notebooks headlessly (no Python): each in a fresh kernel, cell by
 * cell, outputs written back into the notebook.
 *
 *   npm run notebooks                          # all of notebooks/, paper order
 *   npm run notebooks -- 05-igd 06             # by name or unique prefix
 *   npm run notebooks -- --profile smoke       # injected parameter
 *   npm run notebooks -- 00 --param lr=1.2     # any parameter of the cell
 *                                              # tagged "parameters"
 * Options: --cell-timeout S (stop a cell after S seconds), --fresh (set
 * SGDL_FRESH=1: trainers ignore cached runs), --cached-only (set
 * SGDL_CACHED_ONLY=1: train nothing, show runs not trained as missing),
 * --figures-dir D (export
 * figures there instead of figures/), --out-dir D (write the executed
 * notebooks there instead of over the sources), --notebooks-dir D.
 * Exit status 1 when a cell fails (the message names the notebook, the
 * cell, its source and the error).
 */
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import {
  failureMessage, findNotebooks, parseCli, runNotebook, shown, UsageError,
} from "../lib/report/notebook";

function usage(): string {
  return "usage: npm run notebooks -- [names...] [--profile smoke|cpu|paper] " +
    "[--param name=value]... [--cell-timeout S] [--fresh] [--cached-only] " +
    "[--figures-dir D] [--out-dir D] [--notebooks-dir D]";
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log(usage());
    return 0;
  }
  const cli = parseCli(argv);
  const paths = findNotebooks(cli.names, cli.notebooksDir);
  if (paths.length === 0) {
    console.error("no notebooks to run");
    return 1;
  }
  if (cli.outDir) mkdirSync(cli.outDir, { recursive: true });
  const t0 = Date.now();
  const failed: string[] = [];
  for (const path of paths) {
    const run = await runNotebook(path, {
      params: cli.params, env: cli.env, cellTimeout: cli.cellTimeout,
      ...(cli.outDir ? { outPath: join(cli.outDir, basename(path)) } : {}),
    });
    if (!run.ok) {
      const msg = failureMessage(run);
      console.error(msg);
      failed.push(msg.split("\n")[0] ?? shown(path));
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (failed.length > 0) {
    console.error(`\n${failed.length} of ${paths.length} notebooks failed ` +
      `(${secs} s):\n  ${failed.join("\n  ")}`);
    return 1;
  }
  console.error(`${paths.length} notebook${paths.length > 1 ? "s" : ""} ran ` +
    `in ${secs} s`);
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${usage()}`);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
