/**
 * DenseNet for 32x32 images (Huang, Liu, van der Maaten and Weinberger,
 * "Densely Connected Convolutional Networks", CVPR 2017, section 3 and
 * Table 2): a 3x3 stem conv, three dense blocks joined by transitions
 * (BN-ReLU-conv1x1-avgpool2), then BN-ReLU, global average pooling and
 * a dense layer. Inside a block each layer sees the concatenation of all
 * earlier outputs and adds `growthRate` (k) channels.
 *
 * - Plain DenseNet: layer = BN-ReLU-conv3x3(k); (depth - 4) / 3 layers per
 *   block; stem 16 channels; transitions keep the channel count.
 * - DenseNet-BC: layer = BN-ReLU-conv1x1(4k)-BN-ReLU-conv3x3(k), so
 *   (depth - 4) / 6 layers per block; stem 2k channels; transitions
 *   halve the channels (compression 0.5).
 *
 * The paper (section 6.1) says "a DenseNet with 100 layers and growth
 * rate k = 12" without naming the variant. The default is DenseNet-BC:
 * it is what the common PyTorch CIFAR code builds for depth 100, k = 12
 * (bamos/densenet.pytorch defaults to bottleneck and reduction 0.5), and
 * it needs 9x fewer weights and ~6x fewer multiply-adds (0.29 G vs
 * 1.8 G per image), which matters on the cpu profile. The plain one is
 * a little more accurate in Huang et al.'s Table 2 (CIFAR-10+ error
 * 4.10% vs 4.51%) and is the literal reading of the paper's words;
 * `bottleneck: false` gives it.
 *
 * Parameters, measured and by formula (test/models): DenseNet-BC
 * (L=100, k=12) 769,162 for 10 classes and 800,032 for 100, as in
 * osmr/imgclsmob's CIFAR model table (Huang et al.: 0.8M); DenseNet
 * (L=100, k=12) 6,979,642 (Huang et al.: 7.0M) and DenseNet (L=40,
 * k=12) 1,019,722 (Huang et al.: 1.0M). Convs are bias-free; no dropout
 * (the paper uses none).
 */
import * as tf from "@tensorflow/tfjs";
import {
  batchNorm2d,
  BN_RELU,
  conv2d,
  dense,
  type Model,
  ParamStore,
} from "./layers";
import { checkInt, checkSeed, withDefaults } from "./validate";

export interface DenseNetConfig {
  /** L: 3 * layersPerBlock + 4 (plain), 6 * layersPerBlock + 4 (BC). */
  depth?: number;
  /** k: channels each layer adds. */
  growthRate?: number;
  /** DenseNet-BC (bottleneck + compression 0.5); default true. */
  bottleneck?: boolean;
  numClasses?: number;
  inChannels?: number;
  /** Seed of the Kaiming initialisation. */
  seed?: number;
}

type Layer = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

/** The defaults of every DenseNetConfig field (the paper's L = 100, k = 12, BC); lib/train's config reads them. */
export const DENSENET_DEFAULTS = {
  depth: 100, growthRate: 12, bottleneck: true, numClasses: 10, inChannels: 3, seed: 0,
} as const satisfies Required<DenseNetConfig>;

export function densenet(cfg: DenseNetConfig = {}): Model {
  const {
    depth, growthRate: k, bottleneck, numClasses, inChannels, seed,
  } = withDefaults(DENSENET_DEFAULTS, cfg);
  checkInt("densenet", "depth", depth);
  checkInt("densenet", "growthRate", k);
  checkInt("densenet", "numClasses", numClasses);
  checkInt("densenet", "inChannels", inChannels);
  checkSeed("densenet", seed);
  const per = bottleneck ? 6 : 3;
  if (depth < per + 4 || (depth - 4) % per !== 0) {
    throw new Error(`densenet: depth must be ${per}m + 4 with m >= 1 ` +
      `(${bottleneck ? "DenseNet-BC" : "plain DenseNet"}), got ${depth}`);
  }
  const layersPerBlock = (depth - 4) / per;

  const store = new ParamStore(seed);
  let ch = bottleneck ? 2 * k : 16;
  const stem = conv2d(store, "stem.conv", inChannels, ch, 3);
  const stages: Layer[] = [];
  for (let b = 0; b < 3; b++) {
    for (let i = 0; i < layersPerBlock; i++) {
      const layer = denseLayer(store, `block${b + 1}.${i}`, ch, k,
        bottleneck);
      stages.push((x, training) =>               // [B, H, W, ch]
        tf.concat([x, layer(x, training)], 3));  // [B, H, W, ch + k]
      ch += k;
    }
    if (b < 2) {
      const out = bottleneck ? Math.floor(ch / 2) : ch;
      stages.push(transition(store, `trans${b + 1}`, ch, out));
      ch = out;
    }
  }
  const finalBn = batchNorm2d(store, "final.bn", ch);
  const fc = dense(store, "fc", ch, numClasses);
  const variant = bottleneck ? "densenet-bc" : "densenet";

  return {
    name: `${variant}${depth}k${k}`,
    params: store.params,
    buffers: store.buffers,
    apply(x, training) {
      let h = stem(x as tf.Tensor4D);                // [B, 32, 32, 2k|16]
      for (const stage of stages) h = stage(h, training); // [B, 8, 8, ch]
      h = finalBn(h, training, BN_RELU) as tf.Tensor4D;
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;    // [B, ch]
      return fc(pooled);                                   // [B, classes]
    },
    dispose: () => store.dispose(),
  };
}

/** BN-ReLU-conv3x3(k), after BN-ReLU-conv1x1(4k) for DenseNet-BC. */
function denseLayer(
  store: ParamStore,
  name: string,
  inCh: number,
  k: number,
  bottleneck: boolean,
): Layer {
  const bn1 = batchNorm2d(store, `${name}.bn1`, inCh);
  if (!bottleneck) {
    const conv = conv2d(store, `${name}.conv`, inCh, k, 3);
    return (x, training) =>                            // [B, H, W, inCh]
      conv(bn1(x, training, BN_RELU) as tf.Tensor4D);  // [B, H, W, k]
  }
  const conv1 = conv2d(store, `${name}.conv1`, inCh, 4 * k, 1);
  const bn2 = batchNorm2d(store, `${name}.bn2`, 4 * k);
  const conv2 = conv2d(store, `${name}.conv2`, 4 * k, k, 3);
  return (x, training) => {
    const h = conv1(bn1(x, training, BN_RELU) as tf.Tensor4D); // [B,H,W,4k]
    return conv2(bn2(h, training, BN_RELU) as tf.Tensor4D);    // [B,H,W,k]
  };
}

/** BN-ReLU-conv1x1-avgpool2: halves height and width. */
function transition(
  store: ParamStore,
  name: string,
  inCh: number,
  outCh: number,
): Layer {
  const bn = batchNorm2d(store, `${name}.bn`, inCh);
  const conv = conv2d(store, `${name}.conv`, inCh, outCh, 1);
  return (x, training) => {
    const h = conv(bn(x, training, BN_RELU) as tf.Tensor4D); // [B,H,W,out]
    return tf.avgPool(h, 2, 2, "valid");               // [B, H/2, W/2, out]
  };
}
