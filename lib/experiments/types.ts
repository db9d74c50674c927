/**
 * The shapes an experiment plan and its results take. A plan is plain
 * data: named figure groups, each a list of train configs, plus the
 * paper's settings beside ours, so a notebook can print it, estimate it,
 * run it and plot it without knowing how it was built.
 */
import type { DataOrigin } from "../data/facts";
import type { FigureId, GroupKind, MetricKind } from "../paper";
import type { OptimizerName } from "../optim";
import type { RunRecord, RunStatus, TrainConfig, TrainConfigInput } from "../train";

/** The parts of the paper's section 6 a plan covers. */
export const SECTIONS = ["6.1", "6.2", "6.3", "6.4", "table1"] as const;
export type SectionId = (typeof SECTIONS)[number];

/** The three sizes of one code path (MISSION "Scale"). */
export const PROFILES = ["smoke", "cpu", "paper"] as const;
export type Profile = TrainConfig["profile"];

/** What a group's runs compare, and its headline metric (lib/paper). */
export type { GroupKind, MetricKind };

/** Where a group's data comes from (as lib/report's provenance says it). */
export type { DataOrigin };

/** One run of a plan: a train config and what it varies. */
export interface PlanRun {
  /** "SGDL seed 1", "SGD lr 0.4", ... */
  label: string;
  optimizer: OptimizerName;
  /** Initial lr. */
  lr: number;
  seed: number;
  config: TrainConfigInput;
}

/** One figure (or table) of the paper, as runs. */
export interface PlanGroup {
  /** Key in `Plan.groups`, e.g. "fig4-cifar10-resnet56". */
  name: string;
  title: string;
  kind: GroupKind;
  /** The paper's figure or table it reproduces (lib/paper's PAPER_FIGURES). */
  figure: FigureId;
  /** The paper's figure or table it reproduces, e.g. "Fig. 4, Fig. 8". */
  paperFigure: string;
  /** The PAPER_EXPERIMENTS id whose settings it reduces. */
  experiment: string;
  metric: MetricKind;
  data: DataOrigin;
  /** The optimizer's paper lr (lr-grid, lr-sweep groups): the grid's centre. */
  paperLr: number | null;
  runs: PlanRun[];
  /** What a reader must know about this group (one line each). */
  notes: string[];
}

/** One line of the "reductions" table: the paper's value beside ours. */
export interface SettingRow {
  /** The group (or "all") the row is about. */
  group: string;
  setting: string;
  paper: string;
  ours: string;
  /** Whether ours differs from the paper's. */
  reduced: boolean;
}

export interface Plan {
  section: SectionId;
  profile: Profile;
  title: string;
  /** Figure groups by name, in the order a notebook shows them. */
  groups: Record<string, PlanGroup>;
  /** The paper's settings beside ours, per group and setting. */
  settings: SettingRow[];
  /** Plan-wide notes: what is not run at this profile and why. */
  notes: string[];
}

/** How one run of a plan ended. */
export interface RunOutcome {
  run: PlanRun;
  /** The record (completed, diverged or interrupted); null if it failed. */
  record: RunRecord | null;
  /** The record's status, "failed" (an error was thrown) or "missing" (not trained). */
  status: RunStatus | "failed" | "missing";
  /** True when the record came from the run cache. */
  cached: boolean;
  /** The error message of a failed run. */
  error: string | null;
}

export interface GroupResult {
  group: PlanGroup;
  /** The records that exist (diverged ones included), in plan order. */
  records: RunRecord[];
  outcomes: RunOutcome[];
}

export interface PlanResult {
  plan: Plan;
  groups: Record<string, GroupResult>;
  /** Runs that threw (out of memory, missing data, ...): kept, not rethrown. */
  failures: RunOutcome[];
  /** Runs that diverged (a result, drawn as such). */
  diverged: RunOutcome[];
  /** Wall seconds this call spent. */
  seconds: number;
}
