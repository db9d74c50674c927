/**
 * Which code produced a run: the project's git commit and whether the
 * working tree had changes (tracked or untracked, ignored files aside).
 * Read-only git calls with GIT_OPTIONAL_LOCKS=0, so they never take the
 * index lock from someone committing at the same time.
 */
import { execFileSync } from "node:child_process";
import { PROJECT_ROOT } from "../data";

export interface CodeVersion {
  commit: string | null;
  dirty: boolean | null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
      stdio: ["ignore", "pipe", "ignore"],
      encoding: "utf8",
      timeout: 10_000,
    });
  } catch {
    return null;
  }
}

/** The commit and dirtiness of the project tree (nulls without git). */
export function codeVersion(): CodeVersion {
  const head = git(["rev-parse", "HEAD"]);
  if (head === null) return { commit: null, dirty: null };
  const status = git(["status", "--porcelain"]);
  return {
    commit: head.trim(),
    dirty: status === null ? null : status.trim() !== "",
  };
}
