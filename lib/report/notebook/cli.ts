/**
 * Command-line options shared by `npm run notebooks` and `npm run report`.
 */
import { resolve } from "node:path";
import { PROFILES } from "../types";
import { parseAssignment, type ParamValue } from "./params";

export interface CliOptions {
  names: string[];
  params: Record<string, ParamValue>;
  env: Record<string, string>;
  cellTimeout: number;
  outDir?: string;
  notebooksDir?: string;
  flags: Set<string>;
}

export class UsageError extends Error {}

/**
 * Parses `names... --profile P --param k=v --cell-timeout S --fresh
 * --cached-only --figures-dir D --out-dir D --notebooks-dir D` plus the boolean
 * `flags` a command accepts.
 */
export function parseCli(argv: string[], flags: string[] = []): CliOptions {
  const out: CliOptions = {
    names: [], params: {}, env: {}, cellTimeout: 0, flags: new Set(),
  };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) {
      throw new UsageError(`${name} needs a value`);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [key, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const next = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, key);
      i++;
      return v;
    };
    switch (key) {
      case "--profile":
        out.params["profile"] = checkedProfile(next(), "--profile");
        break;
      case "--param": {
        const [k, v] = parseAssignment(next());
        // The profile is checked however it is given.
        out.params[k] = k === "profile" ? checkedProfile(String(v), "--param profile") : v;
        break;
      }
      case "--cell-timeout": {
        const s = Number(next());
        if (!(s >= 0)) throw new UsageError("--cell-timeout wants seconds >= 0");
        out.cellTimeout = s;
        break;
      }
      case "--fresh":
        out.env["SGDL_FRESH"] = "1";
        break;
      case "--cached-only":
        out.env["SGDL_CACHED_ONLY"] = "1";
        break;
      case "--figures-dir":
        out.env["SGDL_FIGURES_DIR"] = resolve(next());
        break;
      case "--out-dir":
        out.outDir = resolve(next());
        break;
      case "--notebooks-dir":
        out.notebooksDir = resolve(next());
        break;
      default:
        if (flags.includes(key) && inline === undefined) {
          out.flags.add(key);
        } else if (arg.startsWith("--")) {
          throw new UsageError(`unknown option ${arg}`);
        } else {
          out.names.push(arg);
        }
    }
  }
  return out;
}

function checkedProfile(p: string, from: string): string {
  if (!(PROFILES as readonly string[]).includes(p)) {
    throw new UsageError(`${from} must be one of ${PROFILES.join(", ")}, got ${p}`);
  }
  return p;
}
