/**
 * Training throughput of the engines against PyTorch, model by model:
 * one SGD-momentum step (weight decay 0.005; the LSTM also clips at 0.25)
 * per batch of random inputs, median after warm-up, each engine in its own
 * process, rounds alternating the engines so that load from elsewhere
 * hits every side alike. PyTorch (Debian's python3-torch, same thread
 * count) runs twice per round, with its default OpenMP waiting and with
 * OMP_WAIT_POLICY=passive; the faster is its number.
 *
 *   npm run bench:engine [-- --models resnet20,vgg16 --engines native,wasm
 *                            --rounds 2 --steps 5 --warmup 2 --threads 2]
 *
 * Models: each paper family at its `cpu` profile size and at a larger
 * one (MODELS below). Prints a table (median and range over rounds) and,
 * last, one line of JSON: {"backend", "model": "resnet20",
 * "imagesPerSec", "pytorchImagesPerSec", "ratio", "models": {name:
 * {native, wasm, pytorch, ratio, unit}}}.
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
  sparseSoftmaxCrossEntropy,
} from "../lib/engine";
import {
  buildModel,
  type ClassifierSpec,
  type LanguageModel,
  type LanguageModelSpec,
  type Model,
} from "../lib/models";
import { sgdm, Stepper } from "../lib/optim";

interface BenchModel {
  /** What lib/models builds. */
  spec: ClassifierSpec | LanguageModelSpec;
  /** Examples per step (LSTM: parallel streams). */
  batch: number;
  /** One example's shape (images NHWC); LSTM: [bptt]. */
  input: number[];
  classes: number;
  /** The same network in bench/engine_torch.py. */
  torch: string[];
  unit: "images" | "clips" | "tokens";
  about: string;
}

const LSTM_CPU = { vocabSize: 10_000, numLayers: 2, hiddenSize: 200, embeddingSize: 100 };
const LSTM_PAPER = { vocabSize: 10_000, numLayers: 2, hiddenSize: 1150, embeddingSize: 400 };

/** The paper's model families, at the `cpu` profile's size and larger. */
export const MODELS: Record<string, BenchModel> = {
  resnet20: {
    spec: { kind: "resnet", n: 3 }, batch: 128, input: [32, 32, 3], classes: 10,
    torch: ["--model", "resnet", "--n", "3"], unit: "images",
    about: "ResNet-20, batch 128 (the headline number)",
  },
  "resnet8-cpu": {
    spec: { kind: "resnet", n: 1 }, batch: 128, input: [32, 32, 3], classes: 10,
    torch: ["--model", "resnet", "--n", "1"], unit: "images",
    about: "ResNet-8, the cpu profile's net on the Fashion-MNIST stand-in (6.2)",
  },
  resnet56: {
    spec: { kind: "resnet", n: 9 }, batch: 128, input: [32, 32, 3], classes: 10,
    torch: ["--model", "resnet", "--n", "9"], unit: "images",
    about: "ResNet-56, the paper's net",
  },
  "vgg16-cpu": {
    spec: { kind: "vgg16", width: 0.25 }, batch: 128, input: [32, 32, 3], classes: 10,
    torch: ["--model", "vgg16", "--width", "0.25"], unit: "images",
    about: "VGG-16-BN at 1/4 width (the cpu profile)",
  },
  vgg16: {
    spec: { kind: "vgg16" }, batch: 128, input: [32, 32, 3], classes: 10,
    torch: ["--model", "vgg16"], unit: "images",
    about: "VGG-16-BN at full width, batch 128",
  },
  "densenet-bc40": {
    spec: { kind: "densenet", depth: 40, growthRate: 12 }, batch: 64,
    input: [32, 32, 3], classes: 10,
    torch: ["--model", "densenet", "--depth", "40", "--growth", "12"], unit: "images",
    about: "DenseNet-BC (L=40, k=12), batch 64",
  },
  "audio-cpu": {
    spec: { kind: "audio", numClasses: 10 }, batch: 64, input: [98, 40, 1], classes: 10,
    torch: ["--model", "audio"], unit: "clips",
    about: "the speech net, batch 64 (the cpu profile)",
  },
  audio: {
    spec: { kind: "audio", numClasses: 10 }, batch: 256, input: [98, 40, 1], classes: 10,
    torch: ["--model", "audio"], unit: "clips",
    about: "the speech net, batch 256",
  },
  "lstm-cpu": {
    spec: { kind: "awd-lstm", ...LSTM_CPU }, batch: 20, input: [35], classes: 10_000,
    torch: ["--model", "lstm", "--layers", "2", "--hidden", "200", "--emb", "100"],
    unit: "tokens", about: "2-layer LSTM, 200 units (the cpu profile), 20 x 35 tokens",
  },
  lstm: {
    spec: { kind: "awd-lstm", ...LSTM_PAPER }, batch: 20, input: [35], classes: 10_000,
    torch: ["--model", "lstm", "--layers", "2", "--hidden", "1150", "--emb", "400"],
    unit: "tokens", about: "2-layer AWD-LSTM at the paper's size (1150 units), 20 x 35 tokens",
  },
};

