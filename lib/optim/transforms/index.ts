/**
 * Transformations: the small pieces optimizers are chained from.
 * - base:     chain, stateless, identity
 * - scale:    scale, scaleByLr (schedules welcome)
 * - decay:    addDecayedWeights (L2 or decoupled), isBiasOrNorm
 * - trace:    trace (heavy-ball / Nesterov momentum)
 * - adam:     scaleByAdam
 * - adadelta: scaleByAdadelta
 * - clip:     clipByGlobalNorm, globalNorm
 */
export { chain, identity, stateless } from './base';
export { scale, scaleByLr } from './scale';
export { addDecayedWeights, isBiasOrNorm } from './decay';
export type { DecayOptions, NamePredicate } from './decay';
export { trace } from './trace';
export { scaleByAdam } from './adam';
export type { AdamScaleOptions } from './adam';
export { scaleByAdadelta } from './adadelta';
export type { AdadeltaScaleOptions } from './adadelta';
export { clipByGlobalNorm, globalNorm } from './clip';
