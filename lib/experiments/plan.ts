/**
 * `plan(section, profile)`: the runs of one part of the paper's section
 * 6 at one size, as named figure groups of train configs.
 *
 *   const p = plan("6.1");                 // cpu profile
 *   p.groups["fig4-cifar10-resnet56"].runs.map((r) => r.config);
 *   p.settings;                            // the paper's value beside ours
 *
 * Every config starts from the paper preset of its experiment and
 * optimizer (`paper-<experiment>-<optimizer>`, lib/train presets, built
 * from lib/optim's PAPER_EXPERIMENTS); a reduced profile then swaps the
 * model, data, epochs, batch and evaluation cadence (scales.ts) and keeps
 * the rest, rescaling the lr schedule to the same shape. Group names are
 * the same at every profile, so a notebook's cells do not change.
 */
import {
  FIGURE_3_LRS, OPTIMIZER_LABELS, OPTIMIZER_NAMES, type OptimizerName,
  PAPER_EXPERIMENTS, type PaperExperiment, SGDL_PRESET, TABLE_1,
} from "../optim";
import { parseConfig, preset, type TrainConfigInput } from "../train";
import { DATASET_FACTS } from "../data/facts";
import { optimizersFigure, PAPER_FIGURES } from "../paper";
import { describeModel } from "./describe";
import { fmtLr } from "../report/numbers";
import { type Scale, type SectionScale, sectionScale } from "./scales";
import { settingRows } from "./settings";
import {
  type DataOrigin, type Plan, type PlanGroup, type PlanRun,
  PROFILES, type Profile, SECTIONS, type SectionId, type SettingRow,
} from "./types";

function isProfile(p: string): p is Profile {
  return (PROFILES as readonly string[]).includes(p);
}

const SECTION_TITLES: Record<SectionId, string> = {
  "6.1": "Section 6.1: CIFAR-10 and CIFAR-100 (Fig. 3, Fig. 4, Figs. 8-15)",
  "6.2": "Section 6.2: ImageNet32 (Fig. 5)",
  "6.3": "Section 6.3: Speech Commands (Fig. 6)",
  "6.4": "Section 6.4: LSTM language model on Penn Treebank (Fig. 7)",
  table1: "Table 1: the lr grid of every optimizer",
};

/** The experiments each section runs at the paper profile. */
const PAPER_SECTION: Record<Exclude<SectionId, "table1">, (e: PaperExperiment) => boolean> = {
  "6.1": (e) => e.dataset === "cifar10" || e.dataset === "cifar100",
  "6.2": (e) => e.dataset === "imagenet32",
  "6.3": (e) => e.dataset === "speech-commands",
  "6.4": (e) => e.dataset === "ptb",
};

/** The experiment Fig. 3 and the lr grids use at the paper profile. */
const PAPER_GRID_EXPERIMENT = "cifar10-resnet56";

function experiment(id: string): PaperExperiment {
  const e = PAPER_EXPERIMENTS.find((x) => x.id === id);
  if (e === undefined) throw new Error(`plan: no paper experiment "${id}"`);
  return e;
}

/** The paper's config of an experiment and optimizer (its preset). */
export function paperConfig(experimentId: string, optimizer: OptimizerName): TrainConfigInput {
  return preset(`paper-${experimentId}-${optimizer}`);
}

/** The paper's chosen lr of an optimizer in an experiment. */
export function paperLr(experimentId: string, optimizer: OptimizerName): number {
  return experiment(experimentId).optimizers[optimizer].lr;
}

/**
 * The paper's schedule at `epochs` epochs, same shape: milestones are
 * fractions of training already (the presets'); a step decay's period
 * scales.
 */
function rescaleSchedule(
  s: TrainConfigInput["schedule"],
  paperEpochs: number,
  epochs: number,
): TrainConfigInput["schedule"] {
  if (s?.kind === "step") return { ...s, every: Math.max(1, Math.round(s.every * epochs / paperEpochs)) };
  if (s?.kind === "multistep" && s.unit === "epoch") {
    throw new Error("plan: a paper preset's milestones must be fractions of training");
  }
  return s;
}

interface RunOptions {
  lr?: number;
  seed: number;
  /** Evaluate only after the last epoch (lr-grid runs need the final error only). */
  finalEvalOnly?: boolean;
}

/**
 * One run's config: the paper preset of (experiment, optimizer), reduced
 * by `scale` (null: the paper's settings), at `lr` (default the paper's)
 * and `seed`.
 */
