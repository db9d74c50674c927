/**
 * Sweep specs: a base config (a preset name or a config object) plus a
 * grid of values over config keys, expanded to the cartesian product
 * (first key slowest, like itertools.product), then any explicit points.
 *
 *   {
 *     "name": "smoke-lr-seed",
 *     "base": "smoke",                       // preset, or a config object
 *     "set": { "epochs": 2 },                // applied to the base first
 *     "grid": { "lr": [0.1, 0.5], "seed": [0, 1] },
 *     "points": [{ "optimizer": { "name": "sgdm", "lr": 0.1 } }],
 *     "slurm": { "gres": "gpu:1", "time": "04:00:00", "maxParallel": 8 }
 *   }
 *
 * Keys are config key paths as in `--set` (`optimizer.lr`, `model.n`,
 * `seed`, `profile`), with two extras: `lr` is `optimizer.lr`, and
 * `preset` replaces the base with a preset (before `set` and the other
 * keys). A value replaces what is at its path (objects too: a grid over
 * `optimizer` swaps whole optimizer specs); keys apply in the order they
 * are written, so `optimizer` then `optimizer.lr` works.
 *
 * `"plan": { "profile": "cpu", "sections": ["6.1"] }` adds every run of
 * those section plans (lib/experiments; all sections when none are
 * named), exactly the configs the notebooks train at that profile, so a
 * pool or a cluster can train a whole profile: `sweeps/cpu.json`.
 *
 * Every expanded config is validated by the trainer's schema before
 * anything runs, so a typo (`optimizer.lrr`) is an error naming the key,
 * and the spec itself is strict: an unknown key is an error.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { allPlans, PROFILES, SECTIONS } from "../experiments";
import {
  candidateIds, canonicalJson, ConfigError, parseConfig, PRESETS, preset, setKeyPath,
  shortHash, type TrainConfig,
} from "../train";

const json = z.json();
/** Slurm durations: "MM", "HH:MM:SS", "D-HH", "D-HH:MM:SS", ... */
const SLURM_TIME = /^(\d+-)?\d+(:\d+){0,2}$|^UNLIMITED$|^INFINITE$/;
/** Characters safe in an #SBATCH line without quoting. */
const SBATCH_VALUE = /^[A-Za-z0-9_.,:=+@/%-]+$/;
const sbatchValue = () =>
  z.string().regex(SBATCH_VALUE, "letters, digits and _.,:=+@/%- only");

/**
 * Resources of each Slurm array task (one config each). null: leave it
 * to the cluster's defaults.
 */
export const SlurmSpecSchema = z.object({
  /** --partition */
  partition: sbatchValue().nullable().default(null),
  /** --account (the allocation to charge) */
  account: sbatchValue().nullable().default(null),
  /** --qos */
  qos: sbatchValue().nullable().default(null),
  /** --gres per task, e.g. "gpu:1" or "gpu:a100:1". */
  gres: sbatchValue().nullable().default(null),
  /** --cpus-per-task; also the wasm engine's thread count. */
  cpusPerTask: z.number().int().min(1).default(1),
  /** --mem per task, e.g. "16G" (a number alone is MB). */
  mem: z.string().regex(/^\d+[KMGT]?$/, 'e.g. "16G" or "4000" (MB)').nullable().default(null),
  /** --time per task, e.g. "04:00:00" or "1-00:00:00". */
  time: z.string()
    .regex(SLURM_TIME, 'e.g. "30" (minutes), "04:00:00", "1-12:00:00"')
    .nullable().default(null),
  /** --constraint, e.g. "a100". */
  constraint: sbatchValue().nullable().default(null),
  /** The array's %max: tasks running at once (null: no limit). */
  maxParallel: z.number().int().min(1).nullable().default(null),
  /** More #SBATCH options, each one argument, e.g. "--exclusive". */
  sbatchArgs: z.array(z.string().regex(/^--?[A-Za-z]/, "options start with -")).default([]),
  /**
   * Shell lines run in each task before training, e.g.
   * "module load nodejs/20" or "source ~/venv/bin/activate".
   */
  setup: z.array(z.string()).default([]),
}).strict();

export type SlurmSpec = z.output<typeof SlurmSpecSchema>;

const PointSchema = z.record(z.string().min(1), json);

