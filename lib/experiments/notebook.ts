/**
 * The blocks a section 6 notebook is drawn with (figures.ts puts them
 * together, one call per figure of the paper):
 *
 *   await reductionsTable(s, p);                  // paper's settings beside ours
 *   const book = claimBook(res);                  // the section's claims
 *   await curveFigures(s, book, g, [["testError", "test", "test error"]], {
 *     paper: "SGDL matches or beats SGDM (Fig. 4)." });
 *   book.show(s, g.group.name);                   // its claims, under its figures
 *   await book.record(s, profile);                // the rest + claims table
 *
 * `note(group, name)` records a figure or table as evidence for the
 * claims about that group; `ours(group)` is what those claims found (a
 * figure's "ours").
 */
import type { Section, Table } from "../report";
import { type ClaimResult, claimInput, groupClaims } from "./claims";
import { curves, type MetricName } from "./analysis";
import { curvesTop, curveTraces, whereText } from "./plots";
import { provenanceOf } from "./provenance";
import type { GroupResult, Plan, PlanResult } from "./types";

/** The table "reductions": the paper's value of every setting beside this profile's. */
export function reductionsTable(s: Section, p: Plan): Promise<Table> {
  return s.table("reductions", p.settings.map((r) => ({
    group: r.group, setting: r.setting, paper: r.paper, ours: r.ours, reduced: r.reduced ? "yes" : "",
  })), { caption: `Section ${p.section} at profile ${p.profile}: the paper's settings and ours. ` +
    p.notes.join(" ") });
}

export interface ClaimBook {
  /** The claims of the section's groups, with verdicts. */
  claims: ClaimResult[];
  /** What the claims about `group` found, one sentence each ("no runs" if none). */
  ours(group: string): string;
  /** Record `name` (a figure or table) as evidence for `group`'s claims; returns `name`. */
  note(group: string, name: string): string;
  /** Record `group`'s claims in `s` now (under its figures), with the evidence noted so far. */
  show(s: Section, group: string): void;
  /** Record every claim not yet shown, then draw the claims table. */
  record(s: Section, profile: string): Promise<void>;
}

/** The claims of a plan's result and the evidence the notebook draws for them. */
export function claimBook(res: PlanResult): ClaimBook {
  const byGroup = new Map(Object.values(res.groups).map((g) =>
    [g.group.name, groupClaims(g).map((c) => failedClaim(c, g))] as const));
  const claims = [...byGroup.values()].flat();
  const evidence = new Map<string, string[]>();
  const shown = new Set<string>();
  const show = (s: Section, group: string) => {
    for (const c of byGroup.get(group) ?? []) {
      if (shown.has(c.id)) continue;
      shown.add(c.id);
      s.claim(claimInput(c, evidence.get(group) ?? ["reductions"]));
    }
  };
  return {
    claims,
    ours: (group) => (byGroup.get(group) ?? []).map((c) => c.ours).join(" ") || "no runs",
    note: (group, name) => {
      evidence.set(group, [...(evidence.get(group) ?? []), name]);
      return name;
    },
    show,
    async record(s, profile) {
      for (const group of byGroup.keys()) show(s, group);
      await s.table("claims", claims.map((c) => ({ claim: c.claim, id: c.id, verdict: c.verdict })),
        { caption: `The paper's claims for this section and our verdicts (profile ${profile}).` });
    },
  };
}

/**
 * "failed: SGDM seed 1 (record.json is not valid JSON)" for the runs of
 * a group that failed (could not train, or their record is unreadable),
 * or "" when none did.
 */
export function failedText(g: GroupResult): string {
  const failed = g.outcomes.filter((o) => o.status === "failed");
  if (failed.length === 0) return "";
  return "failed: " + failed.map((o) => `${o.run.label} (${o.error ?? "unknown error"})`).join("; ");
}

/**
 * A claim about a group with failed runs is not judged on the runs that
 * are left: its verdict is "failed", naming the runs and why.
 */
function failedClaim(c: ClaimResult, g: GroupResult): ClaimResult {
  const text = failedText(g);
  return text === "" ? c : { ...c, verdict: "failed", ours: text, reason: text };
}

/** [metric, figure-name suffix, axis title] of one figure. */
export type CurveFigure = readonly [MetricName, string, string];

export interface CurveFigureOptions {
  /** What the paper says these figures show. */
  paper: string;
  /** Log y axis (perplexity); default: errors in percent, diverged runs at 100%. */
  log?: boolean;
}

/**
 * One figure per metric for a group of runs: the metric by epoch, mean
 * over seeds with the min-max band, diverged runs as an `x`; named
 * `<group>-<suffix>`, captioned with where the runs ran and noted as
 * evidence for the group's claims.
 */
export async function curveFigures(
  s: Section, book: ClaimBook, g: GroupResult, figures: readonly CurveFigure[],
  options: CurveFigureOptions,
): Promise<void> {
  const recs = g.records;
  const name = g.group.name;
  for (const [metric, suffix, axis] of figures) {
    const cs = curves(recs, metric);
    await s.figure(book.note(name, `${name}-${suffix}`),
      curveTraces(cs, options.log === true ? curvesTop(cs, 1) : 1), {
        xaxis: { title: { text: "epoch" } },
        yaxis: options.log === true ? { title: { text: axis }, type: "log" }
          : { title: { text: axis }, tickformat: ".0%" },
      }, {
        caption: `${g.group.title}: ${axis} by epoch, mean over seeds with the min-max band ` +
          `(x: diverged); ${whereText(recs)}.` +
          (failedText(g) === "" ? "" : ` ${failedText(g)}.`),
        provenance: provenanceOf(recs).provenance,
        paper: options.paper,
        ours: book.ours(name),
      });
  }
}
