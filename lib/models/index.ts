/**
 * lib/models: the paper's networks as functional models on named
 * tf.Variables (see layers.ts for the Model interface).
 */
export { type Model, numParams, ParamStore } from "./layers";
export { resnet, type ResNetConfig } from "./resnet";
