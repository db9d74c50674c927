/**
 * Building blocks for transformations: a stateless one from a map
 * over grads, and `chain` (optax `combine.chain`), which runs
 * transformations in order, each on the previous one's output.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptState, Slots, Tensors, Transform } from '../types';

/**
 * tf.tidy for an update body: keeps the returned updates and state,
 * frees every other tensor made inside.
 */
export function tidyUpdate(
  fn: () => [Tensors, OptState],
): [Tensors, OptState] {
  // OptState holds a number and tensors: a valid TensorContainer.
  return tf.tidy(fn as () => tf.TensorContainer) as
    unknown as [Tensors, OptState];
}

/** The step count and slots that one member of a chain sees. */
function pick(state: OptState, names: readonly string[]): OptState {
  const slots: Slots = {};
  for (const n of names) slots[n] = state.slots[n] ?? {};
  return { step: state.step, slots };
}

/**
 * A transformation without slots: `fn(grads, params, step)` returns
 * the updates. Runs inside tf.tidy and always returns new tensors.
 */
export function stateless(
  fn: (grads: Tensors, params: Tensors, step: number) => Tensors,
): Transform {
  return {
    slotNames: [],
    init: () => ({ step: 0, slots: {} }),
    update: (grads, state, params) => tidyUpdate(() => {
      const out = fn(grads, params, state.step);
      // Fresh tensors only: the caller may dispose them freely.
      for (const [name, u] of Object.entries(out)) {
        if (u === grads[name]) out[name] = tf.clone(u);
      }
      return [out, { step: state.step + 1, slots: {} }];
    }),
  };
}

/** Passes gradients through unchanged (as fresh tensors). */
export function identity(): Transform {
  return stateless((grads) => ({ ...grads }));
}

/**
 * Runs `txs` in order: the updates of one are the grads of the
 * next (optax `chain`). The state is the union of the members'
 * slots, so slot names must be distinct and free of '/'.
 */
export function chain(...txs: Transform[]): Transform {
  const slotNames = txs.flatMap((tx) => tx.slotNames);
  const seen = new Set<string>();
  for (const s of slotNames) {
    if (s.includes('/') || s === '') {
      throw new Error(`chain: slot name must be non-empty ` +
        `and free of '/', got '${s}'`);
    }
    if (seen.has(s)) {
      throw new Error(`chain: slot '${s}' is used by two ` +
        `transformations; give one of them another name`);
    }
    seen.add(s);
  }
  return {
    slotNames,
    init: (params) => {
      const slots: Slots = {};
      for (const tx of txs) Object.assign(slots, tx.init(params).slots);
      return { step: 0, slots };
    },
    update: (grads, state, params) => tidyUpdate(() => {
      let updates = grads;
      const slots: Slots = {};
      for (const tx of txs) {
        const sub = pick(state, tx.slotNames);
        const [u, next] = tx.update(updates, sub, params);
        updates = u;
        Object.assign(slots, next.slots);
      }
      const out: Tensors = { ...updates };
      for (const [name, u] of Object.entries(out)) {
        if (u === grads[name]) out[name] = tf.clone(u);
      }
      return [out, { step: state.step + 1, slots }];
    }),
  };
}
