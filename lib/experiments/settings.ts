/**
 * The "reductions" table: for every group of a plan, the paper's value
 * of each setting beside ours, as text rows a notebook prints as they
 * are. The paper's side is read from the paper presets (so it cannot
 * drift from what the paper profile runs); ours from the group's
 * configs.
 */
import {
  FIGURE_3_LRS, OPTIMIZER_LABELS, OPTIMIZER_NAMES, SGDL_PRESET, TABLE_1,
} from "../optim";
import { parseConfig, preset, type TrainConfig } from "../train";
import {
  describeData, describeEval, describeModel, describeOptimizer, describeSchedule,
} from "./describe";
import type { PlanGroup, Profile, SettingRow } from "./types";

const list = (xs: readonly number[]) => `{${xs.map((x) => String(Number(x.toPrecision(6)))).join(", ")}}`;

function augmentText(c: TrainConfig): string {
  return c.augment === false
    ? "none"
    : `random crop from ${c.augment.pad}-px reflect padding${c.augment.flip ? ", horizontal flips" : ""}`;
}

function regularisation(c: TrainConfig): string | null {
  const m = c.model;
  if (m.kind !== "awd-lstm") return null;
  return `dropouts ${m.inputDropout}/${m.layerDropout}/${m.outputDropout}/` +
    `${m.embeddingDropout}, weight drop ${m.weightDrop}${m.tieWeights ? ", tied weights" : ""}`;
}

function paperOf(group: PlanGroup, optimizer: PlanGroup["runs"][number]["optimizer"]): TrainConfig {
  return parseConfig(preset(`paper-${group.experiment}-${optimizer}`));
}

/** The rows of one group. */
export function settingRows(group: PlanGroup, profile: Profile): SettingRow[] {
  const rows: SettingRow[] = [];
  const add = (setting: string, paper: string, ours: string, reduced = paper !== ours) =>
    rows.push({ group: group.name, setting, paper, ours, reduced });
  const seeds = [...new Set(group.runs.map((r) => r.seed))].join(", ");
  // The paper states no seeds: our seeds are an addition, not a reduction.
  const addSeeds = () => add("seeds", "not stated", seeds, false);
  if (group.kind === "lr-sweep") {
    add("lrs (vanilla SGD)", list(FIGURE_3_LRS), list(group.runs.map((r) => r.lr)));
    addSeeds();
    return rows;
  }
  if (group.kind === "lr-grid") {
    const o = group.runs[0]!.optimizer;
    const table = o === "sgdl"
      ? `${list(SGDL_PRESET.lrGrid)} (>= 10 x lr(SGDM), A.3.1)`
      : list(TABLE_1.find((r) => r.optimizer === o)?.lrGrid ?? []);
    const ours = list(group.runs.map((r) => r.lr));
    add(`lr grid ${OPTIMIZER_LABELS[o]}`, `Table 1: ${table}`,
      profile === "paper" ? `Table 1: ${table}` : ours);
    return rows;
  }
  // The five optimizers: the whole recipe.
  const byOpt = new Map(group.runs.map((r) => [r.optimizer, r]));
  const mainOpt = byOpt.has("sgdl") ? "sgdl" : group.runs[0]!.optimizer;
  const paper = paperOf(group, mainOpt);
  const ours = parseConfig(byOpt.get(mainOpt)!.config);
  add("data", describeData(paper), describeData(ours));
  add("model", describeModel(paper.model), describeModel(ours.model));
  const reg = [regularisation(paper), regularisation(ours)];
  if (reg[0] !== null && reg[1] !== null) add("regularisation", reg[0], reg[1]);
  add("epochs", String(paper.epochs), String(ours.epochs));
  add("batch size", String(paper.batchSize), String(ours.batchSize));
  add("lr schedule", `${describeSchedule(paper)} (AdaDelta: constant)`,
    `${describeSchedule(ours)} (AdaDelta: constant)`);
  add("augmentation", augmentText(paper), augmentText(ours));
  add("test evaluation", `${describeEval(paper)} (assumed)`, describeEval(ours),
    describeEval(paper) !== describeEval(ours));
  addSeeds();
  for (const o of OPTIMIZER_NAMES) {
    const run = byOpt.get(o);
    if (run === undefined) continue;
    const p = paperOf(group, o);
    const c = parseConfig(run.config);
    add(`${OPTIMIZER_LABELS[o]} lr`, String(p.optimizer.lr), String(c.optimizer.lr));
    add(`${OPTIMIZER_LABELS[o]} other`, describeOptimizer(p.optimizer), describeOptimizer(c.optimizer));
  }
  return rows;
}
