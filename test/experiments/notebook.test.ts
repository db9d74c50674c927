/**
 * claimBook, curveFigures and reductionsTable (what every section 6
 * notebook does with its plan's result) against a Section that only
 * collects what it is given: hand-made records, nothing trained or
 * rendered.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  claimBook, curveFigures, type GroupResult, plan, type PlanResult, reductionsTable,
} from "../../lib/experiments";
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

  test("a claim goes to the longest group name its id starts with", async () => {
    const res = result();
    const book = claimBook(res);
    book.note("fig4-cifar10", "short");
    book.note("fig4-cifar10-resnet56", "long");
    const s = collector();
    await book.record(s, "cpu");
    const c = s.claims.find((x) => x.id.startsWith("fig4-cifar10-resnet56-"))!;
    assert.deepEqual(c.evidence, ["long"]);
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
