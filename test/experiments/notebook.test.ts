/**
 * claimBook, curveFigures and reductionsTable (what every section 6
 * notebook does with its plan's result) against a Section that only
 * collects what it is given: hand-made records, nothing trained or
 * rendered.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  claimBook, curveFigures, groupClaims, type GroupResult, plan, type PlanResult, reductionsTable, sectionView,
} from "../../lib/experiments";
import { PAPER_FIGURES } from "../../lib/paper";
import type { ClaimRecord, PlotLayout, Section } from "../../lib/report";
import type { RunRecord } from "../../lib/train";
import { fakeRecord, seeds } from "./helpers";

interface Drawn {
  kind: "figure" | "table"; name: string; layout?: PlotLayout; rows?: unknown; options: unknown;
}

/** A Section that records figures, tables and claims instead of rendering them. */
function collector(): Section & { drawn: Drawn[]; claims: Array<Omit<ClaimRecord, "kind">> } {
  const drawn: Drawn[] = [];
  const claims: Array<Omit<ClaimRecord, "kind">> = [];
  return {
    id: "test", provenance: { profile: "cpu", engine: "wasm", dataset: "test", data: "real", seeds: [0] },
    drawn, claims,
    figure: async (name, _traces, layout, options) => {
      drawn.push({ kind: "figure", name, layout, options });
      return {} as never;
    },
    table: async (name, rows, options) => {
      drawn.push({ kind: "table", name, rows, options });
      return {} as never;
    },
    claim: (input) => {
      claims.push(input as never);
      return input as never;
    },
  } as Section & { drawn: Drawn[]; claims: Array<Omit<ClaimRecord, "kind">> };
}

/** The 6.1 cpu plan with records only in its first ResNet group (5 optimizers x 3 seeds). */
function result(): PlanResult {
  const p = plan("6.1", "cpu");
  const main = [
    ...seeds("sgdl", [0.30, 0.31, 0.32]), ...seeds("sgdm", [0.40, 0.41, 0.42]),
    ...seeds("sgd", [0.45, 0.46, 0.47]), ...seeds("adam", [0.35, 0.36, 0.37]),
    ...seeds("adadelta", [0.60, 0.61, 0.62]),
  ];
  const groups: Record<string, GroupResult> = {};
  for (const [name, group] of Object.entries(p.groups)) {
    const records: RunRecord[] = name === "fig4-cifar10-resnet56" ? main : [];
    groups[name] = { group, records, outcomes: [] };
  }
  return { plan: p, groups, failures: [], diverged: [], seconds: 0 };
}

describe("claimBook", () => {
  test("ours(group) joins what that group's claims found; no claims: 'no runs'", () => {
    const book = claimBook(result());
    const main = book.claims.filter((c) => c.id.startsWith("fig4-cifar10-resnet56-"));
    assert.equal(main.length, 1); // Fig. 4: SGDL matches or beats (AdaDelta's claim is Fig. 5's and 7's)
    assert.equal(book.ours("fig4-cifar10-resnet56"), main.map((c) => c.ours).join(" "));
    assert.match(book.ours("fig4-cifar10-resnet56"), /SGDL/);
    assert.equal(book.ours("no-such-group"), "no runs");
  });

  test("record() files every claim with the figures noted for its group, then the claims table", async () => {
    const book = claimBook(result());
    assert.equal(book.note("fig4-cifar10-resnet56", "fig4-a"), "fig4-a");
    book.note("fig4-cifar10-resnet56", "fig4-b");
    book.note("fig3-cifar10", "fig3-a");
    const s = collector();
    await book.record(s, "cpu");
    assert.deepEqual(s.claims.map((c) => c.id), book.claims.map((c) => c.id));
    for (const c of s.claims) {
      const want = c.id.startsWith("fig4-cifar10-resnet56-") ? ["fig4-a", "fig4-b"]
        : c.id.startsWith("fig3-cifar10-") ? ["fig3-a"] : ["reductions"];
      assert.deepEqual(c.evidence, want, c.id);
      assert.ok(c.ours.length > 0 && c.paper.length > 0);
    }
    assert.deepEqual(s.drawn.map((d) => [d.kind, d.name]), [["table", "claims"]]);
    assert.match(JSON.stringify(s.drawn[0]!.options), /profile cpu/);
  });

  test("show(s, group) files that group's claims once, with the evidence noted so far; record() the rest", async () => {
    const book = claimBook(result());
    book.note("fig4-cifar10-resnet56", "fig4-a");
    const s = collector();
    book.show(s, "fig4-cifar10-resnet56");
    book.show(s, "fig4-cifar10-resnet56");
    const mine = book.claims.filter((c) => c.id.startsWith("fig4-cifar10-resnet56-")).map((c) => c.id);
    assert.deepEqual(s.claims.map((c) => c.id), mine);
    assert.deepEqual(s.claims[0]!.evidence, ["fig4-a"]);
    book.note("fig4-cifar10-resnet56", "later");
    await book.record(s, "cpu");
    assert.deepEqual(s.claims.map((c) => c.id).sort(), book.claims.map((c) => c.id).sort());
    assert.deepEqual(s.claims[0]!.evidence, ["fig4-a"]);
  });
});

