/**
 * A section 6 notebook in a few calls: each draws one of the paper's
 * figures as lib/paper declares it (its panels, its sentence, its
 * claims) from the plan's runs, with the verdicts right under it.
 *
 *   const v = await openSection("06-1-cifar", plan("6.1", profile));
 *   await v.reductions();          // the paper's settings beside ours
 *   await v.figure("fig3");        // every group of Fig. 3, then its claims
 *   await v.figure("fig4");
 *   await v.figure("table1");      // lr sensitivity (the lr grids)
 *   await v.timeToTarget(0);       // epochs and seconds to a test error
 *   await v.claims();              // the claims table
 */
import { PAPER_FIGURES, type FigureId, type PaperFigure } from "../paper";
import { pct, type Row, type Section, section } from "../report";
import { curves, finalTable, lrSensitivity, perplexity, timeToTarget, topK } from "./analysis";
import { type ClaimBook, claimBook, curveFigures, reductionsTable } from "./notebook";
import { curveTraces, readableRows, runPlanWithProgress, sensitivityTraces, whereText } from "./plots";
import { provenanceOf } from "./provenance";
import type { GroupResult, Plan, PlanResult } from "./types";
import { lrSensitivityOf, recordsOf } from "./views";

export interface SectionView {
  plan: Plan;
  result: PlanResult;
  section: Section;
  book: ClaimBook;
  /** The table of the paper's settings beside this profile's. */
  reductions(): Promise<void>;
  /** Every group of the plan that reproduces figure `id`, then the claims about it. */
  figure(id: FigureId): Promise<void>;
  /** Epochs and seconds each optimizer needs to reach `target` test error (0: SGDM's final mean). */
  timeToTarget(target: number): Promise<void>;
  /** The claims not yet shown, then the claims table. */
  claims(): Promise<void>;
}

/** One-line description of the plan, printed before training. */
export function planText(p: Plan): string {
  return [
    p.title,
    ...Object.values(p.groups).map((g) => `- ${g.name} (${g.runs.length} runs): ${g.title}`),
    ...p.notes.map((n) => `note: ${n}`),
  ].join("\n");
}

/**
 * Prints the plan, trains (or loads from the cache) its runs with a
 * progress line, and returns what the figure calls draw into the
 * notebook's section `id`.
 */
export async function openSection(id: string, p: Plan): Promise<SectionView> {
  console.log(planText(p));
  const result = await runPlanWithProgress(p, `${p.section} ${p.profile}`);
  const all = Object.values(result.groups).flatMap((g) => g.records);
  return sectionView(section(id, provenanceOf(all).provenance), result);
}

/** The figure calls of a plan's result, drawn into `s`. */
export function sectionView(s: Section, result: PlanResult): SectionView {
  const p = result.plan;
  const book = claimBook(result);
  const groups = (f: FigureId) => Object.values(result.groups).filter((g) => g.group.figure === f);
  return {
    plan: p, result, section: s, book,
    reductions: async () => { await reductionsTable(s, p); },
    async figure(fid) {
      const fig = PAPER_FIGURES[fid];
      if (fig.kind === "lr-grid") {
        await sensitivityFigures(s, book, result, fig);
        return;
      }
      for (const g of groups(fid)) {
        if (fig.kind === "lr-sweep") await sweepFigures(s, book, g, fig);
        else await optimizerFigures(s, book, g, fig);
        book.show(s, g.group.name);
      }
    },
    async timeToTarget(target) {
      for (const g of Object.values(result.groups).filter((x) => x.group.kind === "optimizers")) {
        await timeToTargetTable(s, book, g, target);
      }
    },
    claims: () => book.record(s, p.profile),
  };
}

const ERROR_AXIS = { tickformat: ".0%" } as const;

/** Fig. 3: test error by epoch, one line per lr; and the final test error against the lr. */
async function sweepFigures(s: Section, book: ClaimBook, g: GroupResult, fig: PaperFigure): Promise<void> {
  const recs = g.records;
  const name = g.group.name;
  const where = whereText(recs);
  const provenance = provenanceOf(recs).provenance;
  for (const p of fig.panels) {
    await s.figure(book.note(name, `${name}-${p.suffix}`), curveTraces(curves(recs, p.metric, "lr"), 1, true), {
      xaxis: { title: { text: "epoch" } }, yaxis: { title: { text: p.axis }, ...ERROR_AXIS },
    }, {
      caption: `${g.group.title}: ${p.axis} by epoch, one line per lr (x: diverged); ${where}.`,
      provenance, paper: fig.sentence, ours: book.ours(name),
    });
  }
  await s.figure(book.note(name, `${name}-final`), sensitivityTraces(lrSensitivity(recs), 1, false), {
    xaxis: { title: { text: "learning rate (vanilla SGD)" } },
    yaxis: { title: { text: "final test error" }, ...ERROR_AXIS },
  }, {
    caption: `${g.group.title}: final test error against the lr (x: diverged); ${where}.`,
    provenance, paper: fig.sentence, ours: book.ours(name),
  });
}

