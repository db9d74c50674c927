/**
 * Runs the test suite: every test/**\/*.test.ts file under node's own test
 * runner (each file in its own process).
 *
 *   npm test                 # type check, then all tests
 *   npm run test:only -- optim data   # only files whose path has a word
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filters = process.argv.slice(2);
const files = readdirSync("test", { recursive: true })
  .map((f) => join("test", String(f)))
  .filter((f) => f.endsWith(".test.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "test/"}`);
  process.exit(1);
}
const args = ["--import", "tsx", "--test", "--test-reporter=spec", ...files];
const run = spawnSync(process.execPath, args, { stdio: "inherit" });
process.exit(run.status ?? 1);
