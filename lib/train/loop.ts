/**
 * The training loop every experiment shares: epochs of steps, evaluation
 * on the test split, divergence detection, checkpoints at epoch ends and
 * resumption from them, for classifiers (images, log-mel clips) and
 * word-level language models (truncated BPTT).
 *
 * Randomness, all from config.seed: the model's initialisation
 * (modelSeed), one data generator for shuffling and augmentation (or BPTT
 * lengths), and one dropout seed per step, mixSeed(seed, 2, step,
 * micro-batch). The generator's state and the step count are in every
 * checkpoint, so a resumed run takes exactly the steps an uninterrupted
 * one does.
 *
 * Metrics: train loss and error are running means over the epoch in
 * training mode (what a training curve shows); test metrics come from
 * a pass in training=false mode (batch-norm running statistics, no
 * dropout). Language models: loss is the mean cross-entropy per token,
 * perplexity exp(loss).
 *
 * Micro-batching (config.microBatch) sums the gradients of chunks of the
 * batch, each scaled by 1/batchSize, so the update is the full batch's;
 * but batch norm then normalises each chunk with its own statistics,
 * which differs from a full batch (as with several GPUs without synced
 * batch norm).
 */
import * as tf from "@tensorflow/tfjs";
import { awdSeqLen, batchify, bpttWindows, mixSeed, Rng } from "../data";
import {
  type EngineInfo, engineMemoryFailure, guardMemory, namedGrads, sparseSoftmaxCrossEntropy,
} from "../engine";
import { type LanguageModel, type Model, numParams, type RecurrentState } from "../models";
import { type Schedule, Stepper, type Tensors } from "../optim";
import type { Faults } from "./atomic";
import { loadCheckpoint, removeCheckpoint, saveCheckpoint, type TrainerState } from "./checkpoint";
import type { CodeVersion } from "./code";
import type { TrainConfig } from "./config";
import type { ClassifyData, TextData, TrainData } from "./data";
import { type AnyModel, buildModel, isLanguageModel } from "./models";
import { buildOptimizer, EpochClock, epochSchedule } from "./optimizer";
import type { ProgressEvent, ProgressHook } from "./progress";
import {
  type DivergenceInfo, type EpochMetrics, finite, RECORD_SCHEMA_VERSION,
  type RunRecord, type RunStatus, writeRecord,
} from "./record";

/** Seed keys under config.seed. */
const MODEL_KEY = 0;
const DATA_RNG_KEY = 1;
const DROPOUT_KEY = 2;

/**
 * The model's init seed: mixed from config.seed, and never 0, because
 * tfjs's seeded random ops treat seed 0 as "no seed" (Math.random).
 */
export function modelSeed(seed: number): number {
  return mixSeed(seed, MODEL_KEY) || 1;
}

export interface LoopContext {
  config: TrainConfig;
  id: string;
  runDir: string;
  engine: EngineInfo;
  code: CodeVersion;
  data: TrainData;
  emit: ProgressHook;
  signal: AbortSignal | null;
  faults: Faults;
}

/** How an epoch ended. */
type EpochEnd =
  | {
    kind: "ok";
    /** Sums over the epoch: loss x examples, top-1 and top-5 misses. */
    loss: number;
    errors: number;
    errors5: number;
    examples: number;
    steps: number;
    seconds: number;
  }
  | { kind: "diverged"; info: DivergenceInfo }
  | { kind: "aborted"; step: number };

/** Trains (or resumes) the run and returns its record. */
export async function runLoop(ctx: LoopContext): Promise<RunRecord> {
  const { config: cfg, data } = ctx;
  const model = buildModel(cfg.model, {
    seed: modelSeed(cfg.seed),
    numClasses: data.kind === "classify" ? data.numClasses : null,
    inputShape: data.kind === "classify" ? data.inputShape : null,
    vocabSize: data.kind === "text" ? data.vocabSize : null,
  });
  const clock = new EpochClock();
  const schedule = epochSchedule(initialLr(cfg), cfg.schedule, cfg.epochs);
  let opt: Stepper | null = null;
  let failed = false;
  try {
    const task = taskOf(model, data, cfg);
    opt = new Stepper(buildOptimizer(cfg.optimizer, schedule, clock));
    return await loop(ctx, model, task, opt, clock, schedule);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    release(() => { opt?.dispose(); model.dispose(); }, failed);
  }
}

