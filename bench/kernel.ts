/**
 * Start-up of the notebook kernel as a Jupyter client meets it (Debian's
 * jupyter_client, bench/kernel_client.py): seconds from starting the
 * kernel to its kernel_info reply ("ready"), for the first
 * `import { train } from "./lib/train"` sent right after, and for a small
 * cell after that.
 *
 *   npm run bench:kernel [-- --rounds 3]
 *
 * Warm: lib/ already compiled for the kernel (.cache/kernel, which
 * `npm run setup` prepares). Cold: that cache removed first, so the first
 * import compiles all of lib/ (what a kernel does after a fresh clone
 * without set-up). Prints a table (median and range) and a last line of
 * JSON {"ready", "importWarm", "importCold", "cell"} (medians, seconds).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../lib/data/paths";

const PYTHON = "/usr/bin/python3";

interface Sample { ready: number; import: number; cell: number }

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench:kernel: --rounds must be a positive integer; got ${values.rounds}`);
  process.exit(2);
}

const prefix = mkdtempSync(join(tmpdir(), "sgdl-bench-kernel-"));
const env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") };

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

function sample(): Sample {
  const out = sh(PYTHON, [join(PROJECT_ROOT, "bench", "kernel_client.py")]).trim().split("\n");
  return JSON.parse(out[out.length - 1]!) as Sample;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (xs: number[]): string =>
  `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;

try {
  sh("npx", ["tsx", "scripts/kernel.ts", "install", "--prefix", prefix]);
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    rmSync(join(PROJECT_ROOT, ".cache", "kernel"), { recursive: true, force: true });
    cold.push(sample());
    warm.push(sample());
    console.error(`round ${i + 1}/${rounds}: cold import ${cold[i]!.import} s, warm ${warm[i]!.import} s`);
  }
  const ready = [...cold, ...warm].map((s) => s.ready);
  console.log(`kernel ready (kernel_info reply)      ${fmt(ready)}`);
  console.log(`first import of lib/train, warm cache  ${fmt(warm.map((s) => s.import))}`);
  console.log(`first import of lib/train, no cache    ${fmt(cold.map((s) => s.import))}`);
  console.log(`a small cell after it                  ${fmt(warm.map((s) => s.cell))}`);
  console.log(JSON.stringify({
    ready: median(ready),
    importWarm: median(warm.map((s) => s.import)),
    importCold: median(cold.map((s) => s.import)),
    cell: median(warm.map((s) => s.cell)),
  }));
} finally {
  rmSync(prefix, { recursive: true, force: true });
}
