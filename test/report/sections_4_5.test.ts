/**
 * The Section 4 and 5 notebooks (04-theory, 05-igd) run headlessly at the
 * smoke profile into a temporary folder, and record the figures, tables
 * and claims the report is built from, with the verdicts the numerics
 * support.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Notebook } from "../../lib/report/notebook";
import type { ClaimRecord } from "../../lib/report/types";
import {
  assertAllCellsRan, figuresAndTables, records, reproducibleEnv, runSmoke, tempDir,
} from "./helpers";

const NAMES = ["04-theory", "05-igd"] as const;

const EXPECTED = {
  "04-theory": {
    figures: ["theorem1-error", "theorem2-quadratic", "theorem2-phase-retrieval", "theorem3-stay"],
    tables: ["theorem1-floors", "key-numbers"],
    claims: {
      "thm1-interpolation-necessary": "supported",
      "thm2-rho-sufficient": "supported",
      "lemma3-stay-probability": "supported",
    },
  },
  "05-igd": {
    figures: ["fig2-rho", "fig2-error", "fig2-solution"],
    tables: ["example1", "example2", "example3", "example4", "bounds"],
    claims: {
      "igd-sufficient-bound": "not supported",
      "igd-wide-range": "not supported",
      "igd-example1-closed-form": "supported",
      "igd-example2-regularisation": "supported",
      "igd-example4-linearisation": "supported",
    },
  },
} as const;

describe("sections 4 and 5 at the smoke profile", () => {
  const tmp = tempDir("sections45");
  const env = reproducibleEnv(tmp.dir);
  const out = join(tmp.dir, "out");
  let nbs = new Map<string, Notebook>();
  after(() => tmp.remove());

  before(async () => {
    nbs = await runSmoke(NAMES, out, env);
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
        assert.equal(f.provenance.profile, "smoke");
        assert.equal(f.provenance.data, "synthetic");
      }
      const files = readdirSync(join(tmp.dir, "figures", name));
      for (const f of want.figures) {
        assert.ok(files.includes(`${f}.svg`) && files.includes(`${f}.png`), f);
      }
      for (const t of want.tables) assert.ok(files.includes(`${t}.csv`), t);
    });

    it(`${name}: records its claims with the expected verdicts and valid evidence`, () => {
      const recs = records(nbs.get(name)!);
      const ids = new Set(recs.filter((r) => r.kind !== "claim").map((r) => r.id));
      const claims = recs.filter((r): r is ClaimRecord => r.kind === "claim");
      const verdicts = Object.fromEntries(claims.map((c) => [c.id, c.verdict]));
      assert.deepEqual(verdicts, want.claims);
      for (const c of claims) {
        assert.ok(c.evidence.length > 0, c.id);
        for (const e of c.evidence) assert.ok(ids.has(e), `${c.id}: evidence ${e} not recorded`);
      }
    });
  }
});
