/**
 * Obtaining a published npm package's tarball without installing it:
 * `npm pack <name>@<version>` into a cache folder, then a check of the
 * tarball against a pinned integrity (the registry's sha512).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ChecksumError, fromIntegrity, hashFile } from "../checksum";
import { type Reporter, silentReporter } from "./reporter";

export interface NpmTarball {
  name: string;
  version: string;
  /** `npm view <name>@<version> dist.integrity`, pinned in code. */
  integrity: string;
  /** Approximate size, for messages. */
  bytes: number;
}

/** The file name npm pack writes. */
export function tarballName(t: NpmTarball): string {
  return `${t.name.replace(/^@/, "").replace("/", "-")}-${t.version}.tgz`;
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("error", (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else {
        const tail = err.trim().split("\n").slice(-4).join("\n");
        reject(new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${tail}`));
      }
    });
  });
}

/** Verified path of the tarball in `dir`, packing it if needed. */
export async function npmPack(
  t: NpmTarball,
  dir: string,
  reporter: Reporter = silentReporter,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, tarballName(t));
  const expected = fromIntegrity(t.integrity);
  if (!existsSync(file)) {
    const mb = (t.bytes / 1e6).toFixed(0);
    reporter.info(`npm pack ${t.name}@${t.version} (~${mb} MB) ...`);
    await run("npm", ["pack", `${t.name}@${t.version}`, "--silent"], dir);
    if (!existsSync(file)) {
      throw new Error(`npm pack did not write ${tarballName(t)}`);
    }
  }
  const actual = await hashFile(file, expected.algorithm);
  if (actual !== expected.hex) {
    rmSync(file, { force: true });
    throw new ChecksumError(
      tarballName(t),
      expected,
      actual,
      "The tarball was deleted; run again to fetch it anew",
    );
  }
  reporter.info(`  ${tarballName(t)}: integrity ${t.integrity.slice(0, 20)}... ok`);
  return file;
}
