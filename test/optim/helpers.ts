/**
 * Shared by the optimizer tests: the fixed quadratic problem, a
 * loop driver and closeness checks.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  adadelta, adam, sgd, sgdl, sgdm, Stepper,
} from '../../lib/optim';
import type { Tensors, Transform, Variables } from '../../lib/optim';

/** Nested number arrays as JSON stores tensors. */
export type Nested = number | Nested[];

/** f(x) = 1/2 sum a (x - c)^2 per named param. */
export interface Quadratic {
  a: Record<string, Nested>;
  c: Record<string, Nested>;
  x0: Record<string, Nested>;
}

/** grad f = a * (x - c), the formula the torch script uses too. */
export function quadraticGrads(q: Quadratic, vars: Variables): Tensors {
  return tf.tidy(() => {
    const g: Tensors = {};
    for (const [n, v] of Object.entries(vars)) {
      g[n] = tf.mul(tf.tensor(q.a[n] as number[]),
        tf.sub(v, tf.tensor(q.c[n] as number[])));
    }
    return g;
  });
}

/** Fresh float32 variables from nested arrays. */
export function makeVars(init: Record<string, Nested>): Variables {
  const vars: Variables = {};
  for (const [n, x] of Object.entries(init)) {
    vars[n] = tf.variable(tf.tensor(x as number[]), true, undefined);
  }
  return vars;
}

/** Runs `numSteps` steps of `opt` on q; returns the params after each. */
export function runQuadratic(
  q: Quadratic, vars: Variables, opt: Stepper, numSteps: number,
): Record<string, number[]>[] {
  const out: Record<string, number[]>[] = [];
  for (let k = 0; k < numSteps; k++) {
    const grads = quadraticGrads(q, vars);
    opt.step(vars, grads);
    tf.dispose(Object.values(grads));
    out.push(snapshot(vars));
  }
  return out;
}

/** Flat float copies of named tensors. */
export function snapshot(ts: Tensors): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [n, t] of Object.entries(ts)) {
    out[n] = Array.from(t.dataSync());
  }
  return out;
}

export function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

/** Largest |got - want| / |want| over the elements. */
export function maxRelErr(got: number[], want: number[]): number {
  assert.equal(got.length, want.length, 'length');
  let worst = 0;
  got.forEach((g, i) => {
    const w = want[i] as number;
    worst = Math.max(worst, Math.abs(g - w) / Math.abs(w));
  });
  return worst;
}

/** max |got - want| / max |want|: relative error of a vector. */
export function normRelErr(got: number[], want: number[]): number {
  assert.equal(got.length, want.length, 'length');
  let diff = 0;
  let scale = 0;
  got.forEach((g, i) => {
    const w = want[i] as number;
    diff = Math.max(diff, Math.abs(g - w));
    scale = Math.max(scale, Math.abs(w));
  });
  return scale === 0 ? diff : diff / scale;
}

/** One scalar param 'x' stepped by hand: returns x after each step. */
export function scalarSteps(
  tx: Transform, x0: number, grad: (x: number) => number, n: number,
): number[] {
  const vars = { x: tf.variable(tf.scalar(x0)) };
  const opt = new Stepper(tx);
  const xs: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = vars.x.dataSync()[0] as number;
    const g = tf.scalar(grad(x));
    opt.step(vars, { x: g });
    g.dispose();
    xs.push(vars.x.dataSync()[0] as number);
  }
  opt.dispose();
  vars.x.dispose();
  return xs;
}

/** |got - want| <= tol * max(1, |want|), with a readable message. */
export function near(got: number, want: number, tol = 1e-6): void {
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)),
    `got ${got}, want ${want} (tol ${tol})`);
}

/** One instance of each of the paper's five optimizers. */
export function fiveOptimizers(): Record<string, Transform> {
  return {
    sgd: sgd({ lr: 0.1 }),
    sgdm: sgdm({ lr: 0.1, momentum: 0.9, weightDecay: 0.005 }),
    adam: adam({ lr: 0.05, weightDecay: 0.005 }),
    adadelta: adadelta({ lr: 1.0, rho: 0.9 }),
    sgdl: sgdl({ lr: 1.5, weightDecay: 0, bestSgdmLr: 0.1 }),
  };
}

/** The parabola 1/2 ||x - c||^2 over two named params. */
export const PARABOLA: Quadratic = {
  a: { w: [[1, 1], [1, 1]], b: [1, 1, 1] },
  c: { w: [[1, -2], [3, 0.5]], b: [-1, 2, 4] },
  x0: { w: [[0, 0], [0, 0]], b: [0, 0, 0] },
};
