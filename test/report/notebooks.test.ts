/**
 * The committed notebooks are thin: what a cell does lives in lib/ and
 * the cell calls it. No code cell is longer than 15 lines, and no cell
 * decides a verdict (verdicts come from lib/experiments and lib/theory).
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readNotebook, sourceOf } from "../../lib/report/notebook";
import { ROOT } from "./helpers";

const dir = join(ROOT, "notebooks");
const names = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();

describe("the committed notebooks", () => {
  it("exist", () => assert.ok(names.length >= 9, names.join(", ")));

  for (const name of names) {
    it(`${name}: code cells of at most 15 lines, no verdict decided in a cell`, () => {
      for (const cell of readNotebook(join(dir, name)).cells) {
        if (cell.cell_type !== "code") continue;
        const src = sourceOf(cell);
        const lines = src.split("\n").length;
        assert.ok(lines <= 15, `${name}: cell ${cell.id} has ${lines} lines`);
        assert.doesNotMatch(src, /verdict\s*:/, `${name}: cell ${cell.id} decides a verdict`);
      }
    });
  }
});
