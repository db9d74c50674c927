/**
 * How long-running data steps talk: one-line messages and throttled
 * progress (every 10% or 2 s, whichever comes first).
 */

export interface Reporter {
  info(message: string): void;
  progress(label: string, done: number, total: number): void;
}

export const silentReporter: Reporter = {
  info: () => {},
  progress: () => {},
};

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Writes to stderr, keeping stdout free for results. */
export function consoleReporter(write = (s: string) => {
  process.stderr.write(s);
}): Reporter {
  let lastLabel = "";
  let lastTime = 0;
  let lastTenth = -1;
  return {
    info: (m) => write(`${m}\n`),
    progress: (label, done, total) => {
      const now = Date.now();
      const tenth = total > 0 ? Math.floor((10 * done) / total) : -1;
      if (label !== lastLabel) {
        lastLabel = label;
        lastTenth = -1;
        lastTime = 0;
      }
      if (tenth === lastTenth && now - lastTime < 2000) return;
      lastTenth = tenth;
      lastTime = now;
      const amount =
        total > 1e5 ? `${mb(done)} / ${mb(total)}` : `${done} / ${total}`;
      const pct = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : "";
      write(`  ${label}: ${amount}${pct}\n`);
    },
  };
}
