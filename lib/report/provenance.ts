/**
 * Provenance: what produced a figure (STYLE.md 6). The commit is the
 * project's code version (lib/train/code.ts: pinned once per notebook
 * run, so the notebooks the run rewrites do not count as changes);
 * "-modified" marks uncommitted code changes. $SGDL_COMMIT wins, for
 * builds outside a checkout.
 */
import { CODE_VERSION_ENV, codeVersion } from "../train/code";
import type { Provenance } from "./types";

let memo: string | null = null;

/**
 * The short commit of the project, "-modified" if the code has
 * uncommitted changes (read once per process unless pinned).
 */
export function gitCommit(): string {
  const env = process.env["SGDL_COMMIT"];
  if (env) return env;
  if (memo !== null && !process.env[CODE_VERSION_ENV]) return memo;
  const v = codeVersion();
  memo = v.commit === null ? "unknown" : `${v.commit.slice(0, 12)}${v.dirty === true ? "-modified" : ""}`;
  return memo;
}

/** Checks a provenance and fills in the commit. */
export function withCommit(owner: string, p: Provenance): Provenance {
  if (p === undefined || p === null || typeof p !== "object") {
    throw new TypeError(`${owner}: provenance is required ` +
      "({profile, engine, dataset, data, seeds})");
  }
  for (const key of ["profile", "engine", "dataset", "data"] as const) {
    if (typeof p[key] !== "string" || p[key] === "") {
      throw new TypeError(`${owner}: provenance.${key} must be a ` +
        `non-empty string, got ${JSON.stringify(p[key])}`);
    }
  }
  if (!["real", "stand-in", "synthetic"].includes(p.data)) {
    throw new RangeError(`${owner}: provenance.data must be "real", ` +
      `"stand-in" or "synthetic", got ${JSON.stringify(p.data)}`);
  }
  if (!Array.isArray(p.seeds) || !p.seeds.every(Number.isInteger)) {
    throw new TypeError(`${owner}: provenance.seeds must be integers`);
  }
  const out: Provenance = { ...p, seeds: [...p.seeds] };
  out.commit = p.commit ?? gitCommit();
  return out;
}

/** One line: "profile cpu · tfjs wasm · CIFAR-10 (real) · seeds 0, 1 · abc". */
export function provenanceLine(p: Provenance): string {
  const seeds = p.seeds.length === 1 ? `seed ${p.seeds[0]}`
    : `seeds ${p.seeds.join(", ")}`;
  const parts = [
    `profile ${p.profile}`, p.engine, `${p.dataset} (${p.data})`, seeds,
    `commit ${p.commit ?? "unknown"}`,
  ];
  if (p.notes) parts.push(p.notes);
  return parts.join(" · ");
}
