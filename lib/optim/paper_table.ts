/**
 * The paper's optimizer settings as typed data: Table 1 (Appendix
 * A.3.1) and the per-experiment choices of Section 6 / Appendix A.3.
 * Paper: "Training by Vanilla SGD with Larger Learning Rates", ICLR
 * 2021 submission. Where the paper is silent, a value is filled in
 * and its `assumed` field says so and why.
 *
 * Extraction notes (the text of Table 1 is slightly garbled):
 * - "Pis fromZeiler(2012)" and "P = 0.9" read as "rho is from Zeiler
 *   (2012)" and "rho = 0.9": the AdaDelta decay (the caption's own
 *   symbol list: eta momentum, gamma weight decay, beta Adam, rho).
 * - "≥ 10 * Ir(SGDM)" reads "lr >= 10 x lr(SGDM)" ("Ir" is "lr").
 * - Table 1 gives gamma = 0.005 for SGD, SGDM and SGDL only; Adam
 *   and AdaDelta rows list no gamma, so they get weight decay 0 here.
 * - Section 6.1 says "ResNet ... with 56 layers and 120 layers"; the
 *   figures and A.3.1 say ResNet110, which is used here.
 */

export type OptimizerName = 'sgd' | 'sgdm' | 'adam' | 'adadelta' | 'sgdl';

/** In Table 1's row order. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] =
  ['adam', 'adadelta', 'sgd', 'sgdm', 'sgdl'];

/** As the paper prints them. */
export const OPTIMIZER_LABELS: Readonly<Record<OptimizerName, string>> = {
  sgd: 'SGD', sgdm: 'SGDM', adam: 'Adam', adadelta: 'AdaDelta',
  sgdl: 'SGDL',
};

/** One row of Table 1. */
export interface Table1Row {
  optimizer: OptimizerName;
  /** The lr grid searched; one value if fixed; [] if a rule. */
  lrGrid: readonly number[];
  /** For SGDL: the lr rule instead of a grid. */
  lrRule?: string;
  /** eta in Table 1. */
  momentum?: number;
  /** beta in Table 1 (Kingma & Ba 2014). */
  betas?: readonly [number, number];
  /** rho in Table 1 (Zeiler 2012). */
  rho?: number;
  /** gamma in Table 1. */
  weightDecay?: number;
}

/**
 * Table 1 (Appendix A.3.1): "Popular optimizers in the paper on
 * CIFAR10, CIFAR100, ImageNet32 and Speech Commands Dataset."
 */
export const TABLE_1: readonly Table1Row[] = [
  { optimizer: 'adam', lrGrid: [0.0001, 0.001, 0.01],
    betas: [0.9, 0.999] },
  { optimizer: 'adadelta', lrGrid: [1.0], rho: 0.9 },
  { optimizer: 'sgd', lrGrid: [0.001, 0.01, 0.05, 0.1],
    weightDecay: 0.005 },
  { optimizer: 'sgdm', lrGrid: [0.001, 0.01, 0.05, 0.1],
    momentum: 0.9, weightDecay: 0.005 },
  { optimizer: 'sgdl', lrGrid: [], lrRule: '≥ 10 × lr(SGDM)',
    weightDecay: 0.005 },
];

function table1Row(o: OptimizerName): Table1Row {
  const row = TABLE_1.find((r) => r.optimizer === o);
  if (row === undefined) throw new Error(`TABLE_1 has no row for ${o}`);
  return row;
}

/**
 * Each optimizer's parameters as Table 1 gives them, weight decay 0
 * where it gives none: the defaults of lib/train's configs (lib/optim's
 * own constructors keep PyTorch's defaults, e.g. weight decay 0).
 */
export const TABLE_1_DEFAULTS = {
  sgd: { weightDecay: table1Row('sgd').weightDecay ?? 0 },
  sgdm: { momentum: table1Row('sgdm').momentum ?? 0.9, weightDecay: table1Row('sgdm').weightDecay ?? 0 },
  sgdl: { weightDecay: table1Row('sgdl').weightDecay ?? 0 },
  adam: {
    beta1: table1Row('adam').betas?.[0] ?? 0.9, beta2: table1Row('adam').betas?.[1] ?? 0.999,
    weightDecay: table1Row('adam').weightDecay ?? 0,
  },
  adadelta: {
    lr: table1Row('adadelta').lrGrid[0] ?? 1, rho: table1Row('adadelta').rho ?? 0.9,
    weightDecay: table1Row('adadelta').weightDecay ?? 0,
  },
} as const;

