/**
 * lib/models: the paper's networks as functional models on named,
 * seeded tf.Variables (see layers.ts for the Model interfaces).
 *
 * - resnet:     ResNet-(6n+2) for CIFAR, option A (He et al. 2016)
 * - vgg16:      VGG-16 with batch norm for 32x32 (pytorch-cifar variant)
 * - densenet:   DenseNet / DenseNet-BC (Huang et al. 2017)
 * - audioNet:   the section 6.3 Speech Commands net (GCommands LeNet)
 * - awdLstm:    AWD-LSTM word language model (Merity et al. 2018)
 * - buildModel: any of them from a `{kind, ...config}` spec
 * - decayFilter / isBiasOrNormParam: which weights weight decay touches
 * - layers:     ParamStore, conv2d, batchNorm2d, dense, maxPool,
 *               dropoutMask, Model / LanguageModel interfaces, numParams
 *
 * Every constructor takes one optional-field config (defaults: the
 * paper's sizes); reduced profiles pass smaller sizes to the same code.
 * Conv and dense weights are Kaiming-initialised (see layers.ts); bad
 * arguments throw errors naming the model and parameter.
 */
export {
  type ApplyOptions,
  batchNorm2d,
  callSeeds,
  conv2d,
  type ConvOptions,
  dense,
  dropoutMask,
  type LanguageModel,
  maxPool,
  type Model,
  numParams,
  ParamStore,
  type Parameterised,
  type RecurrentState,
  siteSeed,
} from "./layers";
export { RESNET_DEFAULTS, resnet, type ResNetConfig } from "./resnet";
export { VGG16_CFG, VGG16_DEFAULTS, vgg16, type VggConfig } from "./vgg";
export { DENSENET_DEFAULTS, densenet, type DenseNetConfig } from "./densenet";
export { AUDIO_NET_DEFAULTS, audioNet, type AudioNetConfig } from "./audio_net";
export { AWD_LSTM_DEFAULTS, awdLstm, type AwdLstmConfig } from "./awd_lstm";
export {
  buildModel,
  type ClassifierSpec,
  isLanguageModelSpec,
  type LanguageModelSpec,
  MODEL_KINDS,
  type ModelKind,
  type ModelSpec,
} from "./build";
export { decayFilter, type DecayPolicy, isBiasOrNormParam } from "./decay";
