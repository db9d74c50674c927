/**
 * `train(config)`: the cached, resumable, concurrency-safe entry point.
 *
 *   const rec = await train({ model: { kind: "resnet", n: 1 },
 *     dataset: { name: "cifar10", trainPerClass: 20 },
 *     optimizer: { name: "sgdl", lr: 0.5 }, epochs: 2, batchSize: 32 });
 *   rec.history.map((m) => m.testError);
 *
 * 1. The config is validated and normalised; the engine is started
 *    (`backend: "auto"` becomes the engine actually used); the run id is
 *    the hash of the result (hash.ts).
 * 2. A finished record (completed or diverged) under `<runs>/<id>/` is
 *    returned as it is, unless `force`: tweak one lr and only that run
 *    trains.
 * 3. Otherwise the run's lock is taken (another process training the
 *    same run is waited for, and its record reused), and the run trains,
 *    resuming from its last checkpoint if a previous attempt was killed.
 */
import { readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  describeEngine, type EngineInfo, engineInfo, initEngine,
} from "../engine";
import { type Faults, removeStaleTemps } from "./atomic";
import { checkpointDir, removeCheckpoint } from "./checkpoint";
import { codeVersion } from "./code";
import { cellSignal } from "./interrupt";
import { datasetKind, parseConfig, type TrainConfig } from "./config";
import { loadTrainData } from "./data";
import { candidateIds, configHash } from "./hash";
import { acquireLock } from "./lock";
import { runLoop } from "./loop";
import { consoleProgress, type ProgressEvent, type ProgressHook } from "./progress";
import {
  isFinished, readRecord, recordPath, type RunRecord, runsDir,
} from "./record";

export interface TrainOptions {
  /** Where records live (default $SGDL_RUNS_DIR, else <data>/runs). */
  runsDir?: string;
  /** Train again even if a finished record exists (replaces it). */
  force?: boolean;
  /** Print nothing (onProgress is still called). */
  quiet?: boolean;
  /** Called with every progress event (a notebook's live display). */
  onProgress?: ProgressHook;
  /**
   * Stops the run at the next step; the record says "interrupted" and
   * the last checkpoint stays, so the next call resumes.
   */
  signal?: AbortSignal;
  /** How long to wait for another process training the same run. */
  waitTimeoutMs?: number;
  /** wasm threads, passed to initEngine. */
  threads?: number;
  /** Test hooks for crash-safety tests. */
  faults?: Faults;
}

let engineLineShown = false;

const UNITS = { image: "images", feature: "clips", text: "tokens" } as const;

/** Starts the engine a config asks for; returns the config resolved. */
export async function resolveEngine(
  cfg: TrainConfig,
  opts: Pick<TrainOptions, "quiet" | "threads"> = {},
): Promise<{ config: TrainConfig; engine: EngineInfo }> {
  const current = engineInfo();
  const engine = cfg.backend === "auto" && current !== null && opts.threads === undefined
    ? current
    : await initEngine({
      backend: cfg.backend,
      quiet: true,
      ...(opts.threads !== undefined && { threads: opts.threads }),
    });
  if (opts.quiet !== true && !engineLineShown) {
    engineLineShown = true;
    process.stderr.write(`${describeEngine(engine)}\n`);
  }
  return { config: { ...cfg, backend: engine.backend }, engine };
}

/** The run folder of a run id. */
export function runDirOf(id: string, dir?: string): string {
  return join(runsDir(dir), id);
}

