/**
 * HTTP(S) downloads that are verified, resumable and never leave a half
 * file at the destination: bytes go to `<dest>.part`, an interrupted
 * transfer keeps the .part for the next attempt (HTTP Range), and only a
 * file with the expected checksum is renamed to `dest`. A file with the
 * wrong checksum is deleted and the error names expected and actual.
 */
import { createWriteStream, existsSync, renameSync, statSync } from "node:fs";
import { mkdirSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { basename, dirname } from "node:path";
import { type Checksum, ChecksumError, hashFile } from "../checksum";
import { type Reporter, silentReporter } from "./reporter";

export interface DownloadOptions {
  url: string;
  dest: string;
  /**
   * Expected checksum. null only where the caller verifies the contents
   * itself (e.g. every member of an archive) right after.
   */
  expected: Checksum | null;
  /** Expected size in bytes, when known. */
  size?: number;
  reporter?: Reporter;
  /** Abort when no bytes arrive for this long (default 60 s). */
  idleTimeoutMs?: number;
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DownloadError";
  }
}

/** What `download` did. */
export type DownloadResult = "present" | "downloaded" | "resumed";

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

function request(
  url: string,
  headers: Record<string, string>,
  idleMs: number,
  redirects = 5,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : u.protocol === "http:" ? http : null;
    if (!mod) {
      reject(new DownloadError(`unsupported URL scheme: ${url}`));
      return;
    }
    const req = mod.get(u, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      const loc = res.headers.location;
      if (status >= 300 && status < 400 && loc) {
        res.resume();
        if (redirects <= 0) {
          reject(new DownloadError(`${url}: too many redirects`));
          return;
        }
        const next = new URL(loc, u).toString();
        request(next, headers, idleMs, redirects - 1).then(resolve, reject);
        return;
      }
      resolve({ status, headers: res.headers, body: res });
    });
    req.setTimeout(idleMs, () => {
      req.destroy(new DownloadError(`${url}: no response for ${idleMs / 1000} s`));
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      const code = e.code ?? "";
      const offline = ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH",
        "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"].includes(code);
      reject(
        new DownloadError(
          `cannot reach ${u.host} (${code || e.message})` +
            (offline ? "; is this machine offline?" : ""),
        ),
      );
    });
  });
}

/** Downloads `url` to `dest`, verified; resumes a previous .part. */
export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, expected } = opts;
  const rep = opts.reporter ?? silentReporter;
  const idle = opts.idleTimeoutMs ?? 60_000;
  const name = basename(dest);
  if (existsSync(dest)) {
    if (expected === null) return "present";
    const actual = await hashFile(dest, expected.algorithm);
    if (actual === expected.hex) return "present";
    throw new ChecksumError(
      dest,
      expected,
      actual,
      "This file was not written by a verified download; delete it and run again",
    );
  }
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const headers: Record<string, string> = { "user-agent": "sgdl-notebooks" };
  if (have > 0) headers["range"] = `bytes=${have}-`;
  rep.info(`downloading ${url}${have > 0 ? ` (resuming at ${have} bytes)` : ""}`);
  const res = await request(url, headers, idle).catch((e: Error) => {
    throw new DownloadError(`${e.message}; or put ${name} at ${dest} by hand and run again`);
  });
  let start = 0;
  let result: DownloadResult = "downloaded";
  if (res.status === 206 && have > 0) {
    start = have;
    result = "resumed";
  } else if (res.status === 416 && have > 0) {
    res.body.resume();
    start = have; // nothing left to fetch: verify what is there
  } else if (res.status !== 200) {
    res.body.resume();
    throw new DownloadError(`${url}: HTTP ${res.status}`);
  } else if (have > 0) {
    rep.info(`  the server does not resume; starting ${name} again`);
  }
  if (res.status !== 416) {
    const length = Number(res.headers["content-length"] ?? NaN);
    const total = Number.isFinite(length) ? start + length : opts.size ?? 0;
    await receive(res.body, part, start, total, idle, rep, name);
  }
  const size = statSync(part).size;
  if (opts.size !== undefined && size !== opts.size) {
    if (size < opts.size) {
      throw new DownloadError(
        `${name}: interrupted at ${size} of ${opts.size} bytes; ` +
          `the partial file ${basename(part)} is kept: run again to resume`,
      );
    }
    rmSync(part, { force: true });
    throw new DownloadError(
      `${name}: ${size} bytes, expected ${opts.size}; the file was deleted, ` +
        `run again to download it anew`,
    );
  }
  const actual = expected ? await hashFile(part, expected.algorithm) : "";
  if (expected && actual !== expected.hex) {
    rmSync(part, { force: true });
    throw new ChecksumError(
      `${name} (from ${url})`,
      expected,
      actual,
      "The corrupt download was deleted; run again to download it anew",
    );
  }
  renameSync(part, dest);
  return result;
}

function receive(
  body: http.IncomingMessage,
  part: string,
  start: number,
  total: number,
  idle: number,
  rep: Reporter,
  name: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(part, start > 0 ? { flags: "a" } : { flags: "w" });
    let got = start;
    let failed: Error | null = null;
    const fail = (why: string) => {
      if (failed) return;
      failed = new DownloadError(
        `${name}: download interrupted at ${got}` +
          `${total > 0 ? ` of ${total}` : ""} bytes (${why}); the partial ` +
          `file ${basename(part)} is kept: run again to resume`,
      );
      body.destroy();
      out.end(() => reject(failed));
    };
    body.setTimeout(idle, () => fail(`no data for ${idle / 1000} s`));
    body.on("data", (c: Buffer) => {
      got += c.length;
      rep.progress(name, got, total);
    });
    body.on("aborted", () => fail("connection closed"));
    body.on("error", (e) => fail(e.message));
    out.on("error", (e) => fail(`cannot write: ${e.message}`));
    body.pipe(out);
    out.on("finish", () => {
      if (failed) return;
      if (!body.complete || (total > 0 && got < total)) {
        fail("connection closed early");
        return;
      }
      resolve();
    });
  });
}