/**
 * Frees the run's tensors. After the wasm heap has given out the module
 * is dead: nothing is touched then. A cleanup error never replaces the
 * error that ended the run (`failed`): the user sees the first one.
 */
function release(free: () => void, failed: boolean): void {
  if (engineMemoryFailure() !== null) return;
  try {
    free();
  } catch (err) {
    if (!failed) throw err;
  }
}

function initialLr(cfg: TrainConfig): number {
  return cfg.optimizer.lr;
}

/**
 * What the loop asks of one kind of training: classification (images,
 * clips) or a language model (tokens).
 */
interface Task {
  /** What an example is, in progress events and records. */
  unit: EpochMetrics["unit"];
  stepsPerEpoch: number;
  /** Whether top-5 errors are computed. */
  top5: boolean;
  /** One pass over the training data. */
  epoch(env: EpochEnv): Promise<EpochEnd>;
  /** The test metrics (`last`: the whole test split, else the configured subset). */
  evaluate(last: boolean): EvalResult;
}

/**
 * The task of a model and its data, once they are checked to fit: a
 * language model trains on text with a vocabulary at least the corpus's,
 * any other model on images or clips.
 */
function taskOf(model: AnyModel, data: TrainData, cfg: TrainConfig): Task {
  if (isLanguageModel(model)) {
    if (data.kind !== "text") {
      throw new Error(`model ${model.name} is a language model but dataset ` +
        `"${cfg.dataset.name}" is not text`);
    }
    if (model.vocabSize < data.vocabSize) {
      throw new Error(`model ${model.name} has vocabulary ${model.vocabSize}, ` +
        `the corpus ${data.vocabSize}`);
    }
    if (!("bptt" in cfg.dataset)) throw new Error(`dataset "${cfg.dataset.name}" has no bptt`);
    const spec = cfg.dataset;
    return {
      unit: "tokens",
      stepsPerEpoch: Math.max(1, Math.ceil((Math.floor(data.train.length / cfg.batchSize) - 1) / spec.bptt)),
      top5: false,
      epoch: (env) => lmEpoch(env, model, data, spec),
      evaluate: () => lmEvaluate(model, data, cfg, spec),
    };
  }
  if (data.kind === "text") {
    throw new Error(`dataset "${cfg.dataset.name}" is text but model ` +
      `${model.name} is not a LanguageModel`);
  }
  const top5 = cfg.eval.topK ?? data.numClasses >= 100;
  return {
    unit: data.unit,
    stepsPerEpoch: Math.ceil(data.trainSize / cfg.batchSize),
    top5,
    epoch: (env) => classifyEpoch(env, model, data, top5),
    evaluate: (last) => classifyEvaluate(model, data, cfg, top5, last ? undefined : cfg.eval.subsetPerClass),
  };
}

