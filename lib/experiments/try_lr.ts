/**
 * "Try a learning rate" (notebooks/07-try-lr): one run of section 6.1's
 * main comparison at an lr of the reader's choosing, trained (or read
 * from the run cache) with a live progress bar, drawn beside the cached
 * runs of its plan group. The notebook is three calls:
 *
 *   const run = await tryLr({ profile, optimizer, lr, seed }); // what, and how long
 *   const result = await run.train();                          // trains or loads
 *   await run.draw(result);                                    // the figure
 */
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, type OptimizerName } from "../optim";
import { type PlotTrace, progress, section } from "../report";
import { findRecord, type RunRecord, type TrainConfigInput, train } from "../train";
import { curves } from "./analysis";
import { estimateSeconds } from "./budget";
import { pct } from "../report/numbers";
import { plan } from "./plan";
import { provenanceOf } from "./provenance";
import { loadPlan } from "./run";
import { PROFILES, type PlanGroup, type PlanRun, type Profile } from "./types";

export interface TryLrOptions {
  profile: string;
  optimizer: string;
  /** The initial learning rate. */
  lr: number;
  seed: number;
}

export interface TryLrResult {
  /** The run's record; null when it failed (the reason was printed). */
  record: RunRecord | null;
  /** False when it came from the run cache. */
  trainedNow: boolean;
}

export interface TryLr {
  options: TryLrOptions;
  /** The plan group whose config it varies (the five optimizers at their paper lrs). */
  group: PlanGroup;
  /** The group's run it starts from (same optimizer and seed). */
  base: PlanRun;
  config: TrainConfigInput;
  /** Trains the run (or loads it), with a live progress bar. */
  train(): Promise<TryLrResult>;
  /** Draws it beside the group's cached runs, and lists what is not cached. */
  draw(result: TryLrResult): Promise<void>;
}

/**
 * The run to try: the main comparison's config with `lr`. Checks the
 * options (a clear error for a bad one) and prints what will run and,
 * before anything trains, whether it is cached or how long it will take.
 */
export async function tryLr(options: TryLrOptions): Promise<TryLr> {
  const { profile, optimizer, lr, seed } = options;
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new Error(`profile must be one of ${PROFILES.join(", ")}; got "${profile}"`);
  }
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(optimizer)) {
    throw new Error(`optimizer must be one of ${OPTIMIZER_NAMES.join(", ")}; got "${optimizer}"`);
  }
  if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`lr must be a positive number; got ${lr}`);
  const p = plan("6.1", profile as Profile);
  const group = Object.values(p.groups).find((g) => g.kind === "optimizers")!;
  const base = group.runs.find((r) => r.optimizer === optimizer && r.seed === seed)
    ?? group.runs.find((r) => r.optimizer === optimizer)!;
  const config = { ...base.config, seed, optimizer: { ...base.config.optimizer, lr } } as TrainConfigInput;
  const label = OPTIMIZER_LABELS[optimizer as OptimizerName];
  console.log(`${label} at lr ${lr}, seed ${seed}, with the config of "${group.name}" ` +
    `(paper lr ${base.lr}), profile ${profile}.`);
  const known = await findRecord(config);
  if (known?.status === "completed" || known?.status === "diverged") {
    console.log(`in the run cache (${known.status}): nothing to train.`);
  } else {
    const minutes = Math.ceil(estimateSeconds(config) / 60);
    console.log(`not in the run cache: it trains now, about ${minutes} minute${minutes === 1 ? "" : "s"} ` +
      "on a 2-core AVX-512 machine with the native engine (up to twice that on slower CPUs)" +
      `${known === null ? "" : ` (resuming after epoch ${known.history.length})`}; ` +
      "the bar below follows it epoch by epoch, with the time left.");
  }
  const run: TryLr = {
    options, group, base, config,
    train: () => trainTry(run, label),
    draw: (result) => drawTry(run, label, result, p),
  };
  return run;
}

