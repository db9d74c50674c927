/**
 * lib/models: the paper's networks as functional models on named
 * tf.Variables (see layers.ts for the Model interface).
 */
export {
  type ApplyOptions,
  type LanguageModel,
  type Model,
  numParams,
  ParamStore,
  type Parameterised,
  type RecurrentState,
} from "./layers";
export { resnet, type ResNetConfig } from "./resnet";