export const SweepSpecSchema = z.object({
  /** A name for people: job names, messages. */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/,
    "1-64 letters, digits, '.', '_' or '-'").optional(),
  /** A preset name, or a config object (what `--config file.json` holds). */
  base: z.union([z.string().min(1), z.record(z.string(), json)]).optional(),
  /** Overrides applied to the base (or each point's preset) first. */
  set: PointSchema.default({}),
  /** key path -> values; the sweep is their cartesian product. */
  grid: z.record(z.string().min(1),
    z.array(json).min(1, "empty list: give at least one value")).default({}),
  /** Explicit points (key path -> value), run after the grid's. */
  points: z.array(PointSchema).default([]),
  /** Every run of these section plans at a profile (after the points). */
  plan: z.object({
    profile: z.enum(PROFILES),
    /** Sections to include; default all. */
    sections: z.array(z.enum(SECTIONS)).min(1).optional(),
    /** Groups to include (e.g. "fig4-cifar10-resnet56"); default all. */
    groups: z.array(z.string().min(1)).min(1).optional(),
  }).strict().optional(),
  /** Resources per task for `--executor slurm` (flags override them). */
  slurm: SlurmSpecSchema.default(SlurmSpecSchema.parse({})),
  /** Worker processes for `--executor local` (null: one per core). */
  workers: z.number().int().min(1).nullable().default(null),
}).strict();

export type SweepSpecInput = z.input<typeof SweepSpecSchema>;
export type SweepSpec = z.output<typeof SweepSpecSchema>;

/** A spec that failed validation, or expanded to a bad config. */
export class SpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid sweep spec:\n  ${problems.join("\n  ")}`);
    this.name = "SpecError";
  }
}

/** One expanded config of a sweep. */
export interface SweepRun {
  /** Position in the sweep (the config file's number). */
  index: number;
  /** What this point sets, e.g. { "optimizer.lr": 0.1, seed: 1 }. */
  point: Record<string, unknown>;
  /** "lr=0.1 seed=1": the point for people. */
  label: string;
  /** The normalised config (defaults filled; backend as written). */
  config: TrainConfig;
  /**
   * The run ids its record may have: one, or one per engine when the
   * config says backend "auto" (train resolves it where it runs).
   */
  ids: string[];
}

export interface Sweep {
  /** Hash of the expanded configs: the sweep folder's name. */
  id: string;
  name: string;
  spec: SweepSpec;
  runs: SweepRun[];
  /** Points dropped because an earlier one is the same run. */
  duplicates: Array<{ label: string; sameAs: number }>;
}

/** Key aliases accepted in grids and points. */
const ALIASES: Record<string, string> = { lr: "optimizer.lr" };

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(spec)" : path.map(String).join(".");
}

/** Validates a spec object; throws SpecError naming each bad key. */
export function parseSpec(input: unknown): SweepSpec {
  const r = SweepSpecSchema.safeParse(input);
  if (!r.success) {
    throw new SpecError(r.error.issues.map((i) => {
      if (i.code === "unrecognized_keys") {
        const where = describePath(i.path);
        return i.keys.map((k) => `${where === "(spec)" ? k : `${where}.${k}`}: ` +
          `unknown key "${k}"${i.path.length === 0 ? "" : ` in ${where}`}`).join("\n  ");
      }
      return `${describePath(i.path)}: ${i.message}`;
    }));
  }
  const spec = r.data;
  const problems: string[] = [];
  const keys = Object.keys(spec.grid);
  const noPoints = keys.length === 0 && spec.points.length === 0;
  if (noPoints && spec.plan === undefined) {
    problems.push("grid: empty, and no points: give at least one key with " +
      'values (e.g. "grid": { "seed": [0, 1] }), a point or a plan');
  }
  const hasPreset = (o: Record<string, unknown>) => "preset" in o;
  const everyPointHasPreset = (keys.length === 0 || hasPreset(spec.grid)) &&
    spec.points.every(hasPreset);
  if (spec.base === undefined && !everyPointHasPreset && !noPoints) {
    problems.push('base: required (a preset name or a config object), unless ' +
      'every point names a "preset"');
  }
  const presetRefs = [
    ...(typeof spec.base === "string" ? [["base", spec.base]] : []),
    ...((spec.grid["preset"] ?? []).map((v, i) => [`grid.preset[${i}]`, v])),
    ...spec.points.flatMap((p, i) => "preset" in p ? [[`points[${i}].preset`, p["preset"]]] : []),
  ] as Array<[string, unknown]>;
  for (const [where, name] of presetRefs) {
    if (typeof name !== "string" || !(name in PRESETS)) {
      problems.push(`${where}: unknown preset ${JSON.stringify(name)} ` +
        "(`npm run train -- --list` shows them)");
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  return spec;
}

/** Reads and validates a spec file. */
export function loadSpec(path: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new SpecError([`${path}: cannot read (${code})`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SpecError([`${path}: not valid JSON (${(err as Error).message})`]);
  }
  return parseSpec(value);
}

/** Sets `value` at a dotted key path, creating objects on the way. */
/** The grid's points in order: the last key varies fastest. */
export function gridPoints(grid: Record<string, unknown[]>): Array<Record<string, unknown>> {
  const keys = Object.keys(grid);
  if (keys.length === 0) return [];
  let out: Array<Record<string, unknown>> = [{}];
  for (const k of keys) {
    out = out.flatMap((p) => grid[k]!.map((v) => ({ ...p, [k]: v })));
  }
  return out;
}

/** "lr=0.1 seed=1" */
export function pointLabel(point: Record<string, unknown>): string {
  const parts = Object.entries(point).map(([k, v]) =>
    `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return parts.length === 0 ? "(base)" : parts.join(" ");
}

