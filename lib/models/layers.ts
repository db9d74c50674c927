/**
 * The small pieces the paper's models are built from: a named, seeded
 * parameter store and functional layers (conv, batch norm, dense) on
 * plain tf.Variables, so optimizers see every parameter by name and the
 * batch norm can use the engine's fast-gradient op.
 */
import * as tf from "@tensorflow/tfjs";
import { batchNorm } from "../engine/ops";

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
 * `seed * 1000003 + k`, so the same seed gives the same weights on every
 * backend (tfjs draws seeded random numbers in JavaScript).
 */
export class ParamStore {
  readonly params: Record<string, tf.Variable> = {};
  readonly buffers: Record<string, tf.Variable> = {};
  private count = 0;

  constructor(private readonly seed: number) {}

  /** Kaiming (He) normal init, std = sqrt(2 / fanIn) (He et al. 2015). */
  heNormal(name: string, shape: number[], fanIn: number): tf.Variable {
    const std = Math.sqrt(2 / fanIn);
    const seed = this.seed * 1000003 + this.count++;
    const init = tf.randomNormal(shape, 0, std, "float32", seed);
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

/** A bias-free 2-D convolution, NHWC, He-initialised. */
export function conv2d(
  store: ParamStore,
  name: string,
  inCh: number,
  outCh: number,
  size: number,
  stride = 1,
): (x: tf.Tensor4D) => tf.Tensor4D {
  const w = store.heNormal(`${name}/kernel`, [size, size, inCh, outCh],
    size * size * inCh);
  return (x) => tf.conv2d(x, w as tf.Tensor4D, stride, "same");
}

/**
 * Batch normalisation (Ioffe and Szegedy 2015): batch statistics while
 * training (updating running averages with `momentum`, PyTorch's
 * convention: running = (1 - momentum) * running + momentum * batch),
 * running statistics at evaluation.
 */
export function batchNorm2d(
  store: ParamStore,
  name: string,
  ch: number,
  momentum = 0.1,
  eps = 1e-5,
): (x: tf.Tensor4D | tf.Tensor2D, training: boolean) => tf.Tensor {
  const gamma = store.constant(`${name}/gamma`, [ch], 1);
  const beta = store.constant(`${name}/beta`, [ch], 0);
  const mean = store.buffer(`${name}/running_mean`, [ch], 0);
  const variance = store.buffer(`${name}/running_var`, [ch], 1);
  return (x, training) => {
    if (!training) {
      return tf.batchNorm(x, mean, variance, beta, gamma, eps);
    }
    const out = batchNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps);
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
