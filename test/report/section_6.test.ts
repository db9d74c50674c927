/**
 * The section 6 notebooks (06-1-cifar ... 06-5-table1, 07-try-lr) run
 * headlessly at the smoke profile into a temporary folder, with a
 * temporary run cache (SGDL_RUNS_DIR), and record their figures (with
 * smoke provenance and the data's real / stand-in label in the caption),
 * tables and claims. 07-try-lr is run a second time at an lr that
 * diverges: the notebook must still succeed and say so.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CodeCell, Notebook } from "../../lib/report/notebook";
import {
  type ClaimRecord, type FigureRecord,
} from "../../lib/report/types";
import {
  assertAllCellsRan, figuresAndTables, readJson, records, reproducibleEnv, ROOT,
  runSmoke, script, tempDir,
} from "./helpers";

const NAMES = [
  "06-1-cifar", "06-2-imagenet32", "06-3-speech", "06-4-ptb", "06-5-table1", "07-try-lr",
] as const;
type Name = (typeof NAMES)[number];
const VERDICTS = ["supported", "not supported", "inconclusive", "not run"];

/** Every stream and text/plain output of a notebook, joined. */
function text(nb: Notebook): string {
  return nb.cells
    .filter((c): c is CodeCell => c.cell_type === "code")
    .flatMap((c) => c.outputs)
    .map((o) => {
      const x = o as { text?: string | string[]; data?: Record<string, string | string[]> };
      const t = x.text ?? x.data?.["text/plain"] ?? "";
      return Array.isArray(t) ? t.join("") : t;
    }).join("\n");
}

interface Expected {
  figures: string[];
  tables: string[];
  /** Claim ids, with the verdict where it is fixed at smoke (null: any valid one). */
  claims: Record<string, string | null>;
  data: "real" | "stand-in" | null;
  /** Words every figure caption must contain (the data set's label). */
  dataset: string | null;
}

const fig4 = "fig4-cifar10-resnet56";
const fig5 = "fig5-imagenet32-resnet56x4";
const fig6 = "fig6-speech-commands-lenet5";
const fig7 = "fig7-ptb-lstm2";
const EXPECTED: Record<Name, Expected> = {
  "06-1-cifar": {
    figures: ["fig3-cifar10-test-error", "fig3-cifar10-final", `${fig4}-train`, `${fig4}-test`,
      "lr-sensitivity"],
    tables: ["reductions", `${fig4}-final`, "lr-sensitivity-table", `${fig4}-time-to-target`, "claims"],
    claims: {
      "fig3-cifar10-larger-lr-helps-sgd": null,
      [`${fig4}-sgdl-matches-or-beats`]: null,
    },
    data: "real", dataset: "CIFAR-10 (real data)",
  },
  "06-2-imagenet32": {
    figures: [`${fig5}-train-error`, `${fig5}-top1`, `${fig5}-top5`],
    tables: ["reductions", `${fig5}-final`, "claims"],
    claims: {
      [`${fig5}-sgdl-matches-or-beats`]: null,
      [`${fig5}-sgdl-beats-sgdm-best-top1`]: null,
      [`${fig5}-adadelta-poor`]: null,
    },
    data: "stand-in", dataset: "stand-in for ImageNet32",
  },
  "06-3-speech": {
    figures: [`${fig6}-train`, `${fig6}-test`],
    tables: ["reductions", `${fig6}-final`, "claims"],
    claims: {
      [`${fig6}-sgdl-matches-or-beats`]: null,
      [`${fig6}-sgdl-beats-sgd`]: null,
    },
    data: "stand-in", dataset: "stand-in for Speech Commands",
  },
  "06-4-ptb": {
    figures: [`${fig7}-train`, `${fig7}-test`],
    tables: ["reductions", `${fig7}-final`, "claims"],
    claims: {
      [`${fig7}-sgdl-matches-or-beats`]: null,
      [`${fig7}-adam-fast-early-worse-late`]: null,
      [`${fig7}-adadelta-poor`]: null,
    },
    data: "stand-in", dataset: "stand-in for Penn Treebank",
  },
  "06-5-table1": {
    figures: [],
    tables: ["table1", "paper-experiments", "assumptions", "lr-grids"],
    claims: { "table1-sgdl-lr-rule": "supported" },
    data: null, dataset: null,
  },
  "07-try-lr": {
    figures: ["try-lr"], tables: [], claims: {}, data: "real", dataset: "CIFAR-10 (real data)",
  },
};

