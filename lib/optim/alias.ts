/**
 * The paper's five optimizers as chains of transformations
 * (optax `alias.py`). Defaults are PyTorch's, except `sgdl`, which
 * is a preset carrying the paper's settings.
 */
import { SGDL_PRESET } from './paper_table';
import {
  addDecayedWeights, chain, clipByGlobalNorm, scaleByAdadelta,
  scaleByAdam, scaleByLr, trace,
} from './transforms';
import type { NamePredicate } from './transforms';
import type { Schedule, Transform } from './types';
import {
  checkInterval, checkNonNegative, checkPositive,
} from './validate';

/** Options every named optimizer takes. */
export interface CommonOptions {
  /** Weight decay coefficient (gamma in Table 1); default 0. */
  weightDecay?: number;
  /**
   * false (default): L2 added to the gradient, torch `weight_decay`.
   * true: decoupled, p <- p - lr * wd * p (AdamW / SGDW).
   */
  decoupled?: boolean;
  /** Params left undecayed, e.g. `isBiasOrNorm`. */
  excludeFromDecay?: NamePredicate;
  /** Clip grads to this global norm first (LSTM: 0.25). */
  clipNorm?: number;
}

export interface SgdOptions extends CommonOptions {
  lr: number | Schedule;
}

export interface SgdmOptions extends SgdOptions {
  /** Default 0.9 (the paper's eta, Table 1). */
  momentum?: number;
  nesterov?: boolean;
}

export interface AdamOptions extends CommonOptions {
  /** Default 0.001 (torch's, and the paper's choice, A.3.1). */
  lr?: number | Schedule;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdadeltaOptions extends CommonOptions {
  /** Default 1.0 (torch's and Table 1's). */
  lr?: number | Schedule;
  rho?: number;
  eps?: number;
}

export interface SgdlOptions extends SgdOptions {
  /**
   * The best SGDM lr for the task; if given, lr(0) must be at least
   * SGDL_PRESET.minRatioToSgdm (10) times it.
   */
  bestSgdmLr?: number;
}

function checkCommon(owner: string, o: CommonOptions): void {
  if (o.weightDecay !== undefined) {
    checkNonNegative(owner, 'weightDecay', o.weightDecay);
  }
  if (o.clipNorm !== undefined) {
    checkPositive(owner, 'clipNorm', o.clipNorm);
  }
}

function checkLr(owner: string, lr: number | Schedule): void {
  if (typeof lr === 'number') checkNonNegative(owner, 'lr', lr);
}

/**
 * [clip] [L2 decay] core [decoupled decay] scaleByLr(lr): the order
 * torch applies them in (clip_grad_norm_, then weight_decay inside
 * step; AdamW decays the param beside the Adam step).
 */
function build(
  core: Transform[], lr: number | Schedule, o: CommonOptions,
): Transform {
  const txs: Transform[] = [];
  if (o.clipNorm !== undefined) txs.push(clipByGlobalNorm(o.clipNorm));
  const wd = o.weightDecay ?? 0;
  const decay = wd > 0
    ? [o.excludeFromDecay
      ? addDecayedWeights(wd, { exclude: o.excludeFromDecay })
      : addDecayedWeights(wd)]
    : [];
  if (!o.decoupled) txs.push(...decay);
  txs.push(...core);
  if (o.decoupled) txs.push(...decay);
  txs.push(scaleByLr(lr));
  return chain(...txs);
}

/** Vanilla SGD (Robbins & Monro 1951): p <- p - lr * g. */
export function sgd(options: SgdOptions): Transform {
  checkLr('sgd', options.lr);
  checkCommon('sgd', options);
  return build([], options.lr, options);
}

/**
 * SGD with heavy-ball momentum as torch.optim.SGD:
 * buf <- momentum * buf + g; p <- p - lr * buf (Nesterov optional).
 */
export function sgdm(options: SgdmOptions): Transform {
  const { momentum = 0.9, nesterov = false } = options;
  checkLr('sgdm', options.lr);
  checkInterval('sgdm', 'momentum', momentum, 0, 1, '[)');
  if (nesterov && momentum === 0) {
    throw new RangeError(
      `sgdm: nesterov needs momentum > 0, got ${momentum}`);
  }
  checkCommon('sgdm', options);
  return build([trace(momentum, nesterov)], options.lr, options);
}

/**
 * Adam as torch.optim.Adam (weight decay as L2), or AdamW with
 * `decoupled: true` (Kingma & Ba 2015; Loshchilov & Hutter 2019).
 */
export function adam(options: AdamOptions = {}): Transform {
  const { lr = 0.001 } = options;
  checkLr('adam', lr);
  checkCommon('adam', options);
  const scaling = scaleByAdam({
    ...(options.beta1 !== undefined && { beta1: options.beta1 }),
    ...(options.beta2 !== undefined && { beta2: options.beta2 }),
    ...(options.eps !== undefined && { eps: options.eps }),
  });
  return build([scaling], lr, options);
}

/** AdaDelta as torch.optim.Adadelta (Zeiler 2012); no schedule. */
export function adadelta(options: AdadeltaOptions = {}): Transform {
  const { lr = 1.0 } = options;
  checkLr('adadelta', lr);
  checkCommon('adadelta', options);
  const scaling = scaleByAdadelta({
    ...(options.rho !== undefined && { rho: options.rho }),
    ...(options.eps !== undefined && { eps: options.eps }),
  });
  return build([scaling], lr, options);
}

/**
 * SGDL, the paper's proposal (Section 1, A.3.1): vanilla SGD with a
 * large initial lr, "more than 10 times larger than the learning
 * rate in SGD with momentum". The update rule is `sgd`'s; what
 * differs is the preset: weight decay defaults to Table 1's 0.005,
 * and with `bestSgdmLr` the 10x rule is enforced.
 */
export function sgdl(options: SgdlOptions): Transform {
  const { lr, bestSgdmLr } = options;
  checkLr('sgdl', lr);
  checkCommon('sgdl', options);
  if (bestSgdmLr !== undefined) {
    checkPositive('sgdl', 'bestSgdmLr', bestSgdmLr);
    const lr0 = typeof lr === 'number' ? lr : lr(0);
    const min = SGDL_PRESET.minRatioToSgdm * bestSgdmLr;
    if (!(lr0 >= min * (1 - 1e-12))) {
      throw new RangeError(`sgdl: lr must be >= ` +
        `${SGDL_PRESET.minRatioToSgdm} * bestSgdmLr = ${min}, ` +
        `got ${lr0}`);
    }
  }
  const weightDecay = options.weightDecay ?? SGDL_PRESET.weightDecay;
  return build([], lr, { ...options, weightDecay });
}
