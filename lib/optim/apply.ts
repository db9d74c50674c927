/**
 * Driving a transformation from a hand-written loop: apply updates
 * to variables, and `Stepper`, which owns the state between steps.
 */
import * as tf from '@tensorflow/tfjs';
import {
  disposeState, extendState, loadState, saveState, stateTensors,
} from './state';
import type { SavedState } from './state';
import type { OptState, Tensors, Transform } from './types';

/** Variables keyed by name, as updated in place by a loop. */
export type Variables = Record<string, tf.Variable>;

/** vars[name] <- vars[name] + updates[name], in place. */
export function applyUpdates(vars: Variables, updates: Tensors): void {
  tf.tidy(() => {
    for (const [name, u] of Object.entries(updates)) {
      const v = vars[name];
      if (v === undefined) {
        throw new Error(`applyUpdates: no variable '${name}'`);
      }
      v.assign(tf.add(v, u));
    }
  });
}

/**
 * Marks a state's tensors kept, so an enclosing tf.tidy (model.fit
 * runs `minimize` inside one) does not free them.
 */
function keepState(state: OptState): OptState {
  for (const t of stateTensors(state)) tf.keep(t);
  return state;
}

/**
 * Holds a transformation's state across steps:
 *   const opt = new Stepper(sgdm({ lr: 0.1 }));
 *   opt.step(vars, grads);   // state created on the first call
 * Tensors stay flat: each step frees the old state and the updates;
 * state tensors are tf.keep'd so they outlive an enclosing tf.tidy.
 */
export class Stepper {
  private state_: OptState | null = null;

  constructor(readonly tx: Transform) {}

  /** The current state (null before the first step or restore). */
  get state(): OptState | null {
    return this.state_;
  }

  /** Steps taken so far (restored with the state). */
  get numSteps(): number {
    return this.state_?.step ?? 0;
  }

  /** One update: runs the chain on grads, applies it to vars. */
  step(vars: Variables, grads: Tensors): void {
    const params: Tensors = vars;
    if (this.state_ === null) {
      this.state_ = keepState(this.tx.init(params));
    } else if (this.lacksAny(grads)) {
      const old = this.state_;
      this.state_ = keepState(extendState(this.tx, old, params));
      disposeState(old);
    }
    const [updates, next] = this.tx.update(grads, this.state_, params);
    applyUpdates(vars, updates);
    tf.dispose(Object.values(updates));
    disposeState(this.state_);
    this.state_ = keepState(next);
  }

  /** The state as plain data (see `saveState`). */
  save(): SavedState {
    if (this.state_ === null) {
      throw new Error('Stepper.save: no state yet (take a step first)');
    }
    return saveState(this.state_);
  }

  /** Replaces the state with a saved one; the run resumes exactly. */
  restore(saved: SavedState): void {
    const next = keepState(loadState(saved, this.tx));
    if (this.state_ !== null) disposeState(this.state_);
    this.state_ = next;
  }

  /** Frees the state. */
  dispose(): void {
    if (this.state_ !== null) disposeState(this.state_);
    this.state_ = null;
  }

  private lacksAny(grads: Tensors): boolean {
    const first = this.tx.slotNames[0];
    if (first === undefined || this.state_ === null) return false;
    const have = this.state_.slots[first] ?? {};
    return Object.keys(grads).some((n) => !(n in have));
  }
}
