/**
 * Training throughput of the engine: ResNet-20 (0.27 M parameters),
 * batch 128 of random CIFAR-shaped images (32x32x3), one SGD-momentum
 * step (weight decay 0.005) per batch, images/s after warm-up, for each
 * available backend, and the same model and batch in PyTorch (Debian's
 * python3-torch, 2 threads) when it is installed, in the same run.
 *
 *   npm run bench:engine [-- --steps 8 --batch 128 --with-cpu]
 *
 * Each backend runs in its own process (wasm starts once per process).
 * The pure-JS cpu backend (~0.15 images/s) only with --with-cpu.
 * Last line: {"backend", "imagesPerSec", "pytorchImagesPerSec", "ratio"}.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import {
  type BackendName,
  EngineUnavailableError,
  initEngine,
  namedGrads,
} from "../lib/engine";
import { numParams, resnet } from "../lib/models";
import { sgdm, Stepper } from "../lib/optim";

const { values: opt } = parseArgs({
  options: {
    child: { type: "string" },
    steps: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    batch: { type: "string", default: "128" },
    threads: { type: "string", default: "2" },
    "with-cpu": { type: "boolean", default: false },
  },
});
const steps = Number(opt.steps);
const warmup = Number(opt.warmup);
const batch = Number(opt.batch);

interface Result {
  engine: string;
  threads: number;
  imagesPerSec: number;
  msPerStep: number;
}

/** One backend, in this process: median step time after warm-up. */
async function measure(backend: BackendName): Promise<Result> {
  const info = await initEngine({
    backend,
    threads: Number(opt.threads),
    quiet: true,
  });
  const model = resnet({ n: 3, seed: 0 });
  const opt_ = new Stepper(sgdm({ lr: 0.1, momentum: 0.9,
    weightDecay: 5e-3 }));
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, "int32", 2), 10);
  const step = () => {
    const { grads, value } = namedGrads(() =>
      tf.losses.softmaxCrossEntropy(y, model.apply(x, true)) as tf.Scalar,
    model.params);
    opt_.step(model.params, grads);
    const loss = value.dataSync()[0]!;
    tf.dispose([grads, value]);
    return loss;
  };
  for (let i = 0; i < warmup; i++) step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  if (numParams(model) !== 269722) throw new Error("not ResNet-20");
  return {
    engine: `tfjs ${info.backend}`,
    threads: info.threads,
    imagesPerSec: (batch * 1000) / ms,
    msPerStep: ms,
  };
}

type ChildResult = Result | { unavailable: string } | string;

function runChild(args: string[], cmd = process.execPath): ChildResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 1_800_000 });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !last.startsWith("{")) {
    const err = (r.stderr || r.stdout).trim().split("\n").slice(-3);
    return `failed (${r.status ?? r.signal}): ${err.join(" | ")}`;
  }
  return JSON.parse(last) as Result | { unavailable: string };
}

async function main(): Promise<void> {
  if (opt.child) {
    try {
      console.log(JSON.stringify(await measure(opt.child as BackendName)));
    } catch (err) {
      if (!(err instanceof EngineUnavailableError)) throw err;
      console.log(JSON.stringify({ unavailable: err.message }));
    }
    // wasm's worker threads may hold the event loop; the result is out.
    process.exit(0);
  }
  const common = ["--steps", String(steps), "--warmup", String(warmup),
    "--batch", String(batch)];
  const backends: BackendName[] = ["node-gpu", "node", "wasm"];
  if (opt["with-cpu"]) backends.push("cpu");
  const results: Partial<Record<BackendName, Result>> = {};
  for (const b of backends) {
    const r = runChild(["--import", "tsx", "bench/engine.ts", "--child", b,
      "--threads", String(opt.threads), ...common]);
    if (typeof r === "string" || "unavailable" in r) {
      const why = typeof r === "string" ? r : "not available";
      console.log(`${b.padEnd(9)} ${why}`);
      continue;
    }
    results[b] = r;
    console.log(`${b.padEnd(9)} ${r.imagesPerSec.toFixed(1)} images/s ` +
      `(${r.msPerStep.toFixed(0)} ms/step, ${r.threads} threads)`);
  }
  let torch: Result | null = null;
  const py = "/usr/bin/python3";
  if (existsSync(py)) {
    const r = runChild(["bench/engine_torch.py", "--threads",
      String(opt.threads), ...common], py);
    if (typeof r === "string" || "unavailable" in r) {
      const why = typeof r === "string" ? r.slice(0, 120) : r.unavailable;
      console.log(`pytorch   not available (${why}); ` +
        `npm run setup -- --bench installs it`);
    } else {
      torch = r;
      console.log(`pytorch   ${r.imagesPerSec.toFixed(1)} images/s ` +
        `(${r.msPerStep.toFixed(0)} ms/step, ${r.threads} threads, ` +
        `${r.engine})`);
    }
  }
  const best = Object.entries(results).sort(
    (a, b) => b[1].imagesPerSec - a[1].imagesPerSec)[0];
  const ips = best?.[1].imagesPerSec ?? null;
  const torchIps = torch?.imagesPerSec ?? null;
  console.log(JSON.stringify({
    backend: best?.[0] ?? null,
    imagesPerSec: ips === null ? null : round(ips),
    pytorchImagesPerSec: torchIps === null ? null : round(torchIps),
    ratio: ips !== null && torchIps !== null ? round(ips / torchIps, 3) : null,
    batch,
    model: "resnet20",
  }));
}

function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}

await main();