const ENGINES = ["native", "wasm", "pytorch"] as const;
type Engine = (typeof ENGINES)[number];

const { values: opt } = parseArgs({
  options: {
    child: { type: "string" },
    model: { type: "string", default: "resnet20" },
    models: { type: "string", default: Object.keys(MODELS).join(",") },
    engines: { type: "string", default: ENGINES.join(",") },
    rounds: { type: "string", default: "2" },
    steps: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    threads: { type: "string", default: "2" },
  },
});

interface Result {
  itemsPerSec: number;
  msPerStep: number;
}

/** One engine and model, in this process: median step after warm-up. */
async function measure(backend: BackendName, m: BenchModel): Promise<Result> {
  await initEngine({ backend, threads: Number(opt.threads), quiet: true });
  const o = new Stepper(clipOrNot(m));
  const model = buildModel({ ...m.spec, seed: 0 } as never) as Model | LanguageModel;
  const step = m.spec.kind === "awd-lstm"
    ? lstmStep(model as LanguageModel, m, o)
    : classifierStep(model as Model, m, o);
  for (let i = 0; i < Number(opt.warmup); i++) step();
  const times: number[] = [];
  for (let i = 0; i < Number(opt.steps); i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const items = m.batch * (m.spec.kind === "awd-lstm" ? m.input[0]! : 1);
  return { itemsPerSec: (items * 1000) / ms, msPerStep: ms };
}

function clipOrNot(m: BenchModel) {
  return sgdm({
    lr: 0.1, momentum: 0.9, weightDecay: 5e-3,
    ...(m.spec.kind === "awd-lstm" && { clipNorm: 0.25 }),
  });
}

function classifierStep(model: Model, m: BenchModel, o: Stepper): () => void {
  const x = tf.randomNormal([m.batch, ...m.input], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.randomUniform([m.batch], 0, m.classes, "int32", 2), m.classes);
  let seed = 0;
  return () => {
    const { grads, value } = namedGrads(() => tf.losses.softmaxCrossEntropy(
      y, model.apply(x, true, { seed: ++seed })) as tf.Scalar, model.params);
    o.step(model.params, grads);
    value.dataSync();
    tf.dispose([grads, value]);
  };
}

function lstmStep(model: LanguageModel, m: BenchModel, o: Stepper): () => void {
  const v = model.vocabSize;
  const t = m.input[0]!;
  const x = tf.randomUniform([m.batch, t], 0, v, "int32", 1) as tf.Tensor2D;
  const y = tf.randomUniform([m.batch, t], 0, v, "int32", 2);
  let seed = 0;
  return () => {
    const state = model.initState(m.batch);
    const { grads, value } = namedGrads(() => {
      const out = model.apply(x, state, true, { seed: ++seed });
      tf.dispose(out.state);
      const logits = tf.reshape(out.logits, [-1, v]) as tf.Tensor2D;
      return tf.mean(sparseSoftmaxCrossEntropy(logits, tf.reshape(y, [-1]) as tf.Tensor1D)) as tf.Scalar;
    }, model.params);
    o.step(model.params, grads);
    value.dataSync();
    tf.dispose([grads, value, state]);
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

type ChildResult = Result | { unavailable: string } | string;

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 1_800_000, env });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !last.startsWith("{")) {
    const err = (r.stderr || r.stdout).trim().split("\n").slice(-2);
    return `failed (${r.status ?? r.signal}): ${err.join(" | ").slice(0, 200)}`;
  }
  return JSON.parse(last) as Result | { unavailable: string };
}

const PYTHON = "/usr/bin/python3";