async function loop(
  ctx: LoopContext,
  model: AnyModel,
  task: Task,
  opt: Stepper,
  clock: EpochClock,
  schedule: Schedule,
): Promise<RunRecord> {
  const { config: cfg, data, runDir, id } = ctx;
  let st: TrainerState = {
    epoch: 0,
    globalStep: 0,
    initialLoss: null,
    history: [],
    rng: Rng.derive(cfg.seed, DATA_RNG_KEY).state(),
    wallSeconds: 0,
    resumedAt: [],
  };
  const restored = loadCheckpoint(runDir, id, model, opt);
  if (restored !== null) {
    st = { ...restored, resumedAt: [...restored.resumedAt, restored.epoch] };
  }
  const rng = Rng.fromState(st.rng);
  const { unit, stepsPerEpoch } = task;
  const t0 = performance.now();
  const base: ProgressEvent = {
    runId: id, phase: "start", epoch: st.epoch, epochs: cfg.epochs, step: 0,
    steps: stepsPerEpoch, loss: null, lr: schedule(st.epoch), throughput: 0, unit,
    elapsedSeconds: 0, etaSeconds: null, metrics: null, status: null, message: null,
  };
  let sessionSteps = 0;
  const eta = (epoch0: number, step: number): number | null => {
    if (sessionSteps === 0) return null;
    const perStep = (performance.now() - t0) / 1000 / sessionSteps;
    return perStep * ((cfg.epochs - epoch0 - 1) * stepsPerEpoch + (stepsPerEpoch - step));
  };
  const emit = (e: Partial<ProgressEvent>) =>
    ctx.emit({ ...base, elapsedSeconds: (performance.now() - t0) / 1000, ...e });
  emit(restored !== null
    ? { phase: "resumed", message: `resumed from the checkpoint after epoch ${st.epoch}` }
    : { phase: "start", message: `training ${model.name} on ${data.info.label}` });

  const record = (status: RunStatus, diverged: DivergenceInfo | null): RunRecord => ({
    schemaVersion: RECORD_SCHEMA_VERSION,
    id,
    status,
    config: cfg,
    profile: cfg.profile,
    seed: cfg.seed,
    engine: ctx.engine,
    code: ctx.code,
    dataset: data.info,
    model: { name: model.name, params: numParams(model) },
    history: st.history,
    diverged,
    final: st.history.at(-1) ?? null,
    resumedAt: st.resumedAt,
  });

  let status: RunStatus = "completed";
  let diverged: DivergenceInfo | null = null;
  let stoppedAt = "";
  for (let e = st.epoch; e < cfg.epochs; e++) {
    clock.epoch = e;
    const lr = schedule(e);
    const stepHook = (step: number, lossMean: number, examples: number, secs: number) => {
      sessionSteps++;
      emit({
        phase: "train", epoch: e + 1, step, loss: lossMean, lr,
        throughput: secs > 0 ? examples / secs : 0, etaSeconds: eta(e, step),
      });
    };
    const env: EpochEnv = { ctx, opt, rng, st, epoch: e, stepHook };
    const end = await task.epoch(env);
    if (end.kind === "aborted") {
      status = "interrupted";
      stoppedAt = ` at epoch ${e + 1}, step ${end.step}; run again to resume`;
      break;
    }
    if (end.kind === "diverged") {
      status = "diverged";
      diverged = end.info;
      break;
    }
    const last = e + 1 === cfg.epochs;
    const evalDue = last || (e + 1) % cfg.eval.every === 0;
    let test: EvalResult | null = null;
    let evalSeconds = 0;
    if (evalDue) {
      emit({ phase: "eval", epoch: e + 1, lr });
      const te = performance.now();
      test = task.evaluate(last);
      evalSeconds = (performance.now() - te) / 1000;
    }
    const session = (performance.now() - t0) / 1000;
    const m = metricsOf(e + 1, lr, end, test, unit, evalSeconds,
      st.wallSeconds + session, task.top5);
    st = {
      ...st,
      epoch: e + 1,
      history: [...st.history, m],
      rng: rng.state(),
    };
    emit({
      phase: "epoch", epoch: e + 1, step: end.steps, lr, metrics: m,
      etaSeconds: eta(e, stepsPerEpoch),
    });
    const every = cfg.checkpoint.every;
    if ((every > 0 && (e + 1) % every === 0 && !last) || (last && cfg.checkpoint.keep)) {
      saveCheckpoint(runDir, id, model, opt,
        { ...st, wallSeconds: st.wallSeconds + session }, ctx.faults);
      if (!last) writeRecord(runDir, record("interrupted", null), ctx.faults);
    }
    await yieldNow();
  }
  const rec = record(status, diverged);
  writeRecord(runDir, rec, ctx.faults);
  if (status !== "interrupted" && !cfg.checkpoint.keep) removeCheckpoint(runDir);
  const what = status === "diverged" && diverged !== null
    ? `diverged at epoch ${diverged.epoch}, step ${diverged.step}: ${diverged.reason}`
    : `${status}${stoppedAt}`;
  emit({ phase: "done", epoch: st.epoch, status, message: `${what}` });
  return rec;
}

interface EvalResult {
  loss: number;
  errors: number;
  errors5: number;
  n: number;
  /** The whole test split, or a fixed subset of it. */
  set: "full" | "subset";
}

