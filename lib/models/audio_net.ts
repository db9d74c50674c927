/**
 * The small audio net of the paper's section 6.3 (Speech Commands,
 * Warden 2018, "Speech Commands: A Dataset for Limited-Vocabulary Speech
 * Recognition", arXiv:1804.03209): "a 2-layered neural net with 20
 * channels, a 2D dropout layer and 2 full-connection layers with 1,000
 * hidden nodes"; Figure 6 calls it "LeNet5".
 *
 * That description matches the LeNet of adiyoss/GCommandsPytorch
 * (gcommand_loader + models.py), the usual PyTorch Speech Commands code
 * of the time, which we follow: conv5x5(20) - maxpool2 - ReLU -
 * conv5x5(20) - Dropout2d - maxpool2 - ReLU - flatten - dense(1000) -
 * ReLU - dense(classes). Convs are unpadded ("valid") and have biases;
 * there is no batch norm. Dropout2d zeroes whole channels (mask
 * [B, 1, 1, C]) with p = 0.5, PyTorch's default. GCommandsPytorch also
 * drops the 1000 hidden units with p = 0.5; the paper names only the 2D
 * dropout, so `denseDropout` defaults to 0 (set 0.5 for that code).
 * "Two dense layers" are dense(1000) and dense(classes); `hidden:
 * [1000, 1000]` gives the other reading (two hidden layers of 1000).
 *
 * Input: log-mel features [B, frames, mels, 1], by default 98 x 40 (our
 * data pipeline, lib/data/audio); GCommandsPytorch used 161 x 101
 * spectrograms, so the first dense layer differs in size (2,940 inputs
 * here, 16,280 there). Classes: the paper does not say which words; the
 * default 35 is every word of Speech Commands v0.02 (GCommandsPytorch's
 * default 30 is v0.01's word count).
 *
 * Parameters (98 x 40 input, 35 classes): 2,986,575 (conv 520 + 10,020;
 * dense 2,941,000 + 35,035). Weights are Kaiming-initialised as in the
 * paper's other nets; biases start at 0.
 */
import * as tf from "@tensorflow/tfjs";
import {
  callSeeds,
  conv2d,
  dense,
  dropoutMask,
  maxPool,
  type Model,
  ParamStore,
  siteSeed,
} from "./layers";
import { checkInt, checkRate, checkSeed, withDefaults } from "./validate";

export interface AudioNetConfig {
  /** Default 35 (Speech Commands v0.02, every word). */
  numClasses?: number;
  /** Time frames of the input (98 for 1 s at a 10 ms hop). */
  frames?: number;
  /** Mel bands of the input (40). */
  mels?: number;
  /** Channels of both convs (20). */
  channels?: number;
  /** Square conv kernel side (5). */
  kernelSize?: number;
  /** Hidden dense widths before the classifier ([1000]). */
  hidden?: readonly number[];
  /** Channel (2D) dropout after the second conv (0.5). */
  dropout2d?: number;
  /** Dropout on the hidden dense units (0). */
  denseDropout?: number;
  /** Seed of the initialisation (and of dropout without opts.seed). */
  seed?: number;
}

/** Side after an unpadded conv then a 2x2 pool. */
const convPool = (n: number, k: number) => Math.floor((n - k + 1) / 2);

/** The defaults of every AudioNetConfig field (section 6.3's net); lib/train's config reads them. */
export const AUDIO_NET_DEFAULTS = {
  numClasses: 35, frames: 98, mels: 40, channels: 20, kernelSize: 5, hidden: [1000] as readonly number[],
  dropout2d: 0.5, denseDropout: 0, seed: 0,
} as const satisfies Required<AudioNetConfig>;

export function audioNet(cfg: AudioNetConfig = {}): Model {
  const {
    numClasses, frames, mels, channels, kernelSize: k, hidden, dropout2d, denseDropout, seed,
  } = withDefaults(AUDIO_NET_DEFAULTS, cfg);
  const m = "audioNet";
  checkInt(m, "numClasses", numClasses);
  checkInt(m, "channels", channels);
  checkInt(m, "kernelSize", k);
  checkInt(m, "frames", frames);
  checkInt(m, "mels", mels);
  hidden.forEach((h, i) => checkInt(m, `hidden[${i}]`, h));
  checkRate(m, "dropout2d", dropout2d);
  checkRate(m, "denseDropout", denseDropout);
  checkSeed(m, seed);
  const outT = convPool(convPool(frames, k), k);
  const outF = convPool(convPool(mels, k), k);
  for (const [name, n, out] of [["frames", frames, outT],
    ["mels", mels, outF]] as const) {
    if (out < 1) {
      throw new Error(`${m}: ${name} must be >= ${3 * k + 1} for two ` +
        `${k}x${k} convs and pools, got ${n}`);
    }
  }

  const store = new ParamStore(seed);
  const conv1 = conv2d(store, "conv1", 1, channels, k, 1,
    { bias: true, padding: "valid" });
  const conv2 = conv2d(store, "conv2", channels, channels, k, 1,
    { bias: true, padding: "valid" });
  const flat = outT * outF * channels;
  const dims = [flat, ...hidden, numClasses];
  const fcs = dims.slice(1).map((d, i) =>
    dense(store, `fc${i + 1}`, dims[i]!, d));
  const nextSeed = callSeeds(seed);

  return {
    name: "audio-lenet",
    params: store.params,
    buffers: store.buffers,
    apply(x, training, opts = {}) {
      const call = nextSeed(opts.seed);
      const [B, T, F, C] = x.shape;
      if (x.rank !== 4 || T !== frames || F !== mels || C !== 1) {
        throw new Error(`${m}: input must be [B, ${frames}, ${mels}, 1], ` +
          `got [${x.shape}]`);
      }
      let h = x as tf.Tensor4D;                        // [B, 98, 40, 1]
      h = tf.relu(maxPool(conv1(h))) as tf.Tensor4D;   // [B, 47, 18, 20]
      h = conv2(h);                                    // [B, 43, 14, 20]
      if (training && dropout2d > 0) {
        const mask = dropoutMask([B!, 1, 1, channels], dropout2d,
          siteSeed(call, 0));                          // [B, 1, 1, 20]
        h = tf.mul(h, mask);
      }
      h = tf.relu(maxPool(h)) as tf.Tensor4D;          // [B, 21, 7, 20]
      let z = tf.reshape(h, [B!, flat]) as tf.Tensor2D; // [B, 2940]
      fcs.forEach((fc, i) => {
        z = fc(z);                                     // [B, 1000]
        if (i === fcs.length - 1) return;
        z = tf.relu(z);
        if (training && denseDropout > 0) {
          z = tf.mul(z, dropoutMask(z.shape, denseDropout,
            siteSeed(call, i + 1)));
        }
      });
      return z;                                        // [B, classes]
    },
    dispose: () => store.dispose(),
  };
}
