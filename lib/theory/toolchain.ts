/**
 * The toolchain notebook's experiment (00-toolchain): SGD with a constant
 * step on a small least-squares problem with interpolation, run through
 * TensorFlow.js and lib/optim's `sgd` + `Stepper` (unlike the rest of
 * lib/theory, which is float64 JavaScript), so the notebook exercises
 * the same optimizer code the trainer uses.
 *
 *   f(x) = (1/N) sum_i 1/2 (a_i^T x - b_i)^2, ||a_i|| = 1, b = A x*:
 * every component gradient vanishes at x*, and a step on component i
 * shrinks the error along a_i by |1 - lr|: converges for 0 < lr < 2.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../data/rng";
import { sgd, Stepper } from "../optim";

export interface InterpolationOptions {
  /** Components N. */
  n: number;
  /** Dimension d. */
  dim: number;
  steps: number;
  lr: number;
  /** The problem and the component order (the same for every lr). */
  seed: number;
  /** Called after each step with the steps done. */
  onStep?: (done: number) => void;
}

/** ||x_k - x*||^2 for k = 1..steps along SGD(lr) from x_0 = 0, one random component a step. */
export function interpolationErrors(o: InterpolationOptions): number[] {
  const rng = new Rng(o.seed);
  const rows = Array.from({ length: o.n }, () => {
    const a = Array.from({ length: o.dim }, () => rng.normal());
    const norm = Math.hypot(...a);
    return a.map((v) => v / norm);
  });
  const A = tf.tensor2d(rows);                                            // [N, d]
  const xStar = tf.tensor1d(Array.from({ length: o.dim }, () => rng.normal()));
  const x0 = tf.zeros([o.dim]);
  const vars = { x: tf.variable(x0) };
  x0.dispose();
  const opt = new Stepper(sgd({ lr: o.lr }));
  const errors: number[] = [];
  try {
    for (let k = 0; k < o.steps; k++) {
      const i = rng.int(o.n);
      const g = tf.tidy(() => {
        const a = A.slice([i, 0], [1, o.dim]).reshape([o.dim]);            // [d]
        return { x: a.mul(tf.dot(a, vars.x.sub(xStar))) };                  // grad f_i
      });
      opt.step(vars, g);
      tf.dispose(Object.values(g));
      errors.push(tf.tidy(() => vars.x.sub(xStar).square().sum().arraySync() as number));
      o.onStep?.(k + 1);
    }
  } finally {
    opt.dispose();
    tf.dispose([A, xStar, vars.x]);
  }
  return errors;
}