/**
 * SGDL (Section 1, A.3.1): vanilla SGD whose initial lr is "more
 * than 10 times larger than the best SGDM lr"; on CIFAR it is picked
 * from {1.0, 1.1, 1.2, 1.3}; weight decay as Table 1.
 */
export const SGDL_PRESET = {
  minRatioToSgdm: 10,
  lrGrid: [1.0, 1.1, 1.2, 1.3],
  weightDecay: 0.005,
} as const;

/**
 * Figure 3 (Section 6.1): vanilla SGD on ResNet56, "learning rate
 * from 0.2 to 1"; the text names 0.2 and 0.4. Reconstructed: steps
 * of 0.2 (the legend did not survive extraction).
 */
export const FIGURE_3_LRS: readonly number[] = [0.2, 0.4, 0.6, 0.8, 1.0];

/** LSTM lr grid for SGD(M) (A.3.3). */
export const LSTM_LR_GRID: readonly number[] = [0.001, 0.01, 0.1, 1];

/** How the lr falls during training (never applied to AdaDelta). */
export type LrPlan =
  | { kind: 'multiStep'; milestones: readonly number[]; gamma: number }
  | { kind: 'stepEvery'; every: number; gamma: number };

/** One optimizer's settings in one experiment. */
export interface OptimizerChoice {
  lr: number;
  weightDecay: number;
  momentum?: number;
  betas?: readonly [number, number];
  rho?: number;
  /** Whether `LrPlan` applies (false for AdaDelta, A.3.1). */
  scheduled: boolean;
  /** Where the paper states the lr. */
  source: string;
  /** Set when a value is not in the paper: what was filled in. */
  assumed?: string;
}

export type Dataset =
  'cifar10' | 'cifar100' | 'imagenet32' | 'speech-commands' | 'ptb';

/** One experiment of Section 6 with its optimizer settings. */
export interface PaperExperiment {
  id: string;
  dataset: Dataset;
  model: string;
  /** Paper sections and figures it comes from. */
  source: string;
  numEpochs: number;
  batchSize: number;
  lrPlan: LrPlan;
  /** Global-norm gradient clipping, if any. */
  clipNorm?: number;
  optimizers: Readonly<Record<OptimizerName, OptimizerChoice>>;
  /** Settings the paper states that live outside lib/optim. */
  notes: readonly string[];
  /** Set when a whole-run setting is not in the paper. */
  assumed?: string;
}

/** Section 6.1 / A.3.1: /10 at epochs 50 and 100 of 150. */
const CIFAR_PLAN: LrPlan =
  { kind: 'multiStep', milestones: [50, 100], gamma: 0.1 };

interface Picks {
  sgdl: number;
  sgdm: number;
  /** Vanilla SGD's chosen lr is never stated. */
  sgd?: number;
  wd?: number;
  wdAssumed?: string;
  sgdmAssumed?: string;
  src: string;
}

function choices(p: Picks): Record<OptimizerName, OptimizerChoice> {
  const wd = p.wd ?? 0.005;
  const note = (...xs: (string | undefined)[]) => {
    const text = xs.filter((x) => x !== undefined).join('; ');
    return text === '' ? {} : { assumed: text };
  };
  const sgdLr = p.sgd === undefined
    ? 'SGD lr not stated ("best from Table 1 for SGD(M)"): ' +
      'taken equal to the SGDM choice'
    : undefined;
  const noGamma = 'weight decay: Table 1 lists gamma only for SGD(M/L)';
  return {
    sgd: {
      lr: p.sgd ?? p.sgdm, weightDecay: wd, scheduled: true,
      source: p.src, ...note(sgdLr, p.wdAssumed),
    },
    sgdm: {
      lr: p.sgdm, momentum: 0.9, weightDecay: wd, scheduled: true,
      source: p.src, ...note(p.wdAssumed, p.sgdmAssumed),
    },
    adam: {
      lr: 0.001, betas: [0.9, 0.999], weightDecay: 0, scheduled: true,
      source: p.src, ...note(noGamma),
    },
    adadelta: {
      lr: 1.0, rho: 0.9, weightDecay: 0, scheduled: false,
      source: 'Table 1; A.3.1 (no annealing for AdaDelta)',
      ...note(noGamma),
    },
    sgdl: {
      lr: p.sgdl, weightDecay: wd, scheduled: true, source: p.src,
      ...note(p.wdAssumed),
    },
  };
}