describe("sectionView: one call per figure of the paper", () => {
  test("fig4: each group's panels, its final table, then its claims right under them", async () => {
    const s = collector();
    const v = sectionView(s, result());
    await v.figure("fig4");
    const fig4 = Object.values(v.plan.groups).filter((g) => g.figure === "fig4").map((g) => g.name);
    assert.ok(fig4.length >= 1);
    assert.deepEqual(s.drawn.map((d) => d.name), fig4.flatMap((n) => [`${n}-train`, `${n}-test`, `${n}-final`]));
    assert.equal((s.drawn[0]!.options as { paper: string }).paper, PAPER_FIGURES.fig4.sentence);
    assert.deepEqual(s.claims.map((c) => c.id), fig4.map((n) => `${n}-sgdl-matches-or-beats`));
    assert.deepEqual(s.claims[0]!.evidence, ["fig4-cifar10-resnet56-train", "fig4-cifar10-resnet56-test",
      "fig4-cifar10-resnet56-final"]);
    await v.claims();
    assert.equal(new Set(s.claims.map((c) => c.id)).size, s.claims.length, "no claim filed twice");
    assert.deepEqual(s.drawn.at(-1)!.name, "claims");
  });

  test("fig3: the lr sweep's test error by epoch and its final error against the lr; table1: the grids", async () => {
    const s = collector();
    const v = sectionView(s, result());
    await v.figure("fig3");
    assert.deepEqual(s.drawn.map((d) => d.name), ["fig3-cifar10-test-error", "fig3-cifar10-final"]);
    assert.deepEqual(s.claims.map((c) => c.id), ["fig3-cifar10-larger-lr-helps-sgd"]);
    await v.figure("table1");
    assert.deepEqual(s.drawn.slice(2).map((d) => d.name), ["lr-sensitivity", "lr-sensitivity-table"]);
  });

  test("each group carries exactly its figure's claims (speech: SGDL vs SGDM and vs SGD, no AdaDelta)", () => {
    const kinds: Record<string, string[]> = {};
    for (const section of ["6.1", "6.2", "6.3", "6.4"] as const) {
      for (const group of Object.values(plan(section, "cpu").groups)) {
        const ids = groupClaims({ group, records: [], outcomes: [] }).map((c) => c.id);
        assert.deepEqual(ids, PAPER_FIGURES[group.figure].claims.map((k) => `${group.name}-${k}`));
        kinds[group.figure] = ids.map((id) => id.slice(group.name.length + 1));
      }
    }
    assert.deepEqual(kinds["fig6"], ["sgdl-matches-or-beats", "sgdl-beats-sgd"]);
    assert.deepEqual(kinds["fig4"], ["sgdl-matches-or-beats"]);
    assert.deepEqual(kinds["table1"], []);
  });
});

