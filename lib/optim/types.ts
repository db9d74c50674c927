/**
 * Types of the optimizer library: an optimizer is a pure update rule
 * (a "transformation", as in optax `base.py`) over named tensors.
 */
import type * as tf from '@tensorflow/tfjs';

/** Named tensors keyed by variable name: params, grads or updates. */
export type Tensors = Record<string, tf.Tensor>;

/**
 * State tensors by slot, then by param: `slots.m['dense/kernel']`.
 * A checkpoint names each one `${param}/${slot}`
 * (`dense/kernel/m`), so slot names never contain '/'.
 */
export type Slots = Record<string, Tensors>;

/** What a transformation carries from one step to the next. */
export interface OptState {
  /** Updates computed so far: 0 before the first. */
  readonly step: number;
  readonly slots: Slots;
}

/**
 * A gradient transformation: `init(params) -> state` and
 * `update(grads, state, params) -> [updates, state]`.
 *
 * `update` is pure: it neither mutates nor disposes its inputs,
 * and it returns fresh tensors that the caller owns (dispose the
 * old state with `disposeState` once the new one is kept).
 * Updates are added to params: `param <- param + update`.
 */
export interface Transform {
  /** The slots it keeps per param, e.g. ['m', 'v'] for Adam. */
  readonly slotNames: readonly string[];
  init(params: Tensors): OptState;
  update(
    grads: Tensors, state: OptState, params: Tensors,
  ): [Tensors, OptState];
}

/** A learning rate as a function of the step (or epoch) count. */
export type Schedule = (step: number) => number;