const IMAGE_NOTES = [
  'normalise; random crop 32 from 4-pixel reflect padding; ' +
    'horizontal flip (A.3.1)',
  'Kaiming init, batch norm, no dropout (A.3.1)',
];

function cifar(
  dataset: 'cifar10' | 'cifar100', model: string, fig: string,
  sgdl: number, sgdm = 0.1,
): PaperExperiment {
  return {
    id: `${dataset}-${model}`, dataset, model,
    source: `Section 6.1, A.3.1, Fig. 4 and ${fig}`,
    numEpochs: 150, batchSize: 256, lrPlan: CIFAR_PLAN,
    optimizers: choices({ sgdl, sgdm, src: 'A.3.1' }),
    notes: IMAGE_NOTES,
  };
}

/**
 * Every experiment of Section 6 / Appendix A.3. SGDL lrs: A.3.1
 * ("On CIFAR10, SGDL learning rate is 1.0 for ResNet 56, 1.1 for
 * DenseNet and 1.2 for ResNet110 and VGG16, while on CIFAR100 ...
 * 1.0 for VGG16 and 1.3 for ResNet 56, ResNet110 and DenseNet");
 * SGDM 0.1, except 0.05 for VGG16 on CIFAR10; Adam 0.001.
 */
export const PAPER_EXPERIMENTS: readonly PaperExperiment[] = [
  cifar('cifar10', 'resnet56', 'Fig. 8', 1.0),
  cifar('cifar10', 'resnet110', 'Fig. 9', 1.2),
  cifar('cifar10', 'vgg16', 'Fig. 10', 1.2, 0.05),
  cifar('cifar10', 'densenet100-k12', 'Fig. 11', 1.1),
  cifar('cifar100', 'resnet56', 'Fig. 12', 1.3),
  cifar('cifar100', 'resnet110', 'Fig. 13', 1.3),
  cifar('cifar100', 'vgg16', 'Fig. 14', 1.0),
  cifar('cifar100', 'densenet100-k12', 'Fig. 15', 1.3),
  {
    id: 'imagenet32-resnet56x4', dataset: 'imagenet32',
    model: 'resnet56x4',
    source: 'Section 6.2, A.3.1 ("1.1, 0.1, 0.001 ... for SGDL, ' +
      'SGDM, and ADAM"), Fig. 5',
    numEpochs: 120, batchSize: 256,
    lrPlan: { kind: 'stepEvery', every: 30, gamma: 0.1 },
    optimizers: choices({ sgdl: 1.1, sgdm: 0.1, src: 'A.3.1' }),
    notes: [...IMAGE_NOTES, 'ResNet56 with 4x channels (6.2)',
      'report top-1 and top-5 error (6.2)'],
    assumed: 'batch 256: "a similar train strategy as on CIFAR"',
  },
  {
    id: 'speech-commands-lenet5', dataset: 'speech-commands',
    model: 'lenet5',
    source: 'Section 6.3, A.3.2, Fig. 6',
    numEpochs: 150, batchSize: 256, lrPlan: CIFAR_PLAN,
    optimizers: choices({ sgdl: 0.15, sgdm: 0.01, src: 'A.3.2' }),
    notes: ['2 conv layers of 20 channels, 2D dropout, ' +
      '2 dense layers of 1000 (6.3)', '1 s clips at 16 kHz (6.3)'],
    assumed: 'epochs, batch and lr plan not stated: CIFAR recipe',
  },
  ...[2, 3].map((layers): PaperExperiment => ({
    id: `ptb-lstm${layers}`, dataset: 'ptb', model: `lstm${layers}`,
    source: 'Section 6.4, A.3.3, Fig. 7',
    numEpochs: 150, batchSize: 20, lrPlan: CIFAR_PLAN,
    clipNorm: 0.25,
    optimizers: choices({
      sgdl: 30, sgdm: 1, sgd: 1, wd: 1.2e-6, src: 'A.3.3',
      wdAssumed: 'weight decay not stated for PTB: AWD-LSTM ' +
        'default 1.2e-6 (Merity et al. 2017a)',
      sgdmAssumed: 'momentum 0.9 from Table 1 (PTB not covered)',
    }),
    notes: [`${layers}-layer LSTM, 1150 hidden, 400 embedding (A.3.3)`,
      'dropouts 0.4/0.3/0.4/0.1 (word vector, between LSTMs, ' +
        'final LSTM, embedding) and DropConnect 0.5 (A.3.3)',
      'report perplexity (6.4)'],
  })),
];

