/**
 * Provenance of a set of records (STYLE.md 6, 7): which profile, engine,
 * data, seeds and commit produced them, as one line for a figure's
 * caption and as lib/report's `Provenance` object.
 *
 *   provenanceOf(res.groups["fig4-cifar10-resnet56"].records).line
 *   // "profile cpu · tfjs wasm (2 threads) · CIFAR-10 (real data) ·
 *   //  seeds 0, 1, 2 · commit 0c98f5d1a2b3 · 15 runs"
 */
import type { Provenance } from "../report/types";
import type { RunRecord } from "../train";

export interface RunProvenance {
  line: string;
  provenance: Provenance;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

/** "tfjs wasm (2 threads)", "native: oneDNN 2.6.3 under tfjs (1 thread)". */
export function engineText(r: RunRecord): string {
  const t = `${r.engine.threads} thread${r.engine.threads === 1 ? "" : "s"}`;
  const onednn = r.engine.native?.onednn ?? r.engine.versions["onednn"];
  return r.engine.backend === "native"
    ? `native: oneDNN ${onednn ?? "?"} under tfjs (${t})`
    : `tfjs ${r.engine.backend} (${t})`;
}

/** "0c98f5d1a2b3", "-dirty" when the tree had changes, "unknown" without git. */
export function commitText(r: RunRecord): string {
  if (r.code.commit === null) return "unknown";
  return `${r.code.commit.slice(0, 12)}${r.code.dirty === true ? "-dirty" : ""}`;
}

/** The one-line provenance of records (every distinct value of each field). */
export function provenanceOf(records: readonly RunRecord[], notes?: string): RunProvenance {
  const rs = [...records];
  const profiles = uniq(rs.map((r) => r.profile));
  const engines = uniq(rs.map(engineText));
  const datasets = uniq(rs.map((r) => r.dataset.label));
  const seeds = uniq(rs.map((r) => r.seed)).sort((a, b) => a - b);
  const commits = uniq(rs.map(commitText));
  const synthetic = rs.some((r) => r.dataset.name === "synthetic-text");
  const standIn = rs.some((r) => r.dataset.standIn !== null);
  const data = synthetic ? "synthetic" : standIn ? "stand-in" : "real";
  const diverged = rs.filter((r) => r.status === "diverged").length;
  const interrupted = rs.filter((r) => r.status === "interrupted").length;
  const counts = [`${rs.length} run${rs.length === 1 ? "" : "s"}`];
  if (diverged > 0) counts.push(`${diverged} diverged`);
  if (interrupted > 0) counts.push(`${interrupted} interrupted`);
  const extra = [counts.join(", "), ...(notes === undefined ? [] : [notes])].join("; ");
  const provenance: Provenance = {
    profile: profiles.join(", ") || "none",
    engine: engines.join(", ") || "none",
    dataset: datasets.join(", ") || "none",
    data,
    seeds,
    commit: commits.join(", ") || "unknown",
    notes: extra,
  };
  const seedText = seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.join(", ")}`;
  const line = [
    `profile ${provenance.profile}`, provenance.engine, provenance.dataset,
    seeds.length === 0 ? "no seeds" : seedText,
    `commit${commits.length > 1 ? "s" : ""} ${provenance.commit}`, extra,
  ].join(" · ");
  return { line, provenance };
}
