/**
 * VGG-16 with batch normalisation for 32x32 images (Simonyan and
 * Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", ICLR 2015, configuration D; batch norm after every conv
 * as Ioffe and Szegedy 2015 suggest).
 *
 * The CIFAR variant is the one of kuangliu/pytorch-cifar (models/vgg.py,
 * `VGG('VGG16')`), the most widely used PyTorch CIFAR code: thirteen 3x3
 * convs (with bias) each followed by batch norm and ReLU, five 2x2 max
 * pools taking 32x32 down to 1x1, then a single 512 -> classes linear
 * classifier. The ImageNet classifier (4096-4096-classes with dropout)
 * would be 90% of the weights for 1x1 feature maps, and the paper uses no
 * dropout; `hidden: [512, 512]` gives the other common CIFAR classifier
 * (512-512-classes, ReLU, no dropout here).
 *
 * Parameters: 14,728,266 for 10 classes and 14,774,436 for 100, as
 * pytorch-cifar's VGG16 (convs 14,714,688 with bias, batch norm 8,448,
 * classifier 5,130 or 51,300).
 */
import * as tf from "@tensorflow/tfjs";
import {
  batchNorm2d,
  BN_RELU,
  conv2d,
  dense,
  maxPool,
  type Model,
  ParamStore,
} from "./layers";
import { checkInt, checkSeed, withDefaults } from "./validate";

/** Conv widths; "M" is a 2x2 max pool (VGG configuration D). */
export const VGG16_CFG: readonly (number | "M")[] = [
  64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
  512, 512, 512, "M", 512, 512, 512, "M",
];

export interface VggConfig {
  numClasses?: number;
  /** Input channels (3 for colour images). */
  inChannels?: number;
  /** Input height = width; a multiple of 32 (five pools). Default 32. */
  imageSize?: number;
  /** Channel multiplier for reduced profiles (default 1). */
  width?: number;
  /** Hidden widths of the classifier; default [] (512 -> classes). */
  hidden?: readonly number[];
  /** Seed of the Kaiming initialisation. */
  seed?: number;
}

/** The defaults of every VggConfig field (VGG-16-BN for 32x32 images); lib/train's config reads them. */
export const VGG16_DEFAULTS = {
  numClasses: 10, inChannels: 3, imageSize: 32, width: 1, hidden: [] as readonly number[], seed: 0,
} as const satisfies Required<VggConfig>;

export function vgg16(cfg: VggConfig = {}): Model {
  const {
    numClasses, inChannels, imageSize, width, hidden, seed,
  } = withDefaults(VGG16_DEFAULTS, cfg);
  checkInt("vgg16", "numClasses", numClasses);
  checkInt("vgg16", "inChannels", inChannels);
  checkInt("vgg16", "imageSize", imageSize);
  if (imageSize % 32 !== 0) {
    throw new Error(`vgg16: imageSize must be a multiple of 32, ` +
      `got ${imageSize}`);
  }
  if (!(width > 0) || !Number.isInteger(64 * width)) {
    throw new Error(`vgg16: width must be > 0 with 64*width whole, ` +
      `got ${width}`);
  }
  hidden.forEach((h, i) => checkInt("vgg16", `hidden[${i}]`, h));
  checkSeed("vgg16", seed);

  const store = new ParamStore(seed);
  type Layer = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
  const features: Layer[] = [];
  let ch = inChannels;
  let conv = 0;
  for (const item of VGG16_CFG) {
    if (item === "M") {
      features.push((x) => maxPool(x));
      continue;
    }
    const out = item * width;
    const c = conv2d(store, `features.${conv}.conv`, ch, out, 3, 1,
      { bias: true });
    const bn = batchNorm2d(store, `features.${conv}.bn`, out);
    features.push((x, training) =>
      bn(c(x), training, BN_RELU) as tf.Tensor4D);
    ch = out;
    conv++;
  }
  const side = imageSize / 32;
  const flat = ch * side * side;
  const dims = [flat, ...hidden, numClasses];
  const fcs = dims.slice(1).map((d, i) =>
    dense(store, `classifier.${i}`, dims[i]!, d));

  return {
    name: `vgg16_bn${width === 1 ? "" : `x${width}`}`,
    params: store.params,
    buffers: store.buffers,
    apply(x, training) {
      let h = x as tf.Tensor4D;                       // [B, 32, 32, C]
      for (const layer of features) h = layer(h, training); // [B,1,1,512w]
      let z = tf.reshape(h, [h.shape[0], flat]) as tf.Tensor2D; // [B, 512w]
      fcs.forEach((fc, i) => {
        z = fc(z);                                    // [B, hidden[i]]
        if (i < fcs.length - 1) z = tf.relu(z);
      });
      return z;                                       // [B, classes]
    },
    dispose: () => store.dispose(),
  };
}