describe("section 6 notebooks at the smoke profile", () => {
  const tmp = tempDir("section6");
  const env = { ...reproducibleEnv(tmp.dir), SGDL_RUNS_DIR: join(tmp.dir, "runs") };
  const out = join(tmp.dir, "out");
  const outDiverged = join(tmp.dir, "out-diverged");
  let nbs = new Map<string, Notebook>();
  after(() => tmp.remove());

  before(async () => {
    // In order: 07-try-lr finds 06-1's runs in the cache.
    nbs = await runSmoke(NAMES, out, env);
  });

  it("the saved notebooks default to the cpu profile in their parameters cell", () => {
    for (const name of NAMES) {
      const nb = readJson(join(ROOT, "notebooks", `${name}.ipynb`));
      const code = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
      const first = code[0]!;
      assert.ok((first.metadata.tags ?? []).includes("parameters"), `${name}: first code cell`);
      const src = Array.isArray(first.source) ? first.source.join("") : first.source;
      assert.match(src, /const profile: string = "cpu";/, name);
      const md = nb.cells[0]!;
      assert.equal(md.cell_type, "markdown", name);
    }
  });

  for (const name of NAMES) {
    const want = EXPECTED[name];

    it(`${name}: every cell ran, without errors, as valid nbformat`, () => {
      assertAllCellsRan(join(out, `${name}.ipynb`));
    });

    it(`${name}: records its figures and tables with smoke provenance, and exports them`, () => {
      const { figs, tables } = figuresAndTables(nbs.get(name)!);
      assert.deepEqual(figs.map((f) => f.name).sort(), [...want.figures].sort());
      assert.deepEqual(tables.map((t) => t.name).sort(), [...want.tables].sort());
      for (const f of figs) {
        assert.equal(f.provenance.profile, "smoke", f.name);
        assert.match(f.provenance.engine, /^(tfjs |native: oneDNN)/, `${f.name}: ${f.provenance.engine}`);
        assert.deepEqual(f.provenance.seeds, [0], f.name);
        if (want.data !== null) assert.equal(f.provenance.data, want.data, f.name);
        assert.match(f.caption, /profile smoke/, f.name);
        assert.match(f.caption, /seed/, f.name);
        if (want.dataset !== null) assert.ok(f.caption.includes(want.dataset), `${f.name}: ${f.caption}`);
      }
      const files = want.figures.length + want.tables.length === 0 ? []
        : readdirSync(join(tmp.dir, "figures", name));
      for (const f of want.figures) {
        assert.ok(files.includes(`${f}.svg`) && files.includes(`${f}.png`), f);
      }
      for (const t of want.tables) assert.ok(files.includes(`${t}.csv`), t);
    });

    it(`${name}: records the section's claims with verdicts and valid evidence`, () => {
      const recs = records(nbs.get(name)!);
      const ids = new Set(recs.filter((r) => r.kind !== "claim").map((r) => r.id));
      const claims = recs.filter((r): r is ClaimRecord => r.kind === "claim");
      assert.deepEqual(claims.map((c) => c.id).sort(), Object.keys(want.claims).sort());
      for (const c of claims) {
        assert.ok(VERDICTS.includes(c.verdict), `${c.id}: ${c.verdict}`);
        const fixed = want.claims[c.id];
        if (fixed !== null && fixed !== undefined) assert.equal(c.verdict, fixed, c.id);
        assert.ok(c.paper.length > 0 && c.ours.length > 0, c.id);
        assert.ok(c.evidence.length > 0, c.id);
        for (const e of c.evidence) assert.ok(ids.has(e), `${c.id}: evidence ${e} not recorded`);
      }
    });
  }

  it("06-1-cifar: the reductions table sets the paper's settings beside ours", () => {
    const csv = readFileSync(join(tmp.dir, "figures", "06-1-cifar", "reductions.csv"), "utf8");
    assert.match(csv, /ResNet-56/);
    assert.match(csv, /ResNet-8/);
  });

  it("07-try-lr: trains the new lr, and finds the group's runs in the cache", () => {
    const t = text(nbs.get("07-try-lr")!);
    assert.match(t, /this run: trained now/);
    assert.match(t, /5 of 5 runs cached/);
  });

  it("07-try-lr: a diverging lr is drawn as diverged, not a crash", async () => {
    const r = await script("notebooks", [
      join(ROOT, "notebooks", "07-try-lr.ipynb"), "--profile", "smoke",
      "--param", "lr=300", "--out-dir", outDiverged,
    ], env);
    assert.equal(r.code, 0, r.stderr);
    const nb = readJson(join(outDiverged, "07-try-lr.ipynb"));
    assert.match(text(nb), /diverged/);
    const fig = records(nb).find((x): x is FigureRecord => x.kind === "figure");
    assert.ok(fig !== undefined);
    assert.match(fig.provenance.notes ?? "", /1 diverged/);
  });
});
