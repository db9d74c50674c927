/**
 * Provenance: what produced a figure (STYLE.md 6). The commit is read
 * from git once per process ($SGDL_COMMIT wins, for builds outside a
 * checkout); "-modified" marks uncommitted changes to tracked files.
 */
import { execFileSync } from "node:child_process";
import { PROJECT_ROOT } from "./paths";
import type { Provenance } from "./types";

let commit: string | null = null;

function git(args: string[]): string {
  return execFileSync("git", args, {
    cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

/** The short commit of the project, "-modified" if tracked files differ. */
export function gitCommit(): string {
  const env = process.env["SGDL_COMMIT"];
  if (env) return env;
  if (commit !== null) return commit;
  try {
    const head = git(["rev-parse", "--short=12", "HEAD"]);
    let modified = false;
    try {
      modified = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    } catch {
      modified = false;
    }
    commit = modified ? `${head}-modified` : head;
  } catch {
    commit = "unknown";
  }
  return commit;
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
