/**
 * The optimizer and lr schedule a config names, built from lib/optim.
 * The schedule counts epochs (the lr changes at epoch boundaries, like a
 * torch scheduler stepped once per epoch); the trainer tells the
 * optimizer which epoch it is in through an `EpochClock`, which works the
 * same for fixed and variable numbers of steps per epoch (BPTT).
 */
import {
  adadelta, adam, constant, cosine, multiStep, type Schedule, sgd, sgdl, sgdm,
  stepEvery, type Transform,
} from "../optim";
import { decayFilter } from "../models";
import type { OptimizerSpec, ScheduleSpec } from "./config";

/** lr as a function of the 0-based epoch. */
export function epochSchedule(
  lr: number,
  spec: ScheduleSpec,
  epochs: number,
): Schedule {
  switch (spec.kind) {
    case "constant":
      return constant(lr);
    case "multistep": {
      const ms = spec.unit === "epoch"
        ? spec.at
        : spec.at.map((f) => Math.max(1, Math.round(f * epochs)));
      return multiStep(lr, [...new Set(ms)], spec.gamma);
    }
    case "step":
      return stepEvery(lr, spec.every, spec.gamma);
    case "cosine":
      return cosine(lr, epochs, spec.lrMin);
  }
}

/** Which epoch (0-based) the run is in; read by the lr schedule. */
export class EpochClock {
  epoch = 0;
}

/** The update rule; its lr follows `schedule(clock.epoch)`. */
export function buildOptimizer(
  spec: OptimizerSpec,
  schedule: Schedule,
  clock: EpochClock,
): Transform {
  const lr: Schedule = () => schedule(clock.epoch);
  const common = {
    weightDecay: spec.weightDecay,
    decoupled: spec.decoupled,
    ...(spec.clipNorm !== null && { clipNorm: spec.clipNorm }),
    ...(spec.decay === "weights" &&
      { excludeFromDecay: (name: string) => !decayFilter(name, "weights") }),
  };
  switch (spec.name) {
    case "sgd":
      return sgd({ lr, ...common });
    case "sgdm":
      return sgdm({ lr, momentum: spec.momentum, nesterov: spec.nesterov, ...common });
    case "sgdl":
      return sgdl({
        lr,
        ...common,
        ...(spec.bestSgdmLr !== null && { bestSgdmLr: spec.bestSgdmLr }),
      });
    case "adam":
      return adam({ lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, ...common });
    case "adadelta":
      return adadelta({ lr, rho: spec.rho, eps: spec.eps, ...common });
  }
}
