/**
 * The fuzz tests (test/**\/fuzz.test.ts: every format reader, --set,
 * sweep specs and config files) with more cases than `npm test` runs.
 *
 *   npm run fuzz                       # 10,000 cases per property
 *   npm run fuzz -- --runs 100000 --seed 42
 *
 * A failure prints fast-check's counterexample and the seed to replay it
 * (FUZZ_SEED, or --seed).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "10000" }, seed: { type: "string" } },
});
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
  console.error(`fuzz: --runs must be a whole number > 0, got ${values.runs}`);
  process.exit(2);
}
const files = readdirSync("test", { recursive: true })
  .map((f) => join("test", String(f)))
  .filter((f) => f.endsWith("fuzz.test.ts"))
  .sort();
const env = { ...process.env, FUZZ_RUNS: String(runs), ...(values.seed && { FUZZ_SEED: values.seed }) };
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files],
  { stdio: "inherit", env });
process.exit(r.status ?? 1);
