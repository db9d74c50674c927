/**
 * Schedules: each on its own, composed, in epochs and in steps, and
 * driving scaleByLr through the step count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  constant, cosine, decreasingThenConstant, fromEpochs, multiStep,
  multiStepAtFractions, sgd, stepEvery, toSchedule,
} from '../../lib/optim';
import type { DecayShape, Schedule } from '../../lib/optim';
import { near, scalarSteps } from './helpers';

const at = (s: Schedule, ts: number[]): number[] => ts.map(s);

function closeAll(got: number[], want: number[]): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => near(g, want[i] as number, 1e-12));
}

describe('schedules', () => {
  it('constant and toSchedule', () => {
    closeAll(at(constant(0.3), [0, 7, 1e6]), [0.3, 0.3, 0.3]);
    const f: Schedule = (t) => t;
    assert.equal(toSchedule(f), f);
    assert.equal(toSchedule(0.5)(99), 0.5);
  });

  it('multiStep: the paper lr / 10 at epochs 50 and 100', () => {
    const s = multiStep(1, [50, 100]);
    closeAll(at(s, [0, 49, 50, 99, 100, 149]),
      [1, 1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('multiStepAtFractions keeps the shape at any budget', () => {
    const paper = multiStepAtFractions(1, [1 / 3, 2 / 3], 150);
    for (let t = 0; t < 150; t++) {
      near(paper(t), multiStep(1, [50, 100])(t), 1e-12);
    }
    const small = multiStepAtFractions(1, [1 / 3, 2 / 3], 9);
    closeAll(at(small, [2, 3, 5, 6]), [1, 0.1, 0.1, 0.01]);
  });

  it('stepEvery: ImageNet32 lr / 10 every 30 of 120', () => {
    closeAll(at(stepEvery(0.1, 30), [0, 29, 30, 60, 119]),
      [0.1, 0.1, 0.01, 0.001, 0.0001]);
  });

  it('cosine', () => {
    closeAll(at(cosine(1, 100), [0, 50, 100, 150]), [1, 0.5, 0, 0]);
    closeAll(at(cosine(1, 100, 0.1), [50, 200]), [0.55, 0.1]);
  });

  it('Figure 1: decreasing, then constant below the threshold', () => {
    const shapes: DecayShape[] =
      ['inverse', 'linear', 'exponential', 'cosine'];
    for (const shape of shapes) {
      const s = decreasingThenConstant(1, 0.1, 100, shape);
      near(s(0), 1, 1e-12);
      for (let t = 1; t <= 100; t++) {
        assert.ok(s(t) < s(t - 1), `${shape} falls at ${t}`);
      }
      for (const t of [100, 101, 1e4]) near(s(t), 0.1, 1e-12);
    }
    // inverse: 1 / (1 + k t), k = (1 / 0.1 - 1) / 100 = 0.09;
    // t = 50: 1 / (1 + 4.5) = 1 / 5.5
    near(decreasingThenConstant(1, 0.1, 100)(50), 1 / 5.5, 1e-12);
    // exponential: halfway is the geometric mean sqrt(1 * 0.1)
    near(decreasingThenConstant(1, 0.1, 100, 'exponential')(50),
      Math.sqrt(0.1), 1e-12);
    // switchAt 0 is SGD-CS from the start
    near(decreasingThenConstant(1, 0.1, 0)(0), 0.1, 1e-12);
  });

  it('fromEpochs: an epoch schedule counted in steps', () => {
    const s = fromEpochs(multiStep(1, [2]), 10);
    closeAll(at(s, [0, 19, 20, 35]), [1, 1, 0.1, 0.1]);
    const smooth = fromEpochs(cosine(1, 2), 10, { continuous: true });
    closeAll(at(smooth, [0, 10, 5]),
      [1, 0.5, (1 + Math.cos(Math.PI / 4)) / 2]);
    // per-epoch (default) holds the rate within an epoch
    const held = fromEpochs(cosine(1, 2), 10);
    closeAll(at(held, [0, 9, 10]), [1, 1, 0.5]);
  });

  it('scaleByLr reads the step count: lr(k) for update k + 1', () => {
    // g = 1 always; lr 1, 1, then 0.1 from step 2:
    // x: 0 - 1 = -1, -1 - 1 = -2, -2 - 0.1 = -2.1
    const tx = sgd({ lr: multiStep(1, [2]) });
    const xs = scalarSteps(tx, 0, () => 1, 3);
    xs.forEach((x, i) => near(x, [-1, -2, -2.1][i] as number));
  });

  it('a schedule going negative throws, naming the step', () => {
    const tx = sgd({ lr: (t) => 1 - t });
    assert.throws(() => scalarSteps(tx, 0, () => 1, 3),
      /scaleByLr: lr must be >= 0, got -1 at step 2/);
  });
});
