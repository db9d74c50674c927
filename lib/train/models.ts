/**
 * The one place where a config's model gets built: the paper's networks
 * through lib/models' `buildModel`, with what the data decides (classes,
 * input shape, vocabulary) and the run's seed filled in; `kind: "custom"`
 * through a registry, for a notebook's own network.
 */
import {
  buildModel as buildLibModel, type LanguageModel, type Model,
} from "../models";
import type { ModelSpec } from "./config";

/** What a factory is told about the data and the run. */
export interface ModelContext {
  /** Seed of the initialisation (the run's seed). */
  seed: number;
  /** Classification: classes and one example's shape [h, w, c]. */
  numClasses: number | null;
  inputShape: number[] | null;
  /** Language models: vocabulary size. */
  vocabSize: number | null;
}

export type AnyModel = Model | LanguageModel;

export type ModelFactory = (
  args: Record<string, unknown>,
  ctx: ModelContext,
) => AnyModel;

const registry = new Map<string, ModelFactory>();

/**
 * Makes `{ kind: "custom", name, args }` build with `factory`. The
 * factory's code is not part of the run's hash: give a changed model a
 * new name (or a version in `args`).
 */
export function registerModel(name: string, factory: ModelFactory): void {
  registry.set(name, factory);
}

/** The names `registerModel` knows. */
export function registeredModels(): string[] {
  return [...registry.keys()].sort();
}

/** True for a LanguageModel (token ids and recurrent state). */
export function isLanguageModel(m: AnyModel): m is LanguageModel {
  return typeof (m as Partial<LanguageModel>).initState === "function";
}

function need<T>(v: T | null, what: string, kind: string): T {
  if (v === null) throw new Error(`model ${kind}: the dataset gives no ${what}`);
  return v;
}

/** Builds the model a config names. */
export function buildModel(spec: ModelSpec, ctx: ModelContext): AnyModel {
  const { seed } = ctx;
  switch (spec.kind) {
    case "resnet":
    case "vgg16":
    case "densenet": {
      const numClasses = need(ctx.numClasses, "classes", spec.kind);
      const [h, , c] = need(ctx.inputShape, "image shape", spec.kind);
      const inChannels = c ?? 3;
      if (spec.kind === "resnet") {
        return buildLibModel({ ...spec, numClasses, inChannels, seed });
      }
      if (spec.kind === "vgg16") {
        return buildLibModel({ ...spec, numClasses, inChannels, imageSize: h ?? 32, seed });
      }
      return buildLibModel({ ...spec, numClasses, inChannels, seed });
    }
    case "audio": {
      const numClasses = need(ctx.numClasses, "classes", spec.kind);
      const [frames, mels] = need(ctx.inputShape, "feature shape", spec.kind);
      return buildLibModel({ ...spec, numClasses, frames: frames!, mels: mels!, seed });
    }
    case "awd-lstm": {
      const vocabSize = need(ctx.vocabSize, "vocabulary", spec.kind);
      return buildLibModel({ ...spec, vocabSize, seed });
    }
    case "custom": {
      const factory = registry.get(spec.name);
      if (factory === undefined) {
        const known = registeredModels();
        throw new Error(`model.name: no custom model "${spec.name}" is ` +
          `registered (registerModel); known: ${known.join(", ") || "none"}`);
      }
      return factory(spec.args, ctx);
    }
  }
}
