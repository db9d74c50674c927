/**
 * Two steps of each optimizer worked out by hand (as tfjs's
 * `adadelta_optimizer_test.ts`). One scalar param x, x0 = 1, and
 * f(x) = x^2 so g = 2x, unless stated. float32 tolerance 1e-6.
 */
import { describe, it } from 'node:test';
import {
  adadelta, adam, sgd, sgdl, sgdm,
} from '../../lib/optim';
import { near, scalarSteps } from './helpers';

const g2x = (x: number): number => 2 * x;

describe('two steps by hand', () => {
  it('sgd: x <- x - lr g', () => {
    // lr 0.1.
    // step 1: g = 2,   x = 1   - 0.1 * 2   = 0.8
    // step 2: g = 1.6, x = 0.8 - 0.1 * 1.6 = 0.64
    const [x1, x2] = scalarSteps(sgd({ lr: 0.1 }), 1, g2x, 2);
    near(x1 as number, 0.8);
    near(x2 as number, 0.64);
  });

  it('sgd with L2 weight decay: g + wd x', () => {
    // lr 0.1, wd 0.5.
    // step 1: d = 2 + 0.5 * 1 = 2.5,         x = 1 - 0.25 = 0.75
    // step 2: d = 1.5 + 0.5 * 0.75 = 1.875,  x = 0.75 - 0.1875
    //                                          = 0.5625
    const tx = sgd({ lr: 0.1, weightDecay: 0.5 });
    const [x1, x2] = scalarSteps(tx, 1, g2x, 2);
    near(x1 as number, 0.75);
    near(x2 as number, 0.5625);
  });

  it('sgdm: buf <- mu buf + g, x <- x - lr buf', () => {
    // lr 0.1, mu 0.9.
    // step 1: g = 2,   buf = 0.9 * 0 + 2   = 2,   x = 1 - 0.2 = 0.8
    // step 2: g = 1.6, buf = 0.9 * 2 + 1.6 = 3.4, x = 0.8 - 0.34
    //                                              = 0.46
    const tx = sgdm({ lr: 0.1, momentum: 0.9 });
    const [x1, x2] = scalarSteps(tx, 1, g2x, 2);
    near(x1 as number, 0.8);
    near(x2 as number, 0.46);
  });

  it('sgdm nesterov: x <- x - lr (g + mu buf)', () => {
    // lr 0.1, mu 0.9.
    // step 1: g = 2, buf = 2, d = 2 + 0.9 * 2 = 3.8,
    //         x = 1 - 0.38 = 0.62
    // step 2: g = 1.24, buf = 0.9 * 2 + 1.24 = 3.04,
    //         d = 1.24 + 0.9 * 3.04 = 3.976, x = 0.62 - 0.3976
    //                                          = 0.2224
    const tx = sgdm({ lr: 0.1, momentum: 0.9, nesterov: true });
    const [x1, x2] = scalarSteps(tx, 1, g2x, 2);
    near(x1 as number, 0.62);
    near(x2 as number, 0.2224);
  });

  it('adam: bias-corrected moments, eps outside the sqrt', () => {
    // lr 0.1, beta1 0.5, beta2 0.75, eps 1e-8 (negligible here).
    // step 1: g = 2, m = 0.5 * 2 = 1, v = 0.25 * 4 = 1,
    //   mhat = 1 / (1 - 0.5) = 2, vhat = 1 / (1 - 0.75) = 4,
    //   u = 2 / (sqrt 4 + eps) = 1, x = 1 - 0.1 = 0.9
    // step 2: g = 1.8, m = 0.5 * 1 + 0.5 * 1.8 = 1.4,
    //   v = 0.75 * 1 + 0.25 * 3.24 = 1.56,
    //   mhat = 1.4 / (1 - 0.25) = 1.8666667,
    //   vhat = 1.56 / (1 - 0.5625) = 3.5657143, sqrt = 1.8883099,
    //   u = 1.8666667 / 1.8883099 = 0.9885383,
    //   x = 0.9 - 0.09885383 = 0.80114617
    const tx = adam({ lr: 0.1, beta1: 0.5, beta2: 0.75, eps: 1e-8 });
    const [x1, x2] = scalarSteps(tx, 1, g2x, 2);
    near(x1 as number, 0.9);
    near(x2 as number, 0.80114617);
  });

  it('adadelta: sqrt(acc + eps) / sqrt(sq + eps) * g', () => {
    // lr 1, rho 0.5, eps 0.25 (chosen for round numbers).
    // step 1: g = 2, sq = 0.5 * 4 = 2, std = sqrt(2 + 0.25) = 1.5,
    //   delta = sqrt(0 + 0.25) / 1.5 * 2 = 2/3,
    //   acc = 0.5 * (2/3)^2 = 2/9, x = 1 - 2/3 = 1/3
    // step 2: g = 2/3, sq = 0.5 * 2 + 0.5 * 4/9 = 11/9,
    //   std = sqrt(11/9 + 1/4) = sqrt(53) / 6,
    //   delta = (sqrt(2/9 + 1/4) = sqrt(17) / 6) / std * 2/3
    //         = 2/3 * sqrt(17/53) = 0.37756808,
    //   x = 1/3 - 0.37756808 = -0.04423474
    const tx = adadelta({ lr: 1, rho: 0.5, eps: 0.25 });
    const [x1, x2] = scalarSteps(tx, 1, g2x, 2);
    near(x1 as number, 1 / 3);
    near(x2 as number, 1 / 3 - (2 / 3) * Math.sqrt(17 / 53));
  });

  it('sgdl: plain sgd at lr 1 with the preset decay 0.005', () => {
    // f = x^2 / 4 so g = 0.5 x; lr 1 (>= 10 x SGDM's 0.1),
    // weight decay 0.005 by default (Table 1).
    // step 1: d = 0.5 + 0.005 * 1 = 0.505,   x = 1 - 0.505 = 0.495
    // step 2: d = 0.2475 + 0.005 * 0.495 = 0.249975,
    //         x = 0.495 - 0.249975 = 0.245025
    const tx = sgdl({ lr: 1, bestSgdmLr: 0.1 });
    const [x1, x2] = scalarSteps(tx, 1, (x) => 0.5 * x, 2);
    near(x1 as number, 0.495);
    near(x2 as number, 0.245025);
  });
});