/** A mean times `scale`, rounded to `digits` places (or null). */
function meanOf(x: { mean: number } | null, scale: number, digits: number): number | null {
  return x === null ? null : Number((scale * x.mean).toFixed(digits));
}

/** The final-metrics table of an optimizer group, by its headline metric. */
function finalRows(g: GroupResult): { rows: Row[]; what: string } {
  const recs = g.records;
  switch (g.group.metric) {
    case "top5":
      return {
        rows: topK(recs).map((r) => ({
          optimizer: r.label, lr: r.lr, runs: r.runs, diverged: r.diverged,
          "final top-1 (%)": meanOf(r.top1, 100, 2), "final top-5 (%)": meanOf(r.top5, 100, 2),
          "best top-1 (%)": meanOf(r.bestTop1, 100, 2), "best top-5 (%)": meanOf(r.bestTop5, 100, 2),
        })),
        what: "final and best (lowest over evaluated epochs) test top-1 and top-5 error",
      };
    case "perplexity":
      return {
        rows: perplexity(recs).map((r) => ({
          optimizer: r.label, lr: r.lr, runs: r.runs, diverged: r.diverged,
          "final train perplexity": meanOf(r.train, 1, 1), "final test perplexity": meanOf(r.test, 1, 1),
          "best test perplexity": meanOf(r.bestTest, 1, 1),
        })),
        what: "final train and test perplexity",
      };
    case "error":
      return { rows: readableRows(finalTable(recs)), what: "final train and test error" };
  }
}

/** Fig. 4-7: the figure's panels (mean over seeds, min-max band), then the final metrics. */
async function optimizerFigures(s: Section, book: ClaimBook, g: GroupResult, fig: PaperFigure): Promise<void> {
  const name = g.group.name;
  await curveFigures(s, book, g, fig.panels.map((p) => [p.metric, p.suffix, p.axis] as const),
    { paper: fig.sentence, ...(fig.log === true && { log: true }) });
  const { rows, what } = finalRows(g);
  await s.table(book.note(name, `${name}-final`), rows, {
    caption: `${g.group.title}: ${what} per optimizer over completed seeds; ${whereText(g.records)}.`,
    provenance: provenanceOf(g.records).provenance,
  });
}

/** Table 1's grids: every optimizer's final test error against lr / its paper lr, and the table. */
async function sensitivityFigures(s: Section, book: ClaimBook, res: PlanResult, fig: PaperFigure): Promise<void> {
  const sens = lrSensitivityOf(res);
  const recs = recordsOf(res, "lr-grid");
  const name = Object.values(res.groups).find((x) => x.group.kind === "lr-grid")?.group.name ?? "lr-grid";
  const where = whereText(recs);
  const provenance = provenanceOf(recs).provenance;
  const best = sens.map((x) => `${x.label} ${x.best === null ? "all diverged"
    : `${pct(x.best.value)} at lr ${x.best.lr}`}`).join(", ");
  await s.figure(book.note(name, "lr-sensitivity"), sensitivityTraces(sens, 1, true), {
    xaxis: { title: { text: "lr / the optimizer's paper lr" }, type: "log" },
    yaxis: { title: { text: "final test error" }, ...ERROR_AXIS },
  }, {
    caption: `Final test error against lr / paper lr, ${sens[0]?.points.length ?? 0} lrs per ` +
      `optimizer (x: diverged); ${where}.`,
    provenance, paper: fig.sentence, ours: `Best lr of each grid: ${best}.`,
  });
  await s.table(book.note(name, "lr-sensitivity-table"), sens.flatMap((x) => x.points.map((q) => ({
    optimizer: x.label, lr: q.lr, "lr / paper lr": q.factor,
    "final test error (%)": q.value === null ? null : Number((100 * q.value).toFixed(2)),
    runs: q.runs, diverged: q.diverged,
  }))), { caption: `The lr-sensitivity grid, final test error per lr; ${where}.`, provenance });
}

/** Epochs and seconds until each optimizer's test error first reaches `target`. */
async function timeToTargetTable(s: Section, book: ClaimBook, g: GroupResult, target: number): Promise<void> {
  const tt = timeToTarget(g.records, "testError", target > 0 ? target : null);
  const goal = Number.isFinite(tt.target) ? pct(tt.target) : "none (no completed run)";
  await s.table(book.note(g.group.name, `${g.group.name}-time-to-target`), tt.series.map((x) => ({
    optimizer: x.label, lr: x.lr, reached: `${x.reached}/${x.runs}`,
    epochs: x.epochs === null ? null : Number(x.epochs.mean.toFixed(2)),
    "wall seconds": x.seconds === null ? null : Number(x.seconds.mean.toFixed(1)),
    "train seconds": x.trainSeconds === null ? null : Number(x.trainSeconds.mean.toFixed(1)),
  })), {
    caption: `${g.group.title}: epochs and seconds until the test error first reaches ` +
      `${goal}; ${whereText(g.records)}.`,
    provenance: provenanceOf(g.records).provenance,
  });
}
