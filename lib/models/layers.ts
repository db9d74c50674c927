/**
 * The small pieces the paper's models are built from: a named, seeded
 * parameter store and functional layers (conv, batch norm, dense, max
 * pool, seeded dropout masks) on plain tf.Variables, so optimizers see
 * every parameter by name and the batch norm can use the engine's
 * fast-gradient op.
 *
 * Initialisation (the paper's A.3.1: Kaiming): conv and dense weights
 * are He-normal with fan-in, std = sqrt(2 / fanIn) (He et al. 2015);
 * biases 0; batch norm gamma 1, beta 0. The LSTM follows AWD-LSTM's own
 * uniform init (awd_lstm.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { batchNorm, type BatchNormOptions } from "../engine/ops";

/** Per-call options of a forward pass. */
export interface ApplyOptions {
  /**
   * Seed of this call's random draws (dropout masks). The trainer derives
   * one per step from the run's seed, so runs are reproducible.
   */
  seed?: number;
}

/** What every model has: named parameters and buffers. */
export interface Parameterised {
  readonly name: string;
  /** Trainable parameters by name, e.g. "stage1.0.conv1/kernel". */
  readonly params: Record<string, tf.Variable>;
  /** Non-trainable state by name, e.g. batch-norm running statistics. */
  readonly buffers: Record<string, tf.Variable>;
  dispose(): void;
}

/** A classifier: inputs [B, ...] to logits [B, classes]. */
export interface Model extends Parameterised {
  /** Logits for a batch; `training` selects batch statistics, dropout. */
  apply(x: tf.Tensor, training: boolean, opts?: ApplyOptions): tf.Tensor;
}

/** Recurrent state carried across BPTT windows: one tensor per slot. */
export type RecurrentState = tf.Tensor[];

/** A word-level language model: token ids [B, T] to logits [B, T, V]. */
export interface LanguageModel extends Parameterised {
  readonly vocabSize: number;
  /** Zero state for a batch of `batchSize` sequences. */
  initState(batchSize: number): RecurrentState;
  apply(
    ids: tf.Tensor2D,
    state: RecurrentState,
    training: boolean,
    opts?: ApplyOptions,
  ): { logits: tf.Tensor3D; state: RecurrentState };
}

/** Total number of trainable scalars. */
export function numParams(model: Pick<Model, "params">): number {
  return Object.values(model.params).reduce((n, v) => n + v.size, 0);
}

/**
 * Creates named variables from one seed: the k-th parameter gets seed
 * `seed * 1000003 + k + 1`, so the same seed gives the same weights on
 * every backend (tfjs draws seeded random numbers in JavaScript). The
 * `+ 1` matters: tfjs's normal sampler treats seed 0 as "unseeded".
 */
export class ParamStore {
  readonly params: Record<string, tf.Variable> = {};
  readonly buffers: Record<string, tf.Variable> = {};
  private count = 0;

  constructor(private readonly seed: number) {}

  /** Kaiming (He) normal init, std = sqrt(2 / fanIn) (He et al. 2015). */
  heNormal(name: string, shape: number[], fanIn: number): tf.Variable {
    const std = Math.sqrt(2 / fanIn);
    const seed = this.seed * 1000003 + ++this.count;
    const init = tf.randomNormal(shape, 0, std, "float32", seed);
    return this.add(name, init);
  }