describe("failed runs", () => {
  test("a group with a failed run: its claims say 'failed: <run> (<reason>)', so does the caption", async () => {
    const res = result();
    const g = res.groups["fig4-cifar10-resnet56"]!;
    const run = g.group.runs.find((r) => r.optimizer === "adadelta" && r.seed === 1)!;
    g.outcomes = [{ run, record: null, cached: false, status: "failed",
      error: "data/runs/0123/record.json is not valid JSON" }];
    res.failures = [...g.outcomes];
    const book = claimBook(res);
    const mine = book.claims.filter((c) => c.id.startsWith("fig4-cifar10-resnet56-"));
    assert.ok(mine.length > 0);
    for (const c of mine) {
      assert.equal(c.verdict, "failed");
      assert.equal(c.ours, "failed: AdaDelta seed 1 (data/runs/0123/record.json is not valid JSON)");
    }
    const other = book.claims.filter((c) => !c.id.startsWith("fig4-cifar10-resnet56-"));
    assert.ok(other.every((c) => c.verdict !== "failed"));
    const s = collector();
    await curveFigures(s, book, g, [["testError", "test", "test error"]], { paper: "p" });
    assert.match((s.drawn[0]!.options as { caption: string }).caption,
      / failed: AdaDelta seed 1 \(data\/runs\/0123\/record\.json is not valid JSON\)\.$/);
  });
});

describe("curveFigures", () => {
  test("one figure per metric, named <group>-<suffix>, noted as evidence, percent axes", async () => {
    const res = result();
    const book = claimBook(res);
    const s = collector();
    const g = res.groups["fig4-cifar10-resnet56"]!;
    await curveFigures(s, book, g, [["trainError", "train", "train error"],
      ["testError", "test", "test error"]], { paper: "the paper says" });
    assert.deepEqual(s.drawn.map((d) => d.name),
      ["fig4-cifar10-resnet56-train", "fig4-cifar10-resnet56-test"]);
    for (const d of s.drawn) {
      assert.equal((d.layout!.yaxis as { tickformat?: string }).tickformat, ".0%");
      const o = d.options as { caption: string; paper: string; ours: string };
      assert.equal(o.paper, "the paper says");
      assert.equal(o.ours, book.ours("fig4-cifar10-resnet56"));
      assert.match(o.caption, /by epoch, mean over seeds/);
      assert.match(o.caption, /profile cpu/);
    }
    const s2 = collector();
    await book.record(s2, "cpu");
    assert.deepEqual(s2.claims.find((c) => c.id.startsWith("fig4-cifar10-resnet56-"))!.evidence,
      ["fig4-cifar10-resnet56-train", "fig4-cifar10-resnet56-test"]);
  });

  test("log: a log y axis (perplexity)", async () => {
    const lm = [0, 1].map((seed) => fakeRecord({ optimizer: "sgdl", seed, ppl: [300, 200] }));
    const res = result();
    const g: GroupResult = { ...res.groups["fig4-cifar10-resnet56"]!, records: lm };
    const s = collector();
    await curveFigures(s, claimBook(res), g, [["testPerplexity", "test", "test perplexity"]],
      { paper: "p", log: true });
    assert.equal((s.drawn[0]!.layout!.yaxis as { type?: string }).type, "log");
  });
});

describe("reductionsTable", () => {
  test("the plan's settings, paper beside ours, with the plan's notes in the caption", async () => {
    const p = plan("6.4", "cpu");
    const s = collector();
    await reductionsTable(s, p);
    const d = s.drawn[0]!;
    assert.equal(d.name, "reductions");
    const caption = (d.options as { caption: string }).caption;
    assert.match(caption, /^Section 6\.4 at profile cpu: the paper's settings and ours\./);
    for (const n of p.notes) assert.ok(caption.includes(n));
    const rows = d.rows as Array<Record<string, string>>;
    assert.equal(rows.length, p.settings.length);
    assert.deepEqual(Object.keys(rows[0]!), ["group", "setting", "paper", "ours", "reduced"]);
    assert.ok(rows.some((r) => r["reduced"] === "yes"), "the cpu profile reduces something");
  });
});