/** Runs one engine on one model in a child process. */
function runOne(engine: Engine, name: string, policy?: "passive"): ChildResult {
  const m = MODELS[name]!;
  const common = ["--steps", opt.steps!, "--warmup", opt.warmup!, "--threads", opt.threads!];
  if (engine === "pytorch") {
    if (!existsSync(PYTHON)) return { unavailable: "no /usr/bin/python3" };
    const env = { ...process.env };
    if (policy === "passive") env["OMP_WAIT_POLICY"] = "passive";
    else delete env["OMP_WAIT_POLICY"];
    const extra = m.unit === "tokens" ? ["--bptt", String(m.input[0])] : ["--classes", String(m.classes)];
    return runChild(PYTHON, ["bench/engine_torch.py", ...m.torch, ...extra,
      "--batch", String(m.batch), ...common], env);
  }
  return runChild(process.execPath, ["--import", "tsx", "bench/engine.ts", "--child", engine,
    "--model", name, ...common]);
}

async function main(): Promise<void> {
  if (opt.child) {
    try {
      const r = await measure(opt.child as BackendName, MODELS[opt.model!]!);
      console.log(JSON.stringify(r));
    } catch (err) {
      if (!(err instanceof EngineUnavailableError)) throw err;
      console.log(JSON.stringify({ unavailable: err.message.slice(0, 200) }));
    }
    // wasm's worker threads may hold the event loop; the result is out.
    process.exit(0);
  }
  const names = opt.models!.split(",").filter((n) => n !== "");
  const unknown = names.filter((n) => !(n in MODELS));
  if (unknown.length > 0) {
    throw new Error(`unknown model(s) ${unknown.join(", ")}; known: ${Object.keys(MODELS).join(", ")}`);
  }
  const engines = opt.engines!.split(",") as Engine[];
  const rounds = Number(opt.rounds);
  // results[model][engine] = items/s per round; pytorch keeps the faster policy.
  const results: Record<string, Partial<Record<Engine, number[]>>> = {};
  const notes: Record<string, Partial<Record<Engine, string>>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      // Rotate the order each round: no engine always runs first.
      const order = engines.map((_, i) => engines[(i + r) % engines.length]!);
      for (const e of order) {
        const tries = e === "pytorch" ? [runOne(e, name), runOne(e, name, "passive")] : [runOne(e, name)];
        const ok = tries.filter((t): t is Result => typeof t !== "string" && !("unavailable" in t));
        if (ok.length === 0) {
          const t = tries[0]!;
          (notes[name] ??= {})[e] = typeof t === "string" ? t
            : `not available (${"unavailable" in t ? t.unavailable : "?"})`;
          continue;
        }
        const best = Math.max(...ok.map((t) => t.itemsPerSec));
        ((results[name] ??= {})[e] ??= []).push(best);
        process.stderr.write(`round ${r + 1} ${name} ${e}: ${best.toFixed(1)} ${MODELS[name]!.unit}/s\n`);
      }
    }
  }
  const summary: Record<string, Record<string, number | string | null>> = {};
  console.log(`\n${"model".padEnd(15)} ${"unit".padEnd(7)} ` +
    engines.map((e) => e.padStart(22)).join(" ") + "   native/pytorch");
  for (const name of names) {
    const cells = engines.map((e) => {
      const v = results[name]?.[e];
      if (v === undefined) return (notes[name]?.[e] ?? "-").slice(0, 22).padStart(22);
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      return `${median(v).toFixed(1)} (${lo.toFixed(0)}-${hi.toFixed(0)})`.padStart(22);
    });
    const nat = results[name]?.native;
    const py = results[name]?.pytorch;
    const ratio = nat && py ? round(median(nat) / median(py), 2) : null;
    console.log(`${name.padEnd(15)} ${MODELS[name]!.unit.padEnd(7)} ${cells.join(" ")}   ${ratio ?? "-"}`);
    summary[name] = {
      unit: MODELS[name]!.unit,
      native: nat ? round(median(nat)) : null,
      wasm: results[name]?.wasm ? round(median(results[name]!.wasm!)) : null,
      pytorch: py ? round(median(py)) : null,
      ratio,
    };
  }
  for (const [name, n] of Object.entries(notes)) {
    for (const [e, why] of Object.entries(n)) console.log(`note: ${name} ${e}: ${why}`);
  }
  const head = summary["resnet20"];
  const best = head ? (head["native"] !== null ? "native" : head["wasm"] !== null ? "wasm" : null) : null;
  console.log(JSON.stringify({
    backend: best,
    model: "resnet20",
    imagesPerSec: best && head ? head[best] : null,
    pytorchImagesPerSec: head?.["pytorch"] ?? null,
    ratio: best && head && typeof head[best] === "number" && typeof head["pytorch"] === "number"
      ? round((head[best] as number) / (head["pytorch"] as number), 3) : null,
    batch: MODELS["resnet20"]!.batch,
    threads: Number(opt.threads),
    models: summary,
  }));
}

function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}

await main();
