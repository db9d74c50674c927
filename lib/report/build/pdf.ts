/**
 * Reproducible PDF: Chromium (Skia) writes the print time into the
 * document's /CreationDate and /ModDate and nothing else that varies.
 * Both become SOURCE_DATE_EPOCH (the reproducible-builds convention) or
 * else the time of the HEAD commit, written in the same number of bytes
 * so the cross-reference offsets stay valid.
 */
import { execFileSync } from "node:child_process";
import { PROJECT_ROOT } from "../paths";

/** Seconds since 1970 to stamp the PDF with. */
export function sourceDateEpoch(): number {
  const env = process.env["SOURCE_DATE_EPOCH"];
  if (env && /^\d+$/.test(env)) return Number(env);
  try {
    const out = execFileSync("git", ["log", "-1", "--format=%ct"], {
      cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (/^\d+$/.test(out)) return Number(out);
  } catch {
    // not a checkout
  }
  return 0;
}

/** D:YYYYMMDDHHmmSS+00'00' for a time in seconds (UTC). */
export function pdfDate(epoch: number): string {
  const d = new Date(epoch * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}` +
    `${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}` +
    `${p(d.getUTCSeconds())}+00'00'`;
}

/** The PDF with its dates fixed (same length; other bytes untouched). */
export function fixPdfDates(pdf: Buffer, epoch = sourceDateEpoch()): Buffer {
  const text = pdf.toString("latin1");
  const stamp = pdfDate(epoch);
  const fixed = text.replace(
    /\/(CreationDate|ModDate) \((D:[0-9]{14}[^)]*)\)/g,
    (m, key: string, date: string) =>
      date.length === stamp.length ? `/${key} (${stamp})` : m,
  );
  return Buffer.from(fixed, "latin1");
}
