/**
 * Progress of a run, as events: `train` lets a caller render one
 * live-updating display (a notebook's `onProgress`), and
 * `consoleProgress` prints them: in a terminal a one-line bar rewritten
 * with \r, otherwise one line per epoch.
 */
import type { EpochMetrics, RunStatus } from "./record";

export interface ProgressEvent {
  runId: string;
  /**
   * waiting: another process holds the run's lock; cached: a finished
   * record was found; resumed: restored from a checkpoint; train: after
   * each step; eval: evaluating; epoch: an epoch ended (metrics set);
   * done: the run ended (status set).
   */
  phase: "waiting" | "cached" | "resumed" | "start" | "train" | "eval" | "epoch" | "done";
  /** 1-based epoch being run (after `epoch`: the one that ended). */
  epoch: number;
  epochs: number;
  /** Steps done in this epoch, of about `steps`. */
  step: number;
  steps: number;
  /** Mean training loss so far this epoch (null before a step). */
  loss: number | null;
  lr: number;
  /** Examples per second this epoch, in `unit`. */
  throughput: number;
  unit: "images" | "clips" | "tokens";
  /** Seconds since this call started training. */
  elapsedSeconds: number;
  /** Estimated seconds left (null until there is a rate). */
  etaSeconds: number | null;
  metrics: EpochMetrics | null;
  status: RunStatus | null;
  message: string | null;
}

export type ProgressHook = (event: ProgressEvent) => void;

const UNIT_SHORT = { images: "img/s", clips: "clips/s", tokens: "tok/s" } as const;

/** "1h02m", "3m05s", "12s". */
export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

const fmt = (x: number | null, digits = 4) =>
  x === null ? "-" : Number.isFinite(x) ? x.toPrecision(digits) : String(x);
const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)}%`);

/** One line summing up an epoch's metrics. */
export function describeEpoch(m: EpochMetrics, epochs: number): string {
  const parts = [`epoch ${m.epoch}/${epochs}`, `lr ${fmt(m.lr, 3)}`,
    `train loss ${fmt(m.trainLoss)}`];
  if (m.trainPerplexity !== null) {
    parts.push(`train ppl ${fmt(m.trainPerplexity)}`);
    if (m.testPerplexity !== null) parts.push(`test ppl ${fmt(m.testPerplexity)}`);
  } else {
    parts.push(`train err ${pct(m.trainError)}`);
    if (m.testError !== null) {
      parts.push(`test loss ${fmt(m.testLoss)}`, `test err ${pct(m.testError)}`);
    }
    if (m.testTop5Error !== null) parts.push(`test top-5 err ${pct(m.testTop5Error)}`);
  }
  parts.push(`${m.throughput.toFixed(0)} ${UNIT_SHORT[m.unit]}`,
    `${m.epochSeconds.toFixed(1)} s`);
  return parts.join(", ");
}

/**
 * Prints events to `stream` (default stderr): a \r-rewritten bar in a
 * terminal, one line per epoch otherwise.
 */
export function consoleProgress(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressHook {
  const tty = stream.isTTY === true;
  let last = 0;
  let open = false;
  const clear = () => {
    if (open) stream.write("\r\x1b[K");
    open = false;
  };
  return (e) => {
    const tag = `[${e.runId}]`;
    switch (e.phase) {
      case "train":
      case "eval": {
        if (!tty) return;
        const now = performance.now();
        if (e.phase === "train" && now - last < 100 && e.step < e.steps) return;
        last = now;
        const what = e.phase === "eval"
          ? "evaluating"
          : `step ${e.step}/${e.steps} loss ${fmt(e.loss)} lr ${fmt(e.lr, 3)} ` +
            `${e.throughput.toFixed(0)} ${UNIT_SHORT[e.unit]}`;
        const eta = e.etaSeconds === null ? "" : ` eta ${formatSeconds(e.etaSeconds)}`;
        const width = Math.max(20, (stream.columns ?? 100) - 1);
        const line = `${tag} epoch ${e.epoch}/${e.epochs} ${what}${eta}`;
        stream.write(`\r\x1b[K${line.slice(0, width)}`);
        open = true;
        return;
      }
      case "epoch":
        clear();
        if (e.metrics !== null) stream.write(`${tag} ${describeEpoch(e.metrics, e.epochs)}\n`);
        return;
      default:
        clear();
        if (e.message !== null) stream.write(`${tag} ${e.message}\n`);
    }
  };
}
