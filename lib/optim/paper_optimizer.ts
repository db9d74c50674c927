/**
 * Builds the optimizer of one paper experiment from its typed
 * settings (paper_table.ts), at the paper's budget or a smaller one
 * with the same schedule shape (milestones scale with numEpochs).
 */
import { adadelta, adam, sgd, sgdl, sgdm } from './alias';
import type { CommonOptions } from './alias';
import type { OptimizerName, PaperExperiment } from './paper_table';
import {
  constant, fromEpochs, multiStep, stepEvery,
} from './schedules';
import type { NamePredicate } from './transforms';
import type { Schedule, Transform } from './types';
import { checkInt } from './validate';

export interface PaperOptimizerOptions {
  /** Batches per epoch: the schedule counts epochs, steps count. */
  stepsPerEpoch: number;
  /** A shorter budget; milestones scale (50, 100 of 150 -> 1/3, 2/3). */
  numEpochs?: number;
  /** Override the lr (e.g. an SGDL grid point). */
  lr?: number;
  excludeFromDecay?: NamePredicate;
}

/** The paper's lr plan for `exp`, in epochs, at `numEpochs`. */
export function paperEpochSchedule(
  exp: PaperExperiment, lr: number, numEpochs = exp.numEpochs,
): Schedule {
  checkInt('paperEpochSchedule', 'numEpochs', numEpochs, 1);
  const k = numEpochs / exp.numEpochs;
  const plan = exp.lrPlan;
  if (plan.kind === 'multiStep') {
    const ms = plan.milestones.map((m) => Math.max(1, Math.round(m * k)));
    return multiStep(lr, [...new Set(ms)], plan.gamma);
  }
  return stepEvery(lr, Math.max(1, Math.round(plan.every * k)),
    plan.gamma);
}

/** Optimizer `name` as the paper ran it in experiment `exp`. */
export function paperOptimizer(
  exp: PaperExperiment, name: OptimizerName,
  options: PaperOptimizerOptions,
): Transform {
  const c = exp.optimizers[name];
  const lr0 = options.lr ?? c.lr;
  const epochs = paperEpochSchedule(exp, lr0, options.numEpochs);
  const lr = fromEpochs(c.scheduled ? epochs : constant(lr0),
    options.stepsPerEpoch);
  const common: CommonOptions = {
    weightDecay: c.weightDecay,
    ...(exp.clipNorm !== undefined && { clipNorm: exp.clipNorm }),
    ...(options.excludeFromDecay !== undefined &&
      { excludeFromDecay: options.excludeFromDecay }),
  };
  switch (name) {
    case 'sgd': return sgd({ lr, ...common });
    case 'sgdm':
      return sgdm({ lr, momentum: c.momentum ?? 0.9, ...common });
    case 'sgdl': return sgdl({ lr, ...common });
    case 'adam': {
      const [beta1, beta2] = c.betas ?? [0.9, 0.999];
      return adam({ lr, beta1, beta2, ...common });
    }
    case 'adadelta':
      return adadelta({ lr, rho: c.rho ?? 0.9, ...common });
  }
}
