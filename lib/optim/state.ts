/**
 * Optimizer state bookkeeping: dispose, extend to new params, and
 * save/restore as plain named arrays plus the step count, so a run
 * can be checkpointed and resumed bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptState, Slots, Tensors, Transform } from './types';

/** Every tensor of a state, flat. */
export function stateTensors(state: OptState): tf.Tensor[] {
  return Object.values(state.slots)
    .flatMap((byParam) => Object.values(byParam));
}

/** Frees the tensors of a state (explicit, as tfjs requires). */
export function disposeState(state: OptState): void {
  tf.dispose(stateTensors(state));
}

/** The tensor of `slot` for `param`, or an error naming both. */
export function slotTensor(
  state: OptState, slot: string, param: string,
): tf.Tensor {
  const t = state.slots[slot]?.[param];
  if (t === undefined) {
    throw new Error(
      `optimizer state has no slot '${param}/${slot}' ` +
      `(was init called with param '${param}'?)`);
  }
  return t;
}

/** Zeros shaped like each param: the usual initial slot. */
export function zerosLike(params: Tensors): Tensors {
  const out: Tensors = {};
  for (const [name, p] of Object.entries(params)) {
    out[name] = tf.zerosLike(p);
  }
  return out;
}

/**
 * Slots of `next` plus fresh clones of the entries of `prev` that
 * `next` lacks (params that got no gradient this step).
 */
export function carryOver(prev: Tensors, next: Tensors): Tensors {
  const out: Tensors = { ...next };
  for (const [name, t] of Object.entries(prev)) {
    if (!(name in out)) out[name] = tf.clone(t);
  }
  return out;
}

/**
 * Adds zero-initialised slots for params that `state` lacks (a
 * layer unfrozen mid-run). Returns a new state; `state` stays valid.
 */
export function extendState(
  tx: Transform, state: OptState, params: Tensors,
): OptState {
  const fresh: Tensors = {};
  const first = tx.slotNames[0];
  for (const [name, p] of Object.entries(params)) {
    if (first !== undefined && !(name in (state.slots[first] ?? {}))) {
      fresh[name] = p;
    }
  }
  const added = tx.init(fresh);
  const slots: Slots = {};
  for (const slot of tx.slotNames) {
    const old: Tensors = {};
    for (const [n, t] of Object.entries(state.slots[slot] ?? {})) {
      old[n] = tf.clone(t);
    }
    slots[slot] = { ...old, ...added.slots[slot] };
  }
  return { step: state.step, slots };
}

/** One state tensor as plain data; `name` is `${param}/${slot}`. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: tf.DataType;
  values: number[];
}

/** A whole state as plain, JSON-safe data. */
export interface SavedState {
  step: number;
  tensors: SavedTensor[];
}

/**
 * Plain copy of a state. float32 values survive the trip through
 * JS numbers (and JSON) exactly, so a restored run is bitwise equal.
 */
export function saveState(state: OptState): SavedState {
  const tensors: SavedTensor[] = [];
  for (const [slot, byParam] of Object.entries(state.slots)) {
    for (const [param, t] of Object.entries(byParam)) {
      tensors.push({
        name: `${param}/${slot}`,
        shape: [...t.shape],
        dtype: t.dtype,
        values: Array.from(t.dataSync() as ArrayLike<number>),
      });
    }
  }
  return { step: state.step, tensors };
}

/**
 * Rebuilds a state from `saveState` output. With `tx`, checks that
 * every slot belongs to it (the name's last segment is the slot).
 */
export function loadState(
  saved: SavedState, tx?: Transform,
): OptState {
  if (!Number.isInteger(saved.step) || saved.step < 0) {
    throw new Error(`loadState: step must be an integer >= 0, ` +
      `got ${saved.step}`);
  }
  const slots: Slots = {};
  for (const name of tx?.slotNames ?? []) slots[name] = {};
  for (const s of saved.tensors) {
    const cut = s.name.lastIndexOf('/');
    const param = s.name.slice(0, cut);
    const slot = s.name.slice(cut + 1);
    if (cut <= 0 || (tx && !tx.slotNames.includes(slot))) {
      tf.dispose(stateTensors({ step: 0, slots }));
      throw new Error(`loadState: unexpected state tensor ` +
        `'${s.name}' (slots: ${tx?.slotNames.join(', ')})`);
    }
    const bySlot = (slots[slot] ??= {});
    bySlot[param] = tf.tensor(s.values, s.shape, s.dtype);
  }
  return { step: saved.step, slots };
}
