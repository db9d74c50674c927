/**
 * An adapter so a transformation drives `tf.LayersModel`:
 *   model.compile({ optimizer: new ChainOptimizer(sgdm({ lr })),
 *                   loss: 'meanSquaredError' });
 * `model.fit` calls `minimize`, which calls `applyGradients` with
 * the gradients of the model's trainable variables by name.
 */
import * as tf from '@tensorflow/tfjs';
import { Stepper } from './apply';
import type { Variables } from './apply';
import type { SavedState } from './state';
import type { Tensors, Transform } from './types';

/** tfjs's NamedTensor (not exported by the package). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** A tf.Optimizer whose update rule is a transformation. */
export class ChainOptimizer extends tf.Optimizer {
  /** tfjs serialisation name. */
  static readonly className = 'ChainOptimizer';
  readonly stepper: Stepper;

  constructor(readonly tx: Transform) {
    super();
    this.stepper = new Stepper(tx);
  }

  override applyGradients(
    variableGradients: tf.NamedTensorMap | NamedTensor[],
  ): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients)
        .map(([name, tensor]) => ({ name, tensor }));
    const registered = tf.engine().registeredVariables;
    const vars: Variables = {};
    const grads: Tensors = {};
    for (const { name, tensor } of list) {
      if (tensor == null) continue; // no gradient: leave it
      const v = registered[name];
      if (v === undefined) {
        throw new Error(`ChainOptimizer: no variable '${name}'`);
      }
      vars[name] = v;
      grads[name] = tensor;
    }
    this.stepper.step(vars, grads);
    this.incrementIterations();
  }

  /** The optimizer state as plain data. */
  save(): SavedState {
    return this.stepper.save();
  }

  /** Restores `save()` output; iterations follow the step count. */
  restore(saved: SavedState): void {
    this.stepper.restore(saved);
    this.iterations_ = saved.step;
  }

  /**
   * For `model.save({ includeOptimizer })`: iter, then the slots as
   * `${param}/${slot}`. Like tfjs's optimizers, returns the state
   * tensors themselves: read them, do not dispose them.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    const state = this.stepper.state;
    if (state === null) return out;
    for (const [slot, byParam] of Object.entries(state.slots)) {
      for (const [param, t] of Object.entries(byParam)) {
        out.push({ name: `${param}/${slot}`, tensor: t });
      }
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const saved: SavedState = { step: this.iterations, tensors: [] };
    for (const { name, tensor } of rest) {
      saved.tensors.push({
        name,
        shape: [...tensor.shape],
        dtype: tensor.dtype,
        values: Array.from(await tensor.data() as ArrayLike<number>),
      });
    }
    this.stepper.restore(saved);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { slotNames: [...this.tx.slotNames] };
  }

  override dispose(): void {
    this.stepper.dispose();
    super.dispose();
  }
}
