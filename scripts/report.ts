/**
 * Re-executes the notebooks and assembles the report:
 * paper/report.html (self-contained, interactive) and paper/report.pdf.
 *
 *   npm run report                        # all notebooks, profile from
 *                                         # their parameters cells (cpu)
 *   npm run report -- --profile smoke     # every notebook at smoke size
 *   npm run report -- --fresh             # trainers ignore cached runs
 *   npm run report -- --cached-only       # train nothing: runs not yet
 *                                         # trained are shown as missing
 *   npm run report -- --no-execute        # assemble from the notebooks as
 *                                         # they are
 * Other options: names or prefixes of notebooks, --param name=value,
 * --cell-timeout S, --figures-dir D, --notebooks-dir D (default
 * notebooks/), --out-dir D (default paper/), --no-pdf.
 * Notebooks run in place (their outputs are the report's source). A
 * failing notebook is reported and shown as incomplete in the report,
 * and a claim whose runs failed (could not train, or an unreadable
 * record) is shown as "failed: <run> (<reason>)"; the exit status is then
 * 1, unless --allow-failures (failed claims only) says to publish anyway.
 */
import { join } from "node:path";
import { buildReport } from "../lib/report/build";
import {
  failureMessage, findNotebooks, parseCli, runNotebook, shown, UsageError,
} from "../lib/report/notebook";
import { closeRenderer, PROJECT_ROOT } from "../lib/report";

function usage(): string {
  return "usage: npm run report -- [names...] [--profile smoke|cpu|paper] " +
    "[--param name=value]... [--fresh] [--cached-only] [--no-execute] [--no-pdf] [--allow-failures] " +
    "[--cell-timeout S] [--figures-dir D] [--notebooks-dir D] [--out-dir D]";
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log(usage());
    return 0;
  }
  const cli = parseCli(argv, ["--no-execute", "--no-pdf", "--allow-failures"]);
  const paths = findNotebooks(cli.names, cli.notebooksDir);
  if (paths.length === 0) {
    console.error("no notebooks found");
    return 1;
  }
  const t0 = Date.now();
  const failed: string[] = [];
  if (!cli.flags.has("--no-execute")) {
    for (const path of paths) {
      const run = await runNotebook(path, {
        params: cli.params, env: cli.env, cellTimeout: cli.cellTimeout,
      });
      if (!run.ok) {
        console.error(failureMessage(run));
        failed.push(shown(path));
      }
    }
  }
  const t1 = Date.now();
  if (cli.env["SGDL_FIGURES_DIR"]) {
    process.env["SGDL_FIGURES_DIR"] = cli.env["SGDL_FIGURES_DIR"];
  }
  const outDir = cli.outDir ?? join(PROJECT_ROOT, "paper");
  let failedClaims: string[] = [];
  try {
    const built = await buildReport({
      notebooks: paths, outDir, pdf: !cli.flags.has("--no-pdf"),
    });
    const c = built.content;
    failedClaims = c.claims.filter((x) => x.verdict === "failed")
      .map((x) => `${x.id}: ${x.ours}`);
    console.error(`report: ${c.sections.length} sections, ${c.figures.length} ` +
      `figures, ${c.claims.length} claims -> ${shown(built.html)}` +
      `${built.pdf ? `, ${shown(built.pdf)}` : ""}`);
    console.error(`time: notebooks ${((t1 - t0) / 1000).toFixed(1)} s, html ` +
      `${(built.ms.html / 1000).toFixed(1)} s, static figures ` +
      `${(built.ms.figures / 1000).toFixed(1)} s, pdf ${(built.ms.pdf / 1000).toFixed(1)} s`);
  } finally {
    await closeRenderer();
  }
  if (failedClaims.length > 0) {
    const allowed = cli.flags.has("--allow-failures");
    console.error(`${failedClaims.length} claim(s) rest on failed runs` +
      `${allowed ? " (published anyway: --allow-failures)" : ""}:\n  ${failedClaims.join("\n  ")}`);
    if (!allowed && failed.length === 0) return 1;
  }
  if (failed.length > 0) {
    console.error(`${failed.length} notebook(s) failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${usage()}`);
    process.exit(2);
  }
  // One line; the stack only when asked for (SGDL_DEBUG=1).
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`report: ${e.name}: ${e.message.split("\n")[0]}`);
  if (process.env["SGDL_DEBUG"]) console.error(e.stack);
  process.exit(1);
});