function metricsOf(
  epoch: number,
  lr: number,
  end: Extract<EpochEnd, { kind: "ok" }>,
  test: EvalResult | null,
  unit: EpochMetrics["unit"],
  evalSeconds: number,
  wallSeconds: number,
  top5: boolean,
): EpochMetrics {
  const lm = unit === "tokens";
  const trainLoss = end.loss / end.examples;
  const testLoss = test === null ? null : test.loss / test.n;
  return {
    epoch,
    lr,
    steps: end.steps,
    trainLoss: finite(trainLoss),
    trainError: lm ? null : end.errors / end.examples,
    trainTop5Error: lm || !top5 ? null : end.errors5 / end.examples,
    trainPerplexity: lm ? finite(Math.exp(trainLoss)) : null,
    testLoss: testLoss === null ? null : finite(testLoss),
    testError: lm || test === null ? null : test.errors / test.n,
    testTop5Error: lm || test === null || !top5 ? null : test.errors5 / test.n,
    testPerplexity: lm && testLoss !== null ? finite(Math.exp(testLoss)) : null,
    testSet: test === null ? null : test.set,
    testExamples: test === null ? null : test.n,
    examples: end.examples,
    unit,
    epochSeconds: end.seconds,
    evalSeconds,
    wallSeconds,
    throughput: end.seconds > 0 ? end.examples / end.seconds : 0,
  };
}

// ------------------------------------------------------------- stepping

interface EpochEnv {
  ctx: LoopContext;
  opt: Stepper;
  rng: Rng;
  st: TrainerState;
  epoch: number;
  stepHook: (step: number, lossMean: number, examples: number, seconds: number) => void;
}

/** Lets timers, signals and progress displays run between steps. */
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/**
 * The divergence test for a step's loss: NaN/Inf, or above
 * maxLossRatio times the run's first loss. Returns the reason or null.
 */
function divergence(loss: number, st: TrainerState, cfg: TrainConfig): string | null {
  if (!Number.isFinite(loss)) return `loss is ${loss}`;
  const ratio = cfg.divergence.maxLossRatio;
  const first = st.initialLoss;
  if (ratio !== null && first !== null && loss > ratio * first) {
    return `loss ${loss.toPrecision(4)} > ${ratio} x the first loss ` +
      `${first.toPrecision(4)}`;
  }
  return null;
}

/**
 * Shared step bookkeeping: check the loss, then apply the update (or
 * stop). Returns a DivergenceInfo when the run must stop.
 */
function takeStep(
  env: EpochEnv,
  model: AnyModel,
  grads: Tensors,
  loss: number,
  step: number,
): DivergenceInfo | null {
  const { st, ctx } = env;
  const why = divergence(loss, st, ctx.config);
  if (why !== null) {
    tf.dispose(grads);
    return {
      epoch: env.epoch + 1,
      step,
      globalStep: st.globalStep,
      loss: finite(loss),
      reason: why,
    };
  }
  if (st.initialLoss === null) st.initialLoss = loss;
  env.opt.step(model.params, grads);
  tf.dispose(grads);
  st.globalStep++;
  return null;
}

