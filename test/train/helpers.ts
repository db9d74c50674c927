/**
 * Test helpers for lib/train: tiny configs, temporary runs folders, the
 * command line as a child process, and two tiny custom models (an MLP
 * without batch norm and a one-layer RNN language model).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { cifar10Dir } from "../../lib/data";
import {
  type LanguageModel, type Model, ParamStore, type RecurrentState,
} from "../../lib/models";
import {
  type EpochMetrics, registerModel, TIMING_FIELDS, type TrainConfigInput,
} from "../../lib/train";

export const haveCifar = existsSync(join(cifar10Dir(), "test_batch.bin")) &&
  existsSync(join(cifar10Dir(), "data_batch_1.bin"));
export const skipNoCifar = haveCifar
  ? false
  : "CIFAR-10 absent: run `npm run data -- cifar10` first";

/** A fresh runs folder, removed by `done`. */
export function tempRuns(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sgdl-runs-"));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * ResNet-8 at half width on 8x8 centre crops of 100 CIFAR-10 images
 * (10 per class), 40 to test: a fraction of a second per epoch.
 */
export function tinyConfig(over: Partial<TrainConfigInput> = {}): TrainConfigInput {
  return {
    profile: "smoke",
    model: { kind: "resnet", n: 1, width: 0.5 },
    dataset: {
      name: "cifar10", trainPerClass: 10, testPerClass: 4, crop: 8,
      trainBatches: [1],
    },
    optimizer: { name: "sgdm", lr: 0.05 },
    augment: { pad: 2, flip: true },
    epochs: 3,
    batchSize: 25,
    backend: "wasm",
    ...over,
  };
}

/** History rows without their wall-time fields. */
export function results(history: EpochMetrics[]): Record<string, unknown>[] {
  return history.map((m) => {
    const out: Record<string, unknown> = { ...m };
    for (const k of TIMING_FIELDS) delete out[k];
    return out;
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The repository root (tests run from it). */
const ROOT = process.cwd();

/**
 * Starts `node --import tsx scripts/<script>` with args; `onSpawn` gets
 * the child (to kill it). Resolves when it exits.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", script), ...args], {
      cwd: ROOT,
      env: { ...process.env, SGDL_THREADS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

/** A dense classifier without batch norm: micro-batches sum exactly. */
export function registerTinyMlp(): void {
  registerModel("tiny-mlp", (args, ctx) => {
    const hidden = Number(args["hidden"] ?? 16);
    const inDim = (ctx.inputShape ?? []).reduce((a, b) => a * b, 1);
    const classes = ctx.numClasses ?? 10;
    const store = new ParamStore(ctx.seed);
    const w1 = store.heNormal("fc1/kernel", [inDim, hidden], inDim);
    const b1 = store.constant("fc1/bias", [hidden], 0);
    const w2 = store.heNormal("fc2/kernel", [hidden, classes], hidden);
    const b2 = store.constant("fc2/bias", [classes], 0);
    const model: Model = {
      name: "tiny-mlp",
      params: store.params,
      buffers: store.buffers,
      apply(x) {
        const flat = tf.reshape(x, [x.shape[0]!, inDim]);          // [B, D]
        const h = tf.relu(tf.add(tf.matMul(flat, w1), b1));          // [B, H]
        return tf.add(tf.matMul(h, w2), b2);                         // [B, C]
      },
      dispose: () => store.dispose(),
    };
    return model;
  });
}

/** A one-layer tanh RNN language model (embedding, recurrence, decoder). */
export function registerTinyLm(): void {
  registerModel("tiny-rnn", (args, ctx) => {
    const V = ctx.vocabSize ?? 16;
    const H = Number(args["hidden"] ?? 16);
    const store = new ParamStore(ctx.seed);
    const emb = store.heNormal("encoder/embedding", [V, H], H);
    const wh = store.heNormal("rnn/kernel_hh", [H, H], 4 * H);
    const wo = store.heNormal("decoder/kernel", [H, V], H);
    const bo = store.constant("decoder/bias", [V], 0);
    const lm: LanguageModel = {
      name: "tiny-rnn",
      vocabSize: V,
      params: store.params,
      buffers: store.buffers,
      initState: (b): RecurrentState => [tf.zeros([b, H])],
      apply(ids, state) {
        const [b, t] = ids.shape;
        const e = tf.gather(emb, ids);                               // [B, T, H]
        let h = state[0] as tf.Tensor2D;                             // [B, H]
        const outs: tf.Tensor2D[] = [];
        for (let s = 0; s < t; s++) {
          const x = tf.reshape(tf.slice(e, [0, s, 0], [b, 1, H]), [b, H]);
          h = tf.tanh(tf.add(x, tf.matMul(h, wh))) as tf.Tensor2D;
          outs.push(h);
        }
        const hs = tf.reshape(tf.stack(outs, 1), [b * t, H]);        // [B*T, H]
        const logits = tf.reshape(tf.add(tf.matMul(hs, wo), bo), [b, t, V]);
        return { logits: logits as tf.Tensor3D, state: [h] };
      },
      dispose: () => store.dispose(),
    };
    return lm;
  });
}
