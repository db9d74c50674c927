/**
 * Learning-rate schedules: plain `(step) => lr` functions (optax
 * `schedule.py`, nanoGPT `get_lr`). A schedule counts in whatever
 * unit it is called with; `fromEpochs` turns an epoch schedule into
 * a step schedule. Join them with `joinSchedules` / `warmupThen`.
 */
import type { Schedule } from './types';
import {
  checkInt, checkNonNegative, checkPositive,
} from './validate';

/** A number becomes a constant schedule; a function stays itself. */
export function toSchedule(
  lr: number | Schedule, owner = 'schedule', name = 'lr',
): Schedule {
  if (typeof lr === 'function') return lr;
  checkNonNegative(owner, name, lr);
  return () => lr;
}

/** lr(t) = lr. */
export function constant(lr: number): Schedule {
  return toSchedule(lr, 'constant');
}

function checkMilestones(owner: string, milestones: number[]): void {
  milestones.forEach((m, i) => {
    checkNonNegative(owner, `milestones[${i}]`, m);
    const prev = milestones[i - 1];
    if (prev !== undefined && m <= prev) {
      throw new RangeError(`${owner}: milestones must increase, ` +
        `got ${m} after ${prev}`);
    }
  });
}

/**
 * lr * gamma^(number of milestones <= t): torch MultiStepLR. The
 * paper: lr / 10 at epochs 50 and 100 of 150 (Section 6.1, A.3.1),
 * `multiStep(lr, [50, 100])` called with the epoch.
 */
export function multiStep(
  lr: number, milestones: number[], gamma = 0.1,
): Schedule {
  checkNonNegative('multiStep', 'lr', lr);
  checkPositive('multiStep', 'gamma', gamma);
  checkMilestones('multiStep', milestones);
  const ms = [...milestones];
  return (t) => lr * gamma ** ms.filter((m) => m <= t).length;
}

/**
 * multiStep with milestones at fractions of `total` (rounded): the
 * paper's shape at any budget, e.g. ([1/3, 2/3], 150) -> [50, 100].
 */
export function multiStepAtFractions(
  lr: number, fractions: number[], total: number, gamma = 0.1,
): Schedule {
  checkInt('multiStepAtFractions', 'total', total, 1);
  fractions.forEach((f, i) => {
    if (!(f > 0 && f < 1)) {
      throw new RangeError('multiStepAtFractions: ' +
        `fractions[${i}] must be in (0, 1), got ${f}`);
    }
  });
  const milestones = fractions.map((f) => Math.round(f * total));
  return multiStep(lr, milestones, gamma);
}

/**
 * lr * gamma^floor(t / every): torch StepLR. ImageNet32 in the paper:
 * lr / 10 every 30 epochs of 120 (Section 6.2).
 */
export function stepEvery(
  lr: number, every: number, gamma = 0.1,
): Schedule {
  checkNonNegative('stepEvery', 'lr', lr);
  checkInt('stepEvery', 'every', every, 1);
  checkPositive('stepEvery', 'gamma', gamma);
  return (t) => lr * gamma ** Math.floor(t / every);
}

/**
 * Cosine decay from lr to lrMin over `total`, then lrMin
 * (Loshchilov & Hutter, SGDR, ICLR 2017, without restarts).
 */
export function cosine(lr: number, total: number, lrMin = 0): Schedule {
  checkNonNegative('cosine', 'lr', lr);
  checkInt('cosine', 'total', total, 1);
  checkNonNegative('cosine', 'lrMin', lrMin);
  return (t) => {
    const frac = Math.min(Math.max(t, 0), total) / total;
    return lrMin + (lr - lrMin) * (1 + Math.cos(Math.PI * frac)) / 2;
  };
}

/** How the step size falls before it settles (Figure 1). */
export type DecayShape = 'inverse' | 'linear' | 'exponential' | 'cosine';

/**
 * The paper's Figure 1 (Section 1): "use SGD with a decreasing step
 * size at the beginning, and then switch to SGD-CS [constant step
 * size] in a neighborhood of a minimizer", the constant being "below
 * a threshold". The step size falls from lr0 to lrConst over
 * `switchAt` steps, then stays at lrConst:
 *   inverse      lr0 / (1 + k t), k = (lr0 / lrConst - 1) / switchAt
 *   linear       lr0 + (lrConst - lr0) t / switchAt
 *   exponential  lr0 (lrConst / lr0)^(t / switchAt)
 *   cosine       lrConst + (lr0 - lrConst)(1 + cos(pi t / switchAt)) / 2
 * The figure gives no formula; 'inverse' (the classical
 * Robbins-Monro O(1/t) decrease) is the default reading.
 */
export function decreasingThenConstant(
  lr0: number, lrConst: number, switchAt: number,
  shape: DecayShape = 'inverse',
): Schedule {
  const owner = 'decreasingThenConstant';
  checkPositive(owner, 'lrConst', lrConst);
  checkPositive(owner, 'lr0', lr0);
  if (lr0 < lrConst) {
    throw new RangeError(`${owner}: lr0 must be >= lrConst ` +
      `(${lrConst}), got ${lr0}`);
  }
  checkInt(owner, 'switchAt', switchAt, 0);
  const k = switchAt > 0 ? (lr0 / lrConst - 1) / switchAt : 0;
  return (t) => {
    if (t >= switchAt) return lrConst;
    const s = Math.max(t, 0) / switchAt;
    switch (shape) {
      case 'inverse': return lr0 / (1 + k * Math.max(t, 0));
      case 'linear': return lr0 + (lrConst - lr0) * s;
      case 'exponential': return lr0 * (lrConst / lr0) ** s;
      case 'cosine':
        return lrConst + (lr0 - lrConst) * (1 + Math.cos(Math.PI * s)) / 2;
    }
  };
}

export interface FromEpochsOptions {
  /**
   * false (default): the rate changes at epoch boundaries, as a torch
   * scheduler stepped once per epoch. true: called with the
   * fractional epoch step / stepsPerEpoch (smooth cosine, warm-up).
   */
  continuous?: boolean;
}

/**
 * An epoch schedule as a step schedule: step -> schedule(epoch).
 */
export function fromEpochs(
  schedule: number | Schedule, stepsPerEpoch: number,
  options: FromEpochsOptions = {},
): Schedule {
  checkInt('fromEpochs', 'stepsPerEpoch', stepsPerEpoch, 1);
  const s = toSchedule(schedule, 'fromEpochs');
  return options.continuous
    ? (step) => s(step / stepsPerEpoch)
    : (step) => s(Math.floor(step / stepsPerEpoch));
}