async function classifyEpoch(env: EpochEnv, model: Model, data: ClassifyData, top5: boolean): Promise<EpochEnd> {
  const cfg = env.ctx.config;
  const t0 = performance.now();
  let loss = 0;
  let errors = 0;
  let errors5 = 0;
  let examples = 0;
  let step = 0;
  const what = { batchSize: cfg.microBatch ?? cfg.batchSize, what: `training ${model.name}` };
  for (const b of data.trainEpoch(env.rng, cfg.batchSize, cfg.augment)) {
    if (env.ctx.signal?.aborted) return { kind: "aborted", step: step + 1 };
    const seed = mixSeed(cfg.seed, DROPOUT_KEY, env.st.globalStep);
    const out = guardMemory(what, () =>
      classifyGrads(model, b.x, b.y, b.shape, data.numClasses, cfg.microBatch, seed, top5));
    step++;
    const stop = takeStep(env, model, out.grads, out.loss, step);
    if (stop !== null) return { kind: "diverged", info: stop };
    loss += out.loss * b.size;
    errors += out.errors;
    errors5 += out.errors5;
    examples += b.size;
    env.stepHook(step, loss / examples, examples, (performance.now() - t0) / 1000);
    await yieldNow();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { kind: "ok", loss, errors, errors5, examples, steps: step, seconds };
}

/**
 * Gradients of the mean cross-entropy of one batch, summed over
 * micro-batches of `micro` examples (each chunk's loss is its summed
 * cross-entropy / batch size). Returns the loss and error counts too.
 */
export function classifyGrads(
  model: Model,
  xs: Float32Array,
  ys: Int32Array,
  shape: number[],
  numClasses: number,
  micro: number | null,
  seed: number,
  top5: boolean,
): { grads: Tensors; loss: number; errors: number; errors5: number } {
  const batch = ys.length;
  const chunk = micro === null ? batch : Math.min(micro, batch);
  const per = xs.length / batch;
  let grads: Tensors | null = null;
  let loss = 0;
  let errors = 0;
  let errors5 = 0;
  for (let s = 0, i = 0; s < batch; s += chunk, i++) {
    const m = Math.min(chunk, batch - s);
    const x = tf.tensor(xs.subarray(s * per, (s + m) * per), [m, ...shape.slice(1)]);
    const y = tf.tensor1d(ys.subarray(s, s + m), "int32");
    let logits: tf.Tensor | null = null;
    const { value, grads: g } = namedGrads(() => {
      const out = model.apply(x, true, { seed: mixSeed(seed, i) });
      logits = tf.keep(out);
      const ce = tf.losses.softmaxCrossEntropy(
        tf.oneHot(y, numClasses), out, undefined, 0, tf.Reduction.NONE);
      return tf.div(tf.sum(ce), batch) as tf.Scalar;
    }, model.params);
    loss += value.dataSync()[0]!;
    const [e1, e5] = errorCounts(logits!, y, top5);
    errors += e1;
    errors5 += e5;
    tf.dispose([value, logits!, x, y]);
    if (grads === null) {
      grads = g;
    } else {
      const prev: Tensors = grads;
      const sum: Tensors = {};
      for (const k of Object.keys(prev)) sum[k] = tf.add(prev[k]!, g[k]!);
      tf.dispose([Object.values(prev), Object.values(g)]);
      grads = sum;
    }
  }
  return { grads: grads!, loss, errors, errors5 };
}

/** Top-1 and (if asked) top-5 misses of a batch. */
function errorCounts(logits: tf.Tensor, y: tf.Tensor1D, top5: boolean): [number, number] {
  return tf.tidy(() => {
    const wrong = tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), y), "float32"));
    if (!top5) return [wrong.dataSync()[0]!, 0];
    const k = Math.min(5, logits.shape[1]!);
    const top = tf.topk(logits, k).indices;
    const hit = tf.any(tf.equal(top, tf.expandDims(y, 1)), 1);
    const miss = tf.sum(tf.cast(tf.logicalNot(hit), "float32"));
    const v = tf.stack([wrong, miss]).dataSync();
    return [v[0]!, v[1]!];
  });
}

function classifyEvaluate(
  model: Model, data: ClassifyData, cfg: TrainConfig, top5: boolean, subsetPerClass?: number,
): EvalResult {
  const batchSize = cfg.eval.batchSize ?? 500;
  let loss = 0;
  let errors = 0;
  let errors5 = 0;
  let n = 0;
  const what = { batchSize, what: `evaluating ${model.name}` };
  for (const b of data.testBatches(batchSize, subsetPerClass)) {
    const [l, e1, e5] = guardMemory(what, () => tf.tidy(() => {
      const x = tf.tensor(b.x, b.shape);
      const y = tf.tensor1d(b.y, "int32");
      const logits = model.apply(x, false);
      const ce = tf.sum(tf.losses.softmaxCrossEntropy(
        tf.oneHot(y, data.numClasses), logits, undefined, 0, tf.Reduction.NONE));
      const [w1, w5] = errorCounts(logits, y, top5);
      return [ce.dataSync()[0]!, w1, w5];
    }));
    loss += l!;
    errors += e1!;
    errors5 += e5!;
    n += b.size;
  }
  return { loss, errors, errors5, n, set: subsetPerClass === undefined ? "full" : "subset" };
}

