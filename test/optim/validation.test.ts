/**
 * Invalid hyperparameters are rejected at construction with an
 * error naming the parameter and the value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adadelta, adam, addDecayedWeights, clipByGlobalNorm, cosine,
  decreasingThenConstant, fromEpochs, multiStep, multiStepAtFractions, scaleByAdam, scaleByLr, sgd, sgdl,
  sgdm, stepEvery, trace,
} from '../../lib/optim';

const cases: [string, () => unknown, string][] = [
  ['negative lr', () => sgd({ lr: -1 }), 'sgd: lr must be >= 0, got -1'],
  ['NaN lr', () => sgdm({ lr: NaN }),
    'sgdm: lr must be a finite number, got NaN'],
  ['infinite lr', () => adam({ lr: Infinity }),
    'adam: lr must be a finite number, got Infinity'],
  ['momentum 1', () => sgdm({ lr: 0.1, momentum: 1 }),
    'sgdm: momentum must be in [0, 1), got 1'],
  ['momentum < 0', () => sgdm({ lr: 0.1, momentum: -0.1 }),
    'sgdm: momentum must be in [0, 1), got -0.1'],
  ['nesterov without momentum',
    () => sgdm({ lr: 0.1, momentum: 0, nesterov: true }),
    'sgdm: nesterov needs momentum > 0, got 0'],
  ['trace momentum', () => trace(1.2),
    'trace: momentum must be in [0, 1), got 1.2'],
  ['beta1 1.5', () => adam({ beta1: 1.5 }),
    'adam: beta1 must be in [0, 1), got 1.5'],
  ['beta2 1', () => adam({ beta2: 1 }),
    'adam: beta2 must be in [0, 1), got 1'],
  ['beta1 NaN', () => scaleByAdam({ beta1: NaN }),
    'adam: beta1 must be a finite number, got NaN'],
  ['adam eps 0', () => adam({ eps: 0 }), 'adam: eps must be > 0, got 0'],
  ['rho 1', () => adadelta({ rho: 1 }),
    'adadelta: rho must be in (0, 1), got 1'],
  ['rho 0', () => adadelta({ rho: 0 }),
    'adadelta: rho must be in (0, 1), got 0'],
  ['adadelta eps', () => adadelta({ eps: -1e-6 }),
    'adadelta: eps must be > 0, got -0.000001'],
  ['weight decay', () => sgdm({ lr: 0.1, weightDecay: -0.005 }),
    'sgdm: weightDecay must be >= 0, got -0.005'],
  ['decay piece', () => addDecayedWeights(NaN),
    'addDecayedWeights: weightDecay must be a finite number, got NaN'],
  ['clip 0', () => sgd({ lr: 1, clipNorm: 0 }),
    'sgd: clipNorm must be > 0, got 0'],
  ['clip piece', () => clipByGlobalNorm(-0.25),
    'clipByGlobalNorm: maxNorm must be > 0, got -0.25'],
  ['scaleByLr', () => scaleByLr(-0.1),
    'scaleByLr: lr must be >= 0, got -0.1'],
  ['sgdl below 10x', () => sgdl({ lr: 0.5, bestSgdmLr: 0.1 }),
    'sgdl: lr must be >= 10 * bestSgdmLr = 1, got 0.5'],
  ['milestones order', () => multiStep(1, [100, 50]),
    'multiStep: milestones must increase, got 50 after 100'],
  ['gamma', () => multiStep(1, [50], 0),
    'multiStep: gamma must be > 0, got 0'],
  ['fraction', () => multiStepAtFractions(1, [1.5], 10),
    'multiStepAtFractions: fractions[0] must be in (0, 1), got 1.5'],
  ['every', () => stepEvery(0.1, 0),
    'stepEvery: every must be an integer >= 1, got 0'],
  ['cosine', () => cosine(-1, 10), 'cosine: lr must be >= 0, got -1'],
  ['figure 1', () => decreasingThenConstant(0.1, 1, 10),
    'decreasingThenConstant: lr0 must be >= lrConst (1), got 0.1'],
  ['figure 1 const', () => decreasingThenConstant(1, 0, 10),
    'decreasingThenConstant: lrConst must be > 0, got 0'],
  ['epochs', () => fromEpochs(0.1, 0),
    'fromEpochs: stepsPerEpoch must be an integer >= 1, got 0'],
];

describe('invalid hyperparameters', () => {
  for (const [what, make, message] of cases) {
    it(`${what}: "${message}"`, () => {
      assert.throws(make, (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.equal(e.message, message);
        return true;
      });
    });
  }

  it('valid edge values are accepted', () => {
    sgdm({ lr: 0, momentum: 0 });
    adam({ beta1: 0, beta2: 0 });
    adadelta({ rho: 0.999 });
    sgdl({ lr: 1, bestSgdmLr: 0.1 }); // exactly 10x
    sgdl({ lr: 0.15, bestSgdmLr: 0.01 }); // speech: 15x
  });
});
