/**
 * progress(): one live-updating line for a long cell. In a kernel it is
 * one output updated in place (update_display_data with a display id
 * made from the label); in a terminal, a `\r` line on stderr. Updates
 * are throttled; the final state carries no timing, so re-running a
 * notebook writes the same output.
 */
import { display, inKernel } from "./display";
import { escapeHtml } from "./html";
import { slug } from "./ids";

export interface Progress {
  /** `done` of `total` steps finished; `note` e.g. "loss 0.31". */
  update(done: number, note?: string): void;
  /** The final state (all steps done unless `done` says otherwise). */
  finish(note?: string, done?: number): void;
}

export interface ProgressOptions {
  /** Minimum milliseconds between shown updates (default 250). */
  every?: number;
}

function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1;
  const n = Math.round(f * width);
  return "#".repeat(n) + ".".repeat(width - n);
}

/** The shown text: "label  12/40 [######..........] note". */
export function progressText(
  label: string, done: number, total: number, note?: string,
): string {
  const end = note ? ` ${note}` : "";
  return `${label}  ${done}/${total} [${bar(done, total)}]${end}`;
}

/** A live progress line for `total` steps. */
export function progress(
  label: string, total: number, options: ProgressOptions = {},
): Progress {
  const every = options.every ?? 250;
  const id = `sgdl-progress-${slug(label)}`;
  const kernel = inKernel();
  const tty = !kernel && process.stderr.isTTY === true;
  let shown = false;
  let last = -Infinity;
  const show = (done: number, note: string | undefined, final: boolean) => {
    const text = progressText(label, done, total, note);
    if (kernel) {
      const pct = total > 0 ? Math.round((100 * done) / total) : 100;
      display({
        "text/plain": text,
        "text/html": `<div class="sgdl-progress" style="font-family:monospace">` +
          `<progress value="${pct}" max="100" style="width:12em"></progress> ` +
          `${escapeHtml(label)} ${done}/${total}` +
          `${note ? " " + escapeHtml(note) : ""}</div>`,
      }, {}, { displayId: id, update: shown });
      shown = true;
    } else if (tty) {
      process.stderr.write(`\r${text}\u001b[K${final ? "\n" : ""}`);
    } else if (final) {
      process.stderr.write(text + "\n");
    }
  };
  return {
    update(done, note) {
      const now = Date.now();
      if (now - last < every && done < total) return;
      last = now;
      show(done, note, false);
    },
    finish(note, done = total) {
      show(done, note, true);
    },
  };
}