// ---------------------------------------------------- language models

/** A text dataset's config (its BPTT window). */
type TextSpec = Extract<TrainConfig["dataset"], { bptt: number }>;

async function lmEpoch(env: EpochEnv, model: LanguageModel, data: TextData, spec: TextSpec): Promise<EpochEnd> {
  const cfg = env.ctx.config;
  const b = batchify(data.train, cfg.batchSize);
  const seqLen = spec.variableBptt ? awdSeqLen(env.rng, spec.bptt) : spec.bptt;
  const t0 = performance.now();
  let state: RecurrentState = model.initState(cfg.batchSize);
  let loss = 0;
  let tokens = 0;
  let step = 0;
  const what = { batchSize: cfg.batchSize, what: `training ${model.name}` };
  try {
    for (const w of bpttWindows(b, seqLen)) {
      if (env.ctx.signal?.aborted) return { kind: "aborted", step: step + 1 };
      const seed = mixSeed(cfg.seed, DROPOUT_KEY, env.st.globalStep);
      const prev = state;
      const out = guardMemory(what, () => lmGrads(model, w.x, w.y, w.batchSize, w.len, prev, seed));
      state = out.state;
      tf.dispose(prev);
      step++;
      const stop = takeStep(env, model, out.grads, out.loss, step);
      if (stop !== null) return { kind: "diverged", info: stop };
      const n = w.batchSize * w.len;
      loss += out.loss * n;
      tokens += n;
      env.stepHook(step, loss / tokens, tokens, (performance.now() - t0) / 1000);
      await yieldNow();
    }
  } finally {
    tf.dispose(state);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { kind: "ok", loss, errors: 0, errors5: 0, examples: tokens, steps: step, seconds };
}

/**
 * One BPTT window: gradients of the mean per-token cross-entropy, and
 * the new hidden state, detached (it is a constant for the next
 * window's gradient).
 */
export function lmGrads(
  model: LanguageModel,
  xs: Int32Array,
  ys: Int32Array,
  batch: number,
  len: number,
  state: RecurrentState,
  seed: number,
): { grads: Tensors; loss: number; state: RecurrentState } {
  const x = tf.tensor2d(xs, [batch, len], "int32");
  const y = tf.tensor1d(ys, "int32");
  let next: RecurrentState = [];
  const v = model.vocabSize;
  const { value, grads } = namedGrads(() => {
    const out = model.apply(x, state, true, { seed });
    next = out.state.map((t) => tf.keep(t));
    const logits = tf.reshape(out.logits, [batch * len, v]) as tf.Tensor2D; // [B*T, V]
    return tf.mean(sparseSoftmaxCrossEntropy(logits, y)) as tf.Scalar;
  }, model.params);
  const loss = value.dataSync()[0]!;
  tf.dispose([value, x, y]);
  return { grads, loss, state: next };
}

function lmEvaluate(model: LanguageModel, data: TextData, cfg: TrainConfig, spec: TextSpec): EvalResult {
  const batchSize = cfg.eval.batchSize ?? 10;
  const b = batchify(data.test, batchSize);
  let state = model.initState(batchSize);
  let loss = 0;
  let n = 0;
  const v = model.vocabSize;
  for (const w of bpttWindows(b, spec.bptt)) {
    const prev = state;
    const [ce, ...next] = tf.tidy(() => {
      const x = tf.tensor2d(w.x, [w.batchSize, w.len], "int32");
      const y = tf.tensor1d(w.y, "int32");
      const out = model.apply(x, prev, false);
      const logits = tf.reshape(out.logits, [w.batchSize * w.len, v]) as tf.Tensor2D;
      const sum = tf.sum(sparseSoftmaxCrossEntropy(logits, y));
      return [sum, ...out.state];
    });
    loss += ce!.dataSync()[0]!;
    n += w.batchSize * w.len;
    ce!.dispose();
    tf.dispose(prev);
    state = next;
  }
  tf.dispose(state);
  return { loss, errors: 0, errors5: 0, n, set: "full" };
}
