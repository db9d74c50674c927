/**
 * Table 1 and the Appendix A.3 choices as data, and the report's rows of
 * them. (The optimizers built from them are lib/train's paper presets,
 * tested there.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatTable1, OPTIMIZER_NAMES, PAPER_EXPERIMENTS, paperAssumptionRows,
  paperExperiment, paperExperimentRows, SGDL_PRESET, TABLE_1, table1Rows,
} from '../../lib/optim';

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

describe("the report's rows", () => {
  it('Table 1: one record per optimizer, keyed by the printed header', () => {
    const rows = table1Rows();
    assert.equal(rows.length, TABLE_1.length);
    assert.deepEqual(Object.keys(rows[0]!), formatTable1().header);
    assert.equal(rows.find((r) => r['Optimizer'] === 'SGDL')?.['Learning rate'],
      formatTable1().rows.find((r) => r[0] === 'SGDL')?.[1]);
  });

  it('A.3: every experiment with its lrs and the SGDL / SGDM ratio', () => {
    const rows = paperExperimentRows();
    assert.equal(rows.length, PAPER_EXPERIMENTS.length);
    const c10 = rows.find((r) => r['experiment'] === 'cifar10-resnet56')!;
    assert.equal(c10['SGDL lr'], 1);
    assert.equal(c10['SGDM lr'], 0.1);
    assert.equal(c10['SGDL lr / SGDM lr'], 10);
    assert.equal(c10['lr schedule'], 'x 0.1 at epochs 50, 100 (not AdaDelta)');
  });

  it('assumptions: exactly the values marked assumed', () => {
    const n = PAPER_EXPERIMENTS.reduce((k, e) => k + (e.assumed === undefined ? 0 : 1) +
      OPTIMIZER_NAMES.filter((o) => e.optimizers[o].assumed !== undefined).length, 0);
    const rows = paperAssumptionRows();
    assert.equal(rows.length, n);
    assert.ok(n > 0 && rows.every((r) => r.assumed.length > 0));
  });
});
