/**
 * The Figure 2 sweep: rho(K_N(t)) over a grid of t for the N = 200
 * denoising problem (lib/theory/section5), in TypeScript and in numpy
 * (bench/theory_numpy.py with Debian's python3-numpy, one BLAS thread, on
 * the same data in the same run); checks that the two agree and prints
 * the time ratio.
 *
 *   npm run bench:theory [-- --N 200 --grid 40 --mu 10 --threads 1 --reps 3]
 *
 * Per t: K_N(t) by N structured rank-one-plus-tridiagonal updates
 * (O(N^2) each), then all eigenvalues of the dense non-symmetric K
 * (balance, Hessenberg, Francis QR; numpy: LAPACK dgeev). Both sides time
 * the sweep only (after a one-t warm-up on the TypeScript side) and keep
 * the fastest of --reps sweeps (the machine is shared; the minimum is
 * the least disturbed).
 * Last line: {"tsSeconds", "numpySeconds", "ratio", "gridSize", "N"}
 * (ratio = tsSeconds / numpySeconds).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { eigenvalues } from "../lib/theory/eigen";
import { passMatrix } from "../lib/theory/igd";
import { denoisingData, denoisingSystem } from "../lib/theory/section5";
import { theorySettings } from "../lib/theory/settings";
import { linspace } from "../lib/theory/stats";

const fig = theorySettings("paper").section5.figure2;
const { values: opt } = parseArgs({
  options: {
    N: { type: "string", default: String(fig.N) },
    grid: { type: "string", default: "40" },
    mu: { type: "string", default: String(fig.mu) },
    tMax: { type: "string", default: String(fig.tMax) },
    threads: { type: "string", default: "1" },
    reps: { type: "string", default: "3" },
  },
});
const reps = Number(opt.reps);
const N = Number(opt.N);
const gridSize = Number(opt.grid);
const mu = Number(opt.mu);
for (const [name, v] of [["N", N], ["grid", gridSize], ["mu", mu], ["reps", reps]] as const) {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`bench:theory: --${name} must be positive`);
}

const data = denoisingData(N, fig.s, fig.seed, true);
const sys = denoisingSystem(data.noisy, mu, 1);
const ts = linspace(fig.tMin, Number(opt.tMax), gridSize);

function rhoOf(t: number): { rho: number; form: number; eig: number } {
  const a = performance.now();
  const pm = passMatrix(sys, t);
  const b = performance.now();
  const { re, im } = eigenvalues(pm.K);
  const c = performance.now();
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i] as number, im[i] as number));
  return { rho: Math.exp(Math.log(r) + pm.logScale), form: (b - a) / 1000, eig: (c - b) / 1000 };
}

rhoOf(ts[0] as number); // warm-up (JIT)
let tsSeconds = Infinity;
let form = 0;
let eig = 0;
let rhoTs: number[] = [];
const all: string[] = [];
for (let rep = 0; rep < reps; rep++) {
  let f = 0;
  let e = 0;
  const start = performance.now();
  const rho = ts.map((t) => {
    const r = rhoOf(t);
    f += r.form;
    e += r.eig;
    return r.rho;
  });
  const sec = (performance.now() - start) / 1000;
  all.push(sec.toFixed(2));
  if (sec < tsSeconds) {
    tsSeconds = sec;
    form = f;
    eig = e;
    rhoTs = rho;
  }
}
console.log(
  `typescript: ${tsSeconds.toFixed(2)} s for ${gridSize} steps at N = ${N}` +
    ` (form K ${form.toFixed(2)} s, eigenvalues ${eig.toFixed(2)} s; best of ${all.join(", ")})`,
);

const python = "/usr/bin/python3";
const script = join(dirname(fileURLToPath(import.meta.url)), "theory_numpy.py");
let numpySeconds: number | null = null;
if (!existsSync(python)) {
  console.log(`numpy: ${python} not found, skipped`);
} else {
  const threads = String(opt.threads);
  const env = {
    ...process.env,
    OMP_NUM_THREADS: threads,
    OPENBLAS_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
  };
  const r = spawnSync(python, [script], {
    input: JSON.stringify({ N, gamma: mu / N, order: 1, noisy: data.noisy, ts, reps }),
    encoding: "utf8",
    env,
    timeout: 1_800_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.log(`numpy: failed (${r.status}): ${(r.stderr || r.stdout || "").trim().split("\n").pop()}`);
  } else {
    const out = JSON.parse(r.stdout) as {
      seconds: number;
      formSeconds: number;
      eigSeconds: number;
      rho: number[];
    };
    numpySeconds = out.seconds;
    let worst = 0;
    let worstAt = 0;
    out.rho.forEach((x, i) => {
      const y = rhoTs[i] as number;
      const d = Math.abs(x - y) / Math.max(1, Math.abs(y));
      if (d > worst) worstAt = i;
      worst = Math.max(worst, d);
    });
    console.log(
      `numpy (${threads} BLAS thread${threads === "1" ? "" : "s"}): ${out.seconds.toFixed(2)} s` +
        ` (form K ${out.formSeconds.toFixed(2)} s, eigenvalues ${out.eigSeconds.toFixed(2)} s);` +
        ` max relative difference in rho ${worst.toExponential(1)}`,
    );
    // Near t = 1 the eigenvalues of K_N(t) ~ (1 - t) I + O(t mu / N)
    // cluster and are ill-conditioned (errors ~ sqrt(eps)); 1e-6 allows
    // that and still catches any real disagreement.
    if (worst > 1e-6) {
      console.log(`WARNING: spectral radii disagree at t = ${ts[worstAt]}:` +
        ` TypeScript ${rhoTs[worstAt]}, numpy ${out.rho[worstAt]}`);
    }
  }
}
console.log(
  JSON.stringify({
    tsSeconds: +tsSeconds.toFixed(3),
    numpySeconds: numpySeconds === null ? null : +numpySeconds.toFixed(3),
    ratio: numpySeconds === null ? null : +(tsSeconds / numpySeconds).toFixed(2),
    gridSize,
    N,
  }),
);