export function runConfig(
  experimentId: string,
  optimizer: OptimizerName,
  profile: Profile,
  scale: Scale | null,
  opts: RunOptions,
): TrainConfigInput {
  const base = paperConfig(experimentId, optimizer);
  const lr = opts.lr ?? paperLr(experimentId, optimizer);
  const optim = { ...base.optimizer, lr } as TrainConfigInput["optimizer"];
  if (scale === null) {
    return {
      ...base, profile, optimizer: optim, seed: opts.seed,
      ...(opts.finalEvalOnly === true && { eval: { every: base.epochs } }),
    };
  }
  const schedule = rescaleSchedule(base.schedule, base.epochs, scale.epochs);
  return {
    profile,
    model: structuredClone(scale.model),
    dataset: structuredClone(scale.dataset),
    optimizer: optim,
    ...(schedule !== undefined && { schedule }),
    epochs: scale.epochs,
    batchSize: scale.batchSize,
    eval: {
      every: opts.finalEvalOnly === true ? scale.epochs : scale.evalEvery,
      ...(scale.evalSubsetPerClass !== undefined && opts.finalEvalOnly !== true &&
        { subsetPerClass: scale.evalSubsetPerClass }),
      // Fig. 5 reports top-5 error; a 10-class stand-in would not compute it by default.
      ...(experiment(experimentId).dataset === "imagenet32" && { topK: true }),
    },
    seed: opts.seed,
  };
}

function dataOrigin(cfg: TrainConfigInput): DataOrigin {
  return DATASET_FACTS[cfg.dataset.name].origin;
}

function figureOf(e: PaperExperiment): string {
  const figs = e.source.match(/Fig\. \d+/g) ?? [];
  return [...new Set(figs)].join(", ");
}

/** "ResNet-8 on CIFAR-10 (for ResNet-56 on CIFAR-10)"; at the paper profile the paper's. */
function describeOurs(cfg: TrainConfigInput, e: PaperExperiment, profile: Profile): string {
  const what = (c: TrainConfigInput) => {
    const p = parseConfig(c);
    return `${describeModel(p.model)} on ${DATASET_FACTS[p.dataset.name].label}`;
  };
  const paper = what(paperConfig(e.id, "sgdl"));
  return profile === "paper" ? paper : `${what(cfg)} (for ${paper})`;
}

/** The five optimizers at their paper lrs over seeds: Fig. 4-7. */
function optimizersGroup(
  e: PaperExperiment, profile: Profile, scale: Scale | null,
): PlanGroup {
  const seeds = scale?.seeds ?? [0];
  const runs: PlanRun[] = [];
  for (const optimizer of OPTIMIZER_NAMES) {
    for (const seed of seeds) {
      const config = runConfig(e.id, optimizer, profile, scale, { seed });
      runs.push({
        label: `${OPTIMIZER_LABELS[optimizer]} seed ${seed}`,
        optimizer, lr: paperLr(e.id, optimizer), seed, config,
      });
    }
  }
  const first = runs[0]!.config;
  const fig = optimizersFigure(e.dataset);
  return {
    name: `${fig.id}-${e.id}`,
    title: `${figureOf(e)}: the five optimizers, ${describeOurs(first, e, profile)}`,
    kind: "optimizers",
    figure: fig.id,
    paperFigure: figureOf(e),
    experiment: e.id,
    metric: fig.metric,
    data: dataOrigin(first),
    paperLr: null,
    runs,
    notes: scale === null ? [] : [scale.why],
  };
}

/** Fig. 3: vanilla SGD over lrs. */
function fig3Group(
  e: PaperExperiment, profile: Profile, scale: Scale | null, lrs: readonly number[], seed: number,
): PlanGroup {
  const runs = lrs.map((lr): PlanRun => ({
    label: `SGD lr ${lr}`, optimizer: "sgd", lr, seed,
    config: runConfig(e.id, "sgd", profile, scale, { lr, seed }),
  }));
  return {
    name: `fig3-${e.dataset}`,
    title: `Fig. 3: vanilla SGD with lr ${lrs.join(", ")}, ${describeOurs(runs[0]!.config, e, profile)}`,
    kind: "lr-sweep",
    figure: "fig3",
    paperFigure: PAPER_FIGURES.fig3.label,
    experiment: e.id,
    metric: PAPER_FIGURES.fig3.metric,
    data: dataOrigin(runs[0]!.config),
    paperLr: null,
    runs,
    notes: ["the paper's lrs 0.2 to 1.0 (steps of 0.2 reconstructed; see lib/optim FIGURE_3_LRS)"],
  };
}

/** The lr grid of one optimizer: Table 1's at the paper profile, ours otherwise. */
function gridGroup(
  e: PaperExperiment, optimizer: OptimizerName, profile: Profile, scale: Scale | null,
  lrs: readonly number[], seed: number, finalEvalOnly: boolean,
): PlanGroup {
  const lr0 = paperLr(e.id, optimizer);
  const runs = lrs.map((lr): PlanRun => {
    // The paper-lr point is the main comparison's run (shared through the cache).
    const onlyEnd = finalEvalOnly && lr !== lr0;
    return {
      label: `${OPTIMIZER_LABELS[optimizer]} lr ${fmtLr(lr)}`, optimizer, lr, seed,
      config: runConfig(e.id, optimizer, profile, scale, { lr, seed, finalEvalOnly: onlyEnd }),
    };
  });
  return {
    name: `lr-grid-${optimizer}`,
    title: `lr sensitivity of ${OPTIMIZER_LABELS[optimizer]}: ${lrs.map(fmtLr).join(", ")}, ` +
      describeOurs(runs[0]!.config, e, profile),
    kind: "lr-grid",
    figure: "table1",
    paperFigure: PAPER_FIGURES.table1.label,
    experiment: e.id,
    metric: PAPER_FIGURES.table1.metric,
    data: dataOrigin(runs[0]!.config),
    paperLr: lr0,
    runs,
    notes: profile === "paper"
      ? ["the paper's own grid (Table 1; SGDL: A.3.1's {1.0, ..., 1.3}); sizes differ by optimizer"]
      : [`the same ${lrs.length} multiples of the paper lr for every optimizer; one seed` +
        (finalEvalOnly ? "; evaluated after the last epoch only" : "")],
  };
}