/** The experiment with this id, or an error listing the ids. */
export function paperExperiment(id: string): PaperExperiment {
  const exp = PAPER_EXPERIMENTS.find((e) => e.id === id);
  if (exp === undefined) {
    const ids = PAPER_EXPERIMENTS.map((e) => e.id).join(', ');
    throw new Error(`paperExperiment: unknown id '${id}' (${ids})`);
  }
  return exp;
}

function fmtNum(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** "η = 0.9, γ = 0.005" and the like, as Table 1 prints them. */
function otherParams(r: Table1Row): string {
  const parts: string[] = [];
  if (r.betas) parts.push(`β = (${r.betas.join(', ')})`);
  if (r.rho !== undefined) parts.push(`ρ = ${r.rho}`);
  if (r.momentum !== undefined) parts.push(`η = ${r.momentum}`);
  if (r.weightDecay !== undefined) parts.push(`γ = ${r.weightDecay}`);
  return parts.join(', ');
}

/** Table 1 as text rows for the report. */
export function formatTable1(): { header: string[]; rows: string[][] } {
  const header = ['Optimizer', 'Learning rate', 'Other parameters'];
  const rows = TABLE_1.map((r) => {
    const lr = r.lrRule ?? (r.lrGrid.length === 1
      ? fmtNum(r.lrGrid[0] as number)
      : `{${r.lrGrid.join(', ')}}`);
    return [OPTIMIZER_LABELS[r.optimizer], lr, otherParams(r)];
  });
  return { header, rows };
}

/** Table 1 as one record per optimizer (column name -> cell). */
export function table1Rows(): Array<Record<string, string>> {
  const t = formatTable1();
  return t.rows.map((row) => Object.fromEntries(t.header.map((h, i) => [h, row[i] ?? ''])));
}

function lrPlanText(p: LrPlan): string {
  return p.kind === 'multiStep'
    ? `x ${p.gamma} at epochs ${p.milestones.join(', ')}`
    : `x ${p.gamma} every ${p.every} epochs`;
}

/**
 * Appendix A.3 as one record per experiment: epochs, batch, lr
 * schedule, clipping, each optimizer's initial lr and SGDL's lr as a
 * multiple of SGDM's.
 */
export function paperExperimentRows(): Array<Record<string, string | number | null>> {
  return PAPER_EXPERIMENTS.map((e) => {
    const row: Record<string, string | number | null> = {
      experiment: e.id, source: e.source, epochs: e.numEpochs, batch: e.batchSize,
      'lr schedule': `${lrPlanText(e.lrPlan)} (not AdaDelta)`, 'clip norm': e.clipNorm ?? null,
    };
    for (const o of OPTIMIZER_NAMES) row[`${OPTIMIZER_LABELS[o]} lr`] = e.optimizers[o].lr;
    row['SGDL lr / SGDM lr'] = Number((e.optimizers.sgdl.lr / e.optimizers.sgdm.lr).toPrecision(4));
    return row;
  });
}

/** Every value of PAPER_EXPERIMENTS the paper does not state, and what is filled in. */
export function paperAssumptionRows(): Array<{ experiment: string; what: string; assumed: string }> {
  return PAPER_EXPERIMENTS.flatMap((e) => [
    ...(e.assumed === undefined ? [] : [{ experiment: e.id, what: 'whole run', assumed: e.assumed }]),
    ...OPTIMIZER_NAMES.flatMap((o) => {
      const a = e.optimizers[o].assumed;
      return a === undefined ? [] : [{ experiment: e.id, what: OPTIMIZER_LABELS[o], assumed: a }];
    }),
  ]);
}