/** ", about 7 min left" once an epoch has been timed (live only: the final line has no timing). */
function timeLeft(start: number, timed: number, left: number): string {
  if (timed < 1 || left <= 0) return "";
  const perEpoch = (performance.now() - start) / 1000 / timed;
  return `, about ${Math.max(1, Math.round((perEpoch * left) / 60))} min left`;
}

async function trainTry(run: TryLr, label: string): Promise<TryLrResult> {
  let trainedNow = true;
  let record: RunRecord | null = null;
  const bar = progress(`${label} lr ${run.options.lr}`, Number(run.config.epochs ?? 1));
  const start = performance.now();
  let done0: number | null = null; // epochs already done when this call started training
  try {
    record = await train(run.config, {
      quiet: true,
      onProgress: (e) => {
        if (e.phase === "cached") trainedNow = false;
        const done = e.phase === "epoch" ? e.epoch : Math.max(0, e.epoch - 1);
        done0 ??= done;
        bar.update(done, `epoch ${e.epoch}/${e.epochs}` + timeLeft(start, done - done0, e.epochs - done));
      },
    });
  } catch (err) {
    console.log(`the run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const finalErr = record?.final?.testError ?? null;
  bar.finish(record === null ? "failed" : `${record.status}` +
    (record.status === "diverged" ? ` at epoch ${record.diverged?.epoch}` : "") +
    (finalErr === null ? "" : `, final test error ${pct(finalErr)}`) +
    (trainedNow ? " (trained now)" : " (from the cache)"),
  record?.status === "completed" ? undefined : record?.history.length ?? 0);
  return { record, trainedNow };
}

async function drawTry(
  run: TryLr, label: string, result: TryLrResult, p: ReturnType<typeof plan>,
): Promise<void> {
  const { group } = run;
  const mine = result.record;
  const cached = await loadPlan(p, { groups: [group.name] });
  const others = cached.groups[group.name]!.records.filter((r) => r.id !== mine?.id);
  const traces: PlotTrace[] = curves(others, "testError").flatMap((c): PlotTrace[] => [
    ...(c.runs > 1 ? [{ type: "scatter", mode: "lines", showlegend: false, hoverinfo: "skip",
      x: [...c.x, ...c.x.slice().reverse()], y: [...c.max, ...c.min.slice().reverse()],
      fill: "toself", fillcolor: "#88888833", line: { width: 0 } }] : []),
    { type: "scatter", mode: "lines+markers", name: `${c.label} lr ${c.lr} (cached)`,
      x: c.x, y: c.mean, line: { width: 1.5 } },
  ]);
  for (const c of mine === null ? [] : curves([mine], "testError")) {
    traces.push({ type: "scatter", mode: "lines+markers", name: `${c.label} lr ${run.options.lr} (this run)`,
      x: c.x, y: c.mean, line: { color: "black", width: 4 } });
    for (const d of c.diverged) {
      traces.push({ type: "scatter", mode: "markers", name: "this run diverged", x: [d.epoch], y: [1],
        marker: { symbol: "x", size: 14, color: "black" } });
    }
  }
  const shown = mine === null ? others : [...others, mine];
  const s = section("07-try-lr", provenanceOf(shown).provenance);
  await s.figure("try-lr", traces, {
    xaxis: { title: { text: "epoch" } }, yaxis: { title: { text: "test error" }, tickformat: ".0%" },
  }, {
    caption: `${label} at lr ${run.options.lr} (thick) beside the cached runs of ${group.title}; ` +
      `${provenanceOf(shown).line}.`,
    provenance: provenanceOf(shown).provenance,
  });
  const missing = cached.groups[group.name]!.outcomes.filter((o) => o.record === null);
  console.log(`this run: ${mine === null ? "failed" : result.trainedNow ? "trained now" : "from the cache"}; ` +
    `group "${group.name}": ${group.runs.length - missing.length} of ${group.runs.length} runs cached` +
    (missing.length === 0 ? "." : `; not cached: ${missing.map((o) => o.run.label).join(", ")}.`));
}
