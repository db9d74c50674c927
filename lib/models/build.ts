/**
 * buildModel: one entry point from a serialisable spec (what run
 * configs and records store) to a model. The spec is a discriminated
 * union on `kind`; the other fields are that model's config.
 *
 *   buildModel({ kind: "resnet", n: 9, numClasses: 100 })   // Model
 *   buildModel({ kind: "awd-lstm", numLayers: 2 })          // LanguageModel
 */
import { type AudioNetConfig, audioNet } from "./audio_net";
import { type AwdLstmConfig, awdLstm } from "./awd_lstm";
import { type DenseNetConfig, densenet } from "./densenet";
import type { LanguageModel, Model } from "./layers";
import { type ResNetConfig, resnet } from "./resnet";
import { type VggConfig, vgg16 } from "./vgg";

export type ClassifierSpec =
  | ({ kind: "resnet" } & ResNetConfig)
  | ({ kind: "vgg16" } & VggConfig)
  | ({ kind: "densenet" } & DenseNetConfig)
  | ({ kind: "audio" } & AudioNetConfig);
export type LanguageModelSpec = { kind: "awd-lstm" } & AwdLstmConfig;
export type ModelSpec = ClassifierSpec | LanguageModelSpec;
export type ModelKind = ModelSpec["kind"];

export const MODEL_KINDS: readonly ModelKind[] = [
  "resnet", "vgg16", "densenet", "audio", "awd-lstm",
];

/** Keys each kind accepts besides `kind` (unknown keys are errors). */
const KEYS: Record<ModelKind, readonly string[]> = {
  resnet: ["n", "width", "numClasses", "inChannels", "seed"],
  vgg16: ["numClasses", "inChannels", "imageSize", "width", "hidden", "seed"],
  densenet: ["depth", "growthRate", "bottleneck", "numClasses",
    "inChannels", "seed"],
  audio: ["numClasses", "frames", "mels", "channels", "kernelSize",
    "hidden", "dropout2d", "denseDropout", "seed"],
  "awd-lstm": ["vocabSize", "numLayers", "embeddingSize", "hiddenSize",
    "tieWeights", "inputDropout", "layerDropout", "outputDropout",
    "embeddingDropout", "weightDrop", "seed"],
};

/** True for specs that build a LanguageModel. */
export function isLanguageModelSpec(
  spec: ModelSpec,
): spec is LanguageModelSpec {
  return spec.kind === "awd-lstm";
}

export function buildModel(spec: LanguageModelSpec): LanguageModel;
export function buildModel(spec: ClassifierSpec): Model;
export function buildModel(spec: ModelSpec): Model | LanguageModel;
export function buildModel(spec: ModelSpec): Model | LanguageModel {
  if (typeof spec !== "object" || spec === null) {
    throw new Error(`buildModel: spec must be an object, got ${String(spec)}`);
  }
  const kind = (spec as { kind: unknown }).kind;
  if (!MODEL_KINDS.includes(kind as ModelKind)) {
    throw new Error(`buildModel: kind must be one of ` +
      `${MODEL_KINDS.join(", ")}; got ${JSON.stringify(kind)}`);
  }
  const allowed = KEYS[kind as ModelKind];
  for (const key of Object.keys(spec)) {
    if (key !== "kind" && !allowed.includes(key)) {
      throw new Error(`buildModel: ${kind} has no option "${key}" ` +
        `(options: ${allowed.join(", ")})`);
    }
  }
  const { kind: _kind, ...cfg } = spec;
  switch (spec.kind) {
    case "resnet":
      return resnet(cfg as ResNetConfig);
    case "vgg16":
      return vgg16(cfg as VggConfig);
    case "densenet":
      return densenet(cfg as DenseNetConfig);
    case "audio":
      return audioNet(cfg as AudioNetConfig);
    case "awd-lstm":
      return awdLstm(cfg as AwdLstmConfig);
  }
}