/** The config input of one point. */
function pointInput(spec: SweepSpec, point: Record<string, unknown>): Record<string, unknown> {
  const p = point["preset"];
  const base: unknown = typeof p === "string" ? preset(p)
    : typeof spec.base === "string" ? preset(spec.base) : spec.base;
  const out = structuredClone((base ?? {}) as Record<string, unknown>);
  for (const [k, v] of Object.entries(spec.set)) setKeyPath(out, ALIASES[k] ?? k, structuredClone(v), k);
  for (const [k, v] of Object.entries(point)) {
    if (k === "preset") continue;
    setKeyPath(out, ALIASES[k] ?? k, structuredClone(v), k);
  }
  return out;
}

export { candidateIds };

/**
 * The runs of spec.plan: each section plan's configs at the profile,
 * labelled "<section> <group>: <run>" (a config two groups share once).
 */
function planEntries(spec: SweepSpec) {
  if (spec.plan === undefined) return [];
  const { profile, sections, groups } = spec.plan;
  const plans = allPlans(profile)
    .filter((p) => sections === undefined || sections.includes(p.section));
  const known = new Set(plans.flatMap((p) => Object.keys(p.groups)));
  const unknown = (groups ?? []).filter((g) => !known.has(g));
  if (unknown.length > 0) {
    throw new SpecError([`plan.groups: no group ${unknown.map((g) => `"${g}"`).join(", ")} ` +
      `in the selected plans; groups: ${[...known].join(", ")}`]);
  }
  return plans.flatMap((p) => Object.values(p.groups)
    .filter((g) => groups === undefined || groups.includes(g.name))
    .flatMap((g) => g.runs.map((r) => ({
      point: { plan: `${profile}/${p.section}`, group: g.name, run: r.label },
      label: `${p.section} ${g.name}: ${r.label}`,
      input: () => r.config,
    }))));
}

/**
 * Expands a spec to its configs, validating every one; throws SpecError
 * listing what is wrong (each distinct problem once, with the points it
 * affects) before anything runs.
 */
export function expandSpec(spec: SweepSpec): Sweep {
  const hasPoints = Object.keys(spec.grid).length > 0 || spec.points.length > 0;
  const points = hasPoints ? [...gridPoints(spec.grid), ...spec.points] : [];
  const entries: Array<{ point: Record<string, unknown>; label: string; input: () => unknown }> = [
    ...points.map((point) => ({ point, label: pointLabel(point), input: () => pointInput(spec, point) })),
    ...planEntries(spec),
  ];
  const problems = new Map<string, string[]>();
  const runs: SweepRun[] = [];
  const duplicates: Sweep["duplicates"] = [];
  const seen = new Map<string, number>();
  for (const { point, label, input } of entries) {
    let config: TrainConfig;
    try {
      config = parseConfig(input());
    } catch (err) {
      const msgs = err instanceof ConfigError ? err.problems : [(err as Error).message];
      for (const m of msgs) problems.set(m, [...(problems.get(m) ?? []), label]);
      continue;
    }
    const ids = candidateIds(config);
    const key = ids.join(",");
    const first = seen.get(key);
    if (first !== undefined) {
      duplicates.push({ label, sameAs: first });
      continue;
    }
    seen.set(key, runs.length);
    runs.push({ index: runs.length, point, label, config, ids });
  }
  if (problems.size > 0) {
    const which = (labels: string[]) =>
      labels.length === entries.length ? `all ${entries.length} points`
        : labels.length === 1 ? `point ${labels[0]}`
          : `${labels.length} points: ${labels.slice(0, 3).join("; ")}` +
            (labels.length > 3 ? "; ..." : "");
    throw new SpecError([...problems].map(([m, labels]) => `${m} (${which(labels)})`));
  }
  const id = shortHash(canonicalJson(runs.map((r) => r.config)));
  return { id, name: spec.name ?? `sweep-${id}`, spec, runs, duplicates };
}