/** Trains a config, or returns its finished record. */
export async function train(
  input: unknown,
  opts: TrainOptions = {},
): Promise<RunRecord> {
  const parsed = parseConfig(input);
  const { config, engine } = await resolveEngine(parsed, opts);
  const id = configHash(config);
  const dir = runDirOf(id, opts.runsDir);
  const hooks: ProgressHook[] = [];
  if (opts.quiet !== true) hooks.push(consoleProgress());
  if (opts.onProgress !== undefined) hooks.push(opts.onProgress);
  const emit: ProgressHook = (e) => hooks.forEach((h) => h(e));
  const note = (phase: ProgressEvent["phase"], rec: RunRecord | null, message: string) =>
    emit({
      runId: id, phase, epoch: rec?.history.length ?? 0, epochs: config.epochs,
      step: 0, steps: 0, loss: null, lr: config.optimizer.lr, throughput: 0,
      unit: UNITS[datasetKind(config.dataset.name)], elapsedSeconds: 0, etaSeconds: null,
      metrics: rec?.final ?? null, status: rec?.status ?? null, message,
    });

  if (opts.force !== true) {
    const found = finishedRecord(parsed, engine, opts.runsDir);
    if (found !== null) {
      const [done, at] = found;
      const other = done.engine.backend === engine.backend ? "" : `, made on ${done.engine.backend}`;
      note("cached", done, `${done.status} (cached${other}): ${recordPath(at)}`);
      return done;
    }
  }
  const lock = await acquireLock(join(dir, "lock"), {
    ...(opts.waitTimeoutMs !== undefined && { timeoutMs: opts.waitTimeoutMs }),
    onWait: (h) => note("waiting", null, `waiting for ${h === null
      ? "another process"
      : `pid ${h.pid} on ${h.hostname}`} to finish this run`),
  });
  try {
    // Whoever held the lock may have finished the run meanwhile.
    const done = opts.force === true ? null : readRecord(dir);
    if (isFinished(done)) {
      note("cached", done, `${done.status} (trained by another process): ${recordPath(dir)}`);
      return done;
    }
    removeStaleTemps(dir);
    removeStaleTemps(checkpointDir(dir));
    if (opts.force === true) {
      removeCheckpoint(dir);
      rmSync(recordPath(dir), { force: true });
    }
    const data = await loadTrainData(config.dataset, config.normalize);
    // A notebook cell's interrupt stops the run too (see interrupt.ts).
    const fromCell = opts.signal === undefined ? cellSignal() : undefined;
    const signal = opts.signal ?? fromCell ?? null;
    let ended = "";
    const rec = await runLoop({
      config,
      id,
      runDir: dir,
      engine,
      code: codeVersion(),
      data,
      emit: (e) => {
        if (e.phase === "done" && e.message !== null) ended = e.message;
        emit(e);
      },
      signal,
      faults: opts.faults ?? {},
    });
    // One line in the interrupted cell: where it stopped, how to go on.
    if (rec.status === "interrupted" && fromCell?.aborted === true) {
      process.stderr.write(`${id}: ${ended}\n`);
    }
    return rec;
  } finally {
    lock.release();
    // A run that failed before writing anything (bad data, say) leaves no folder.
    removeIfEmpty(dir);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Gone already, or another process is using it: leave it.
  }
}

/**
 * A finished record of `config` and its folder: under the running
 * engine's run id first, then (for `backend: "auto"`) any other engine's.
 */
function finishedRecord(
  config: TrainConfig,
  engine: EngineInfo,
  runsDirOpt: string | undefined,
): [RunRecord, string] | null {
  for (const id of candidateIds(config, engine.backend)) {
    const dir = runDirOf(id, runsDirOpt);
    const rec = readRecord(dir);
    if (isFinished(rec)) return [rec, dir];
  }
  return null;
}

/**
 * The record of a config if it exists, without training: for reports
 * that render from records. `backend: "auto"` resolves as in `train`
 * (this starts the engine if none is running); a finished record from
 * any engine is returned, else this engine's record in any status.
 */
export async function findRecord(
  input: unknown,
  opts: Pick<TrainOptions, "runsDir"> = {},
): Promise<RunRecord | null> {
  const parsed = parseConfig(input);
  const { config, engine } = await resolveEngine(parsed, { quiet: true });
  const found = finishedRecord(parsed, engine, opts.runsDir);
  if (found !== null) return found[0];
  return readRecord(runDirOf(configHash(config), opts.runsDir));
}
