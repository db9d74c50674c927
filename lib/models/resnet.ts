/**
 * ResNet-(6n+2) for 32x32 images (He, Zhang, Ren and Sun, "Deep Residual
 * Learning for Image Recognition", CVPR 2016, section 4.2): a 3x3 conv
 * with 16 channels, three stages of n basic blocks with 16, 32 and 64
 * channels (times `width`), global average pooling and a dense layer.
 * n = 3, 9, 18 give ResNet-20, -56 and -110.
 *
 * Shortcuts are option A of the paper (identity; where the shape changes,
 * subsample by 2 and zero-pad the new channels): it adds no parameters,
 * so the counts are the paper's (ResNet-20 0.27 M, -56 0.85 M, -110 1.7 M),
 * and it is what the CIFAR experiments of He et al. use.
 *
 * Parameters (10 classes): ResNet-20 269,722, -56 853,018, -110
 * 1,727,962 (convs bias-free, batch norm gamma/beta, dense with bias).
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

export interface ResNetConfig {
  /** Blocks per stage; depth = 6n + 2. */
  n: number;
  /** Channel multiplier (ImageNet32 uses 4). */
  width?: number;
  numClasses?: number;
  /** Input channels (3 for colour images). */
  inChannels?: number;
  /** Seed of the Kaiming initialisation. */
  seed?: number;
}

/** The defaults of ResNetConfig's optional fields; lib/train's config reads them. */
export const RESNET_DEFAULTS = {
  width: 1, numClasses: 10, inChannels: 3, seed: 0,
} as const satisfies Required<Omit<ResNetConfig, "n">>;

export function resnet(cfg: ResNetConfig): Model {
  const { n, width, numClasses, inChannels, seed } = withDefaults(RESNET_DEFAULTS, cfg);
  checkInt("resnet", "n", n);
  checkInt("resnet", "numClasses", numClasses);
  checkInt("resnet", "inChannels", inChannels);
  checkSeed("resnet", seed);
  if (!(width > 0) || !Number.isInteger(16 * width)) {
    throw new Error(`resnet: width must be > 0 with 16*width whole, ` +
      `got ${width}`);
  }
  const store = new ParamStore(seed);
  const c = [16, 32, 64].map((k) => k * width) as [number, number, number];
  const stem = conv2d(store, "stem.conv", inChannels, c[0], 3);
  const stemBn = batchNorm2d(store, "stem.bn", c[0]);
  type Block = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
  const blocks: Block[] = [];
  let inCh = c[0];
  c.forEach((outCh, s) => {
    for (let b = 0; b < n; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      blocks.push(basicBlock(store, `stage${s + 1}.${b}`, inCh, outCh, stride));
      inCh = outCh;
    }
  });
  const fc = dense(store, "fc", c[2], numClasses);
  return {
    name: `resnet${6 * n + 2}${width === 1 ? "" : `x${width}`}`,
    params: store.params,
    buffers: store.buffers,
    apply(x, training) {
      let h = x as tf.Tensor4D;                        // [B, 32, 32, C]
      h = stemBn(stem(h), training, BN_RELU) as tf.Tensor4D;   // [B,32,32,16w]
      for (const block of blocks) h = block(h, training);   // [B, 8, 8, 64w]
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;      // [B, 64w]
      return fc(pooled);                                     // [B, classes]
    },
    dispose: () => store.dispose(),
  };
}

/** conv3x3-bn-relu-conv3x3-bn, plus the option-A shortcut, then relu. */
function basicBlock(
  store: ParamStore,
  name: string,
  inCh: number,
  outCh: number,
  stride: number,
): (x: tf.Tensor4D, training: boolean) => tf.Tensor4D {
  const conv1 = conv2d(store, `${name}.conv1`, inCh, outCh, 3, stride);
  const bn1 = batchNorm2d(store, `${name}.bn1`, outCh);
  const conv2 = conv2d(store, `${name}.conv2`, outCh, outCh, 3);
  const bn2 = batchNorm2d(store, `${name}.bn2`, outCh);
  const pad = (outCh - inCh) / 2;
  const shortcut = (x: tf.Tensor4D): tf.Tensor4D => {
    if (stride === 1 && pad === 0) return x;
    // Subsample by `stride` and zero-pad channels (option A).
    const sub = stride === 1 ? x : tf.avgPool(x, 1, stride, "valid");
    return tf.pad(sub, [[0, 0], [0, 0], [0, 0], [pad, pad]]);
  };
  return (x, training) => {
    const h = bn1(conv1(x), training, BN_RELU) as tf.Tensor4D;
    // relu(bn2(conv2(h)) + shortcut(x)), one fused op where possible.
    return bn2(conv2(h), training, { residual: shortcut(x), relu: true }) as
      tf.Tensor4D;
  };
}
