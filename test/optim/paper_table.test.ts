/**
 * Table 1 and the Appendix A.3 choices as data, and the optimizers
 * built from them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  disposeState, formatTable1, OPTIMIZER_NAMES, PAPER_EXPERIMENTS,
  paperEpochSchedule, paperExperiment, paperOptimizer, SGDL_PRESET,
  TABLE_1,
} from '../../lib/optim';
import type { Tensors, Transform } from '../../lib/optim';
import { near } from './helpers';

describe('Table 1', () => {
  it('formats as the paper prints it', () => {
    const { header, rows } = formatTable1();
    assert.deepEqual(header,
      ['Optimizer', 'Learning rate', 'Other parameters']);
    assert.deepEqual(rows, [
      ['Adam', '{0.0001, 0.001, 0.01}', 'β = (0.9, 0.999)'],
      ['AdaDelta', '1.0', 'ρ = 0.9'],
      ['SGD', '{0.001, 0.01, 0.05, 0.1}', 'γ = 0.005'],
      ['SGDM', '{0.001, 0.01, 0.05, 0.1}', 'η = 0.9, γ = 0.005'],
      ['SGDL', '≥ 10 × lr(SGDM)', 'γ = 0.005'],
    ]);
  });

  it('SGDL preset: 10x rule, CIFAR grid, Table 1 decay', () => {
    assert.equal(SGDL_PRESET.minRatioToSgdm, 10);
    assert.deepEqual(SGDL_PRESET.lrGrid, [1.0, 1.1, 1.2, 1.3]);
    const row = TABLE_1.find((r) => r.optimizer === 'sgdl');
    assert.equal(row?.weightDecay, SGDL_PRESET.weightDecay);
  });
});

describe('experiments of Section 6 / Appendix A.3', () => {
  it('ids are unique and every optimizer is set', () => {
    const ids = PAPER_EXPERIMENTS.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 12);
    for (const e of PAPER_EXPERIMENTS) {
      assert.deepEqual(Object.keys(e.optimizers).sort(),
        [...OPTIMIZER_NAMES].sort());
    }
  });

  it('SGDL lr is at least 10x the SGDM lr everywhere', () => {
    for (const e of PAPER_EXPERIMENTS) {
      const ratio = e.optimizers.sgdl.lr / e.optimizers.sgdm.lr;
      assert.ok(ratio >= 10 - 1e-9, `${e.id}: ${ratio}`);
    }
  });

  it('A.3 values', () => {
    const lr = (id: string, o: 'sgdl' | 'sgdm') =>
      paperExperiment(id).optimizers[o].lr;
    assert.equal(lr('cifar10-resnet56', 'sgdl'), 1.0);
    assert.equal(lr('cifar10-densenet100-k12', 'sgdl'), 1.1);
    assert.equal(lr('cifar10-vgg16', 'sgdl'), 1.2);
    assert.equal(lr('cifar10-vgg16', 'sgdm'), 0.05);
    assert.equal(lr('cifar100-vgg16', 'sgdl'), 1.0);
    assert.equal(lr('cifar100-resnet110', 'sgdl'), 1.3);
    assert.equal(lr('imagenet32-resnet56x4', 'sgdl'), 1.1);
    assert.equal(lr('speech-commands-lenet5', 'sgdm'), 0.01);
    assert.equal(lr('speech-commands-lenet5', 'sgdl'), 0.15);
    const ptb = paperExperiment('ptb-lstm3');
    assert.equal(ptb.optimizers.sgdl.lr, 30);
    assert.equal(ptb.clipNorm, 0.25);
    assert.equal(ptb.batchSize, 20);
    const c10 = paperExperiment('cifar10-resnet56');
    assert.equal(c10.batchSize, 256);
    assert.equal(c10.numEpochs, 150);
    assert.equal(c10.optimizers.sgdm.weightDecay, 0.005);
    assert.equal(c10.optimizers.adadelta.scheduled, false);
    assert.throws(() => paperExperiment('mnist'), /unknown id 'mnist'/);
  });

  it('every unstated value says it was assumed', () => {
    const sgd = paperExperiment('cifar10-resnet56').optimizers.sgd;
    assert.match(sgd.assumed ?? '', /SGD lr not stated/);
    const ptbSgd = paperExperiment('ptb-lstm2').optimizers.sgd;
    assert.doesNotMatch(ptbSgd.assumed ?? '', /SGD lr not stated/);
    assert.match(ptbSgd.assumed ?? '', /weight decay not stated/);
    assert.equal(
      paperExperiment('cifar10-resnet56').optimizers.sgdl.assumed,
      undefined);
  });
});

describe('paperEpochSchedule / paperOptimizer', () => {
  it('keeps the schedule shape at a smaller budget', () => {
    const c10 = paperExperiment('cifar10-resnet56');
    const full = paperEpochSchedule(c10, 1);
    near(full(49), 1, 1e-12);
    near(full(50), 0.1, 1e-12);
    near(full(100), 0.01, 1e-12);
    const small = paperEpochSchedule(c10, 1, 15); // 5 and 10
    near(small(4), 1, 1e-12);
    near(small(5), 0.1, 1e-12);
    near(small(10), 0.01, 1e-12);
    const inet = paperEpochSchedule(
      paperExperiment('imagenet32-resnet56x4'), 1, 12); // every 3
    near(inet(2), 1, 1e-12);
    near(inet(3), 0.1, 1e-12);
    near(inet(11), 0.001, 1e-12);
  });

  /** lr per step: updates on a zero param with gradient 1. */
  function lrs(tx: Transform, n: number): number[] {
    const p: Tensors = { x: tf.zeros([1]) };
    const g: Tensors = { x: tf.ones([1]) };
    let s = tx.init(p);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const [u, next] = tx.update(g, s, p);
      out.push(-(u['x']?.dataSync()[0] as number));
      tf.dispose(Object.values(u));
      disposeState(s);
      s = next;
    }
    disposeState(s);
    tf.dispose([p['x'] as tf.Tensor, g['x'] as tf.Tensor]);
    return out;
  }

  it('SGD: lr / 10 at 1/3 and 2/3 of a 3-epoch budget', () => {
    const c10 = paperExperiment('cifar10-resnet56');
    const tx = paperOptimizer(c10, 'sgd',
      { stepsPerEpoch: 2, numEpochs: 3 });
    lrs(tx, 6).forEach((lr, i) =>
      near(lr, [0.1, 0.1, 0.01, 0.01, 0.001, 0.001][i] as number));
  });

  it('AdaDelta is not annealed', () => {
    const c10 = paperExperiment('cifar10-resnet56');
    const tx = paperOptimizer(c10, 'adadelta',
      { stepsPerEpoch: 1, numEpochs: 3 });
    const steps = lrs(tx, 3);
    // the rate stays 1.0; AdaDelta's own step grows from sqrt(eps)
    assert.ok((steps[2] as number) > (steps[0] as number));
  });

  it('PTB: clip 0.25 then SGDL lr 30', () => {
    const ptb = paperExperiment('ptb-lstm2');
    const tx = paperOptimizer(ptb, 'sgdl', { stepsPerEpoch: 10 });
    // gradient 1 (norm 1) clipped to 0.25 / (1 + 1e-6); times 30
    near(lrs(tx, 1)[0] as number, 30 * 0.25 / (1 + 1e-6), 1e-6);
  });

  it('builds every optimizer of every experiment', () => {
    for (const e of PAPER_EXPERIMENTS) {
      for (const name of OPTIMIZER_NAMES) {
        const tx = paperOptimizer(e, name, { stepsPerEpoch: 3 });
        assert.ok(tx.slotNames.length >= 0);
      }
    }
  });
});
