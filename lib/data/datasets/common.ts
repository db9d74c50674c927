/** Helpers shared by the dataset modules. */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Checksum, verifyFile } from "../checksum";
import { download, type Reporter, type Source } from "../fetch";
import { extractTar, type ExtractOptions } from "../formats";
import { shortPath } from "../paths";

export interface FetchOptions {
  root?: string;
  /** Source ids in the order to try. */
  sources?: string[];
  reporter?: Reporter;
}

/** What a fetch did, and where the data is. */
export interface FetchResult {
  status: "present" | "fetched";
  /** The source that delivered it, or "existing files". */
  source: string;
  dir: string;
}

/** The error for data that is not there yet. */
export function notFound(what: string, path: string, how: string): Error {
  return new Error(`${what} not found at ${shortPath(path)}; ${how}`);
}

/** True when every listed file exists in dir. */
export function allExist(dir: string, names: string[]): boolean {
  return names.every((n) => existsSync(join(dir, n)));
}

/** Verifies each file of dir against its checksum (errors name it). */
export async function verifyAll(
  dir: string,
  sums: Record<string, Checksum>,
  hint = "",
): Promise<void> {
  for (const [name, sum] of Object.entries(sums)) {
    await verifyFile(join(dir, name), sum, shortPath(join(dir, name)), hint);
  }
}

/** The hint for corrupt files of a fetched dataset. */
export const refetchHint = (dir: string, name: string) =>
  `Delete ${shortPath(dir)} and run \`npm run data -- ${name}\` again`;

/**
 * Builds a folder atomically: `build` fills `<final>.tmp`, which replaces
 * `final` only when build (and its checks) succeed.
 */
export async function buildDir(
  final: string,
  build: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  rmSync(final, { recursive: true, force: true });
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
}

/** Seconds since `t0` (from performance.now()), one decimal. */
export const secondsSince = (t0: number) =>
  ((performance.now() - t0) / 1000).toFixed(1);

/** Where a dataset's official archive lives and how to check it. */
export interface OfficialArchive {
  url: string;
  checksum: Checksum;
  size?: number;
}

/**
 * The "official" source of a dataset: download its tarball to `tgz`
 * (verified, resumable), extract it into a fresh folder, let `check`
 * validate what came out, then move the folder into place at `dir`.
 */
export function officialTarSource(o: {
  official: OfficialArchive;
  tgz: string;
  dir: string;
  reporter: Reporter;
  extract?: ExtractOptions;
  check: (tmp: string, names: string[]) => Promise<void> | void;
}): Source {
  return {
    id: "official",
    describe: o.official.url,
    fetch: async () => {
      await download({
        url: o.official.url,
        dest: o.tgz,
        expected: o.official.checksum,
        ...(o.official.size !== undefined && { size: o.official.size }),
        reporter: o.reporter,
      });
      await buildDir(o.dir, async (tmp) => {
        const names = await extractTar(o.tgz, tmp, o.extract ?? {});
        await o.check(tmp, names);
      });
    },
  };
}