  /**
   * Uniform init on [-limit, limit], seeded like heNormal (PyTorch's
   * default for LSTM weights and AWD-LSTM's embedding use this).
   */
  uniform(name: string, shape: number[], limit: number): tf.Variable {
    const seed = this.seed * 1000003 + ++this.count;
    const init = tf.randomUniform(shape, -limit, limit, "float32", seed);
    return this.add(name, init);
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  buffer(name: string, shape: number[], value: number): tf.Variable {
    if (name in this.buffers) throw new Error(`duplicate buffer ${name}`);
    const init = tf.fill(shape, value);
    const v = tf.variable(init, false);
    init.dispose();
    this.buffers[name] = v;
    return v;
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    if (name in this.params) throw new Error(`duplicate parameter ${name}`);
    // Unnamed: tfjs names must be unique per process, and several models
    // may live in one notebook. Our names are the record keys.
    const v = tf.variable(init, true);
    init.dispose();
    this.params[name] = v;
    return v;
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
    for (const v of Object.values(this.buffers)) v.dispose();
  }
}

/** Options of conv2d beyond its sizes. */
export interface ConvOptions {
  /** Add a zero-initialised bias (default false: batch norm follows). */
  bias?: boolean;
  /** "same" (default) or "valid" (no padding). */
  padding?: "same" | "valid";
}

/**
 * A 2-D convolution, NHWC, He-initialised, bias-free unless asked
 * (kernel [size, size, inCh, outCh], bias [outCh]).
 */
export function conv2d(
  store: ParamStore,
  name: string,
  inCh: number,
  outCh: number,
  size: number,
  stride = 1,
  opts: ConvOptions = {},
): (x: tf.Tensor4D) => tf.Tensor4D {
  const w = store.heNormal(`${name}/kernel`, [size, size, inCh, outCh],
    size * size * inCh);
  const b = opts.bias === true
    ? store.constant(`${name}/bias`, [outCh], 0)
    : null;
  const padding = opts.padding ?? "same";
  return (x) => {
    const y = tf.conv2d(x, w as tf.Tensor4D, stride, padding);
    return b === null ? y : tf.add(y, b);
  };
}

/** A batch-norm layer: `then` folds a residual add and ReLU into it. */
export type BatchNormLayer = (
  x: tf.Tensor4D | tf.Tensor2D,
  training: boolean,
  then?: BatchNormOptions,
) => tf.Tensor;

/** `then` of a batch norm followed by ReLU. */
export const BN_RELU: BatchNormOptions = { relu: true };

/**
 * Batch normalisation (Ioffe and Szegedy 2015): batch statistics while
 * training (updating running averages with `momentum`, PyTorch's
 * convention: running = (1 - momentum) * running + momentum * batch),
 * running statistics at evaluation. `then: {residual, relu}` computes
 * relu(bn(x) + residual) in one fused op where the engine has one.
 */
export function batchNorm2d(
  store: ParamStore,
  name: string,
  ch: number,
  momentum = 0.1,
  eps = 1e-5,
): BatchNormLayer {
  const gamma = store.constant(`${name}/gamma`, [ch], 1);
  const beta = store.constant(`${name}/beta`, [ch], 0);
  const mean = store.buffer(`${name}/running_mean`, [ch], 0);
  const variance = store.buffer(`${name}/running_var`, [ch], 1);
  return (x, training, then = {}) => {
    if (!training) {
      return tf.tidy(() => {
        let y = tf.batchNorm(x, mean, variance, beta, gamma, eps);
        if (then.residual !== undefined) y = tf.add(y, then.residual);
        return then.relu === true ? tf.relu(y) : y;
      });
    }
    const out = batchNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps,
      then);
    const n = x.size / ch;
    tf.tidy(() => {
      // PyTorch stores the unbiased variance in its running average.
      const unbiased = tf.mul(out.variance, n / Math.max(n - 1, 1));
      mean.assign(tf.add(tf.mul(mean, 1 - momentum),
        tf.mul(out.mean, momentum)));
      variance.assign(tf.add(tf.mul(variance, 1 - momentum),
        tf.mul(unbiased, momentum)));
    });
    out.mean.dispose();
    out.variance.dispose();
    return out.y;
  };
}

/** A fully connected layer with bias, He-initialised weights. */
export function dense(
  store: ParamStore,
  name: string,
  inDim: number,
  outDim: number,
): (x: tf.Tensor2D) => tf.Tensor2D {
  const w = store.heNormal(`${name}/kernel`, [inDim, outDim], inDim);
  const b = store.constant(`${name}/bias`, [outDim], 0);
  return (x) => tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

/** 2x2 (by default) max pooling with stride = size, NHWC. */
export function maxPool(x: tf.Tensor4D, size = 2): tf.Tensor4D {
  return tf.maxPool(x, size, size, "valid");
}

/**
 * The seed of dropout site `site` in one forward call. Sites of one call
 * get distinct seeds; so do calls with distinct seeds (for sites below
 * 7919 and seeds below 2^40, where the arithmetic is exact).
 */
export function siteSeed(callSeed: number, site: number): number {
  return (callSeed * 7919 + site * 104729 + 1) % 2147483647;
}

/**
 * A dropout mask: 0 with probability `rate`, else 1 / (1 - rate)
 * (inverted dropout, so evaluation needs no rescaling). It is a
 * constant: no gradient flows into it. Broadcast it against the input
 * to drop whole channels, words or time-locked units.
 */
export function dropoutMask(
  shape: number[],
  rate: number,
  seed: number,
): tf.Tensor {
  return tf.tidy(() => {
    const u = tf.randomUniform(shape, 0, 1, "float32", seed);
    const keep = tf.cast(tf.greaterEqual(u, rate), "float32");
    return tf.mul(keep, 1 / (1 - rate));
  });
}

/**
 * Per-call seeds for models with dropout: `opts.seed` when given, else
 * the next of a sequence started from the model's seed, so a run with
 * no per-step seeds is still reproducible.
 */
export function callSeeds(modelSeed: number): (given?: number) => number {
  let calls = 0;
  return (given) => given ?? siteSeed(modelSeed, 1000 + calls++);
}