/** Table 1's grid of an optimizer (SGDL: the A.3.1 grid it was picked from). */
function table1Grid(optimizer: OptimizerName): number[] {
  if (optimizer === "sgdl") return [...SGDL_PRESET.lrGrid];
  const row = TABLE_1.find((r) => r.optimizer === optimizer);
  return [...(row?.lrGrid ?? [])];
}

function gridGroups(profile: Profile, sc: SectionScale | null): PlanGroup[] {
  if (sc === null) {
    const e = experiment(PAPER_GRID_EXPERIMENT);
    return OPTIMIZER_NAMES.map((o) => gridGroup(e, o, profile, null, table1Grid(o), 0, false));
  }
  if (sc.grid === undefined) return [];
  const g = sc.grid;
  const e = experiment(g.experiment);
  const scale = sc.experiments[g.experiment] ?? null;
  return OPTIMIZER_NAMES.map((o) => {
    const lr0 = paperLr(e.id, o);
    const lrs = g.factors.map((f) => Number((lr0 * f).toPrecision(12)));
    return gridGroup(e, o, profile, scale, lrs, g.seed, g.finalEvalOnly);
  });
}

function sectionGroups(section: Exclude<SectionId, "table1">, profile: Profile): {
  groups: PlanGroup[]; notes: string[];
} {
  const sc = sectionScale(section, profile);
  const groups: PlanGroup[] = [];
  if (sc === null) {
    const exps = PAPER_EXPERIMENTS.filter(PAPER_SECTION[section]);
    if (section === "6.1") {
      for (const e of exps.filter((x) => x.model === "resnet56")) {
        groups.push(fig3Group(e, profile, null, FIGURE_3_LRS, 0));
      }
    }
    for (const e of exps) groups.push(optimizersGroup(e, profile, null));
    if (section === "6.1") groups.push(...gridGroups(profile, null));
    return {
      groups,
      notes: ["paper profile: the paper's settings, one seed (the paper states none); " +
        "for GPU machines (tfjs-node-gpu) or a cluster (lib/sweep)"],
    };
  }
  if (sc.fig3 !== undefined) {
    for (const id of sc.fig3.experiments) {
      groups.push(fig3Group(experiment(id), profile, sc.experiments[id] ?? null, sc.fig3.lrs, sc.fig3.seed));
    }
  }
  for (const [id, scale] of Object.entries(sc.experiments)) {
    groups.push(optimizersGroup(experiment(id), profile, scale));
  }
  groups.push(...gridGroups(profile, sc));
  return { groups, notes: [...sc.notes] };
}

/**
 * The plan of a section at a profile (default "cpu"). Sections "6.1" to
 * "6.4" are the figures of section 6; "table1" is the lr grids (Table 1
 * at the paper profile; the equal-size sensitivity grids otherwise, the
 * same runs as 6.1's lr-grid groups).
 */
export function plan(section: SectionId, profile: Profile | string = "cpu"): Plan {
  if (!(SECTIONS as readonly string[]).includes(section)) {
    throw new Error(`plan: section must be one of ${SECTIONS.join(", ")}; got ${JSON.stringify(section)}`);
  }
  if (!isProfile(profile)) {
    throw new Error(`plan: profile must be smoke, cpu or paper; got ${JSON.stringify(profile)}`);
  }
  const { groups, notes } = section === "table1"
    ? {
      groups: gridGroups(profile, profile === "paper" ? null : sectionScale("6.1", profile)),
      notes: profile === "paper"
        ? ["Table 1's grids on ResNet-56 / CIFAR-10 (the paper does not say on which model it tuned)"]
        : ["every optimizer gets the same number of lrs (equal tuning budget)"],
    }
    : sectionGroups(section, profile);
  const byName: Record<string, PlanGroup> = {};
  for (const g of groups) {
    if (byName[g.name] !== undefined) throw new Error(`plan: duplicate group "${g.name}"`);
    byName[g.name] = g;
  }
  const settings: SettingRow[] = groups.flatMap((g) => settingRows(g, profile));
  return { section, profile, title: SECTION_TITLES[section], groups: byName, settings, notes };
}

/** Every section's plan at a profile (table1 shares its runs with 6.1). */
export function allPlans(profile: Profile = "cpu"): Plan[] {
  return SECTIONS.map((s) => plan(s, profile));
}

/** Every config of a plan, in order (a config in two groups appears twice). */
export function planConfigs(p: Plan): TrainConfigInput[] {
  return Object.values(p.groups).flatMap((g) => g.runs.map((r) => r.config));
}
