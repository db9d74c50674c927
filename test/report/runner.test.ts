/**
 * The demo notebook through both executors, the Python-free runner
 * (`npm run notebooks`) and `jupyter nbconvert --execute` with the project
 * kernel; both write valid nbformat with the same outputs. A parameter
 * changes what the notebook computes; failing cells stop the command with
 * a message naming the notebook and the cell, and lose nothing.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  applyParameters, joinLines, readNotebook, writeNotebook, type CodeCell, type Notebook,
  type Output,
} from "../../lib/report/notebook";
import {
  FIXTURES, hasPythonNbformat, nbformatErrors, PYTHON, readJson, reproducibleEnv, ROOT,
  run, script, tempDir,
} from "./helpers";

const DEMO = join(ROOT, "notebooks", "00-toolchain.ipynb");
const python = hasPythonNbformat();

function codeCells(nb: Notebook): CodeCell[] {
  return nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
}

function allText(nb: Notebook): string {
  return codeCells(nb).flatMap((c) => c.outputs).map((o: Output) =>
    o.output_type === "stream" ? joinLines(o.text)
      : o.output_type === "error" ? `${o.ename}: ${o.evalue}`
      : joinLines(o.data["text/plain"] as string | string[] | undefined)).join("\n");
}

/** Outputs only, without nbclient's timing metadata. */
function outputsOf(nb: Notebook): unknown {
  return codeCells(nb).map((c) => ({ id: c.id, n: c.execution_count, outputs: c.outputs }));
}

describe("the demo notebook, headless", () => {
  const tmp = tempDir("runner");
  const env = reproducibleEnv(tmp.dir);
  after(() => tmp.remove());

  let lr17: Notebook;
  before(async () => {
    const r = await script("notebooks", [DEMO, "--profile", "smoke", "--param", "lr=1.7",
      "--out-dir", join(tmp.dir, "a")], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[00-toolchain\] cell 1\/\d+/);
    lr17 = readJson(join(tmp.dir, "a", "00-toolchain.ipynb"));
  });

  it("writes valid nbformat 4.5 with execution counts 1..n", { skip: !python }, () => {
    assert.equal(nbformatErrors(join(tmp.dir, "a", "00-toolchain.ipynb")), "");
    const counts = codeCells(lr17).map((c) => c.execution_count);
    assert.deepEqual(counts, counts.map((_, i) => i + 1));
    for (const c of codeCells(lr17)) assert.equal(c.metadata["execution"], undefined);
  });

  it("injects the parameters after the parameters cell", () => {
    const i = lr17.cells.findIndex((c) => (c.metadata.tags ?? []).includes("parameters"));
    const next = lr17.cells[i + 1]!;
    assert.deepEqual(next.metadata.tags, ["injected-parameters"]);
    assert.match(joinLines(next.source), /const profile: string = "smoke";/);
    assert.match(joinLines(next.source), /const lr: number = 1\.7;/);
  });

  it("shows figures as plotly JSON with HTML (no PNG in the bundle), the caption under them, and exports them", () => {
    const outputs = codeCells(lr17).flatMap((c) => c.outputs);
    const at = outputs.flatMap((o, i) =>
      o.output_type === "display_data" && "application/vnd.plotly.v1+json" in o.data ? [i] : []);
    assert.equal(at.length, 2);
    for (const i of at) {
      const f = outputs[i]!;
      const caption = outputs[i + 1]!;
      if (f.output_type !== "display_data" || caption.output_type !== "display_data") {
        assert.fail("a figure and its caption are display_data");
      }
      // JupyterLab's plotly renderer shows a bundle's PNG until hovered.
      assert.equal(f.data["image/png"], undefined);
      const html = joinLines(f.data["text/html"] as string[]);
      assert.match(html, /id="sgdl-figure-00-toolchain-/);
      assert.match(html, /src="data:image\/png;base64,/);
      assert.doesNotMatch(html, /Math\.random|Date\.now/);
      const spec = f.data["application/vnd.plotly.v1+json"] as { layout: Record<string, unknown> };
      assert.equal(spec.layout["width"], undefined);
      assert.match(joinLines(caption.data["text/markdown"] as string[]),
        /^\*\*00-toolchain\/[\w-]+\.\*\* .+\n\n<small>profile smoke/s);
    }
    const files = readdirSync(join(tmp.dir, "figures", "00-toolchain")).sort();
    assert.deepEqual(files, ["final-error.csv", "schedules.png", "schedules.svg",
      "sgd-error.png", "sgd-error.svg"]);
    assert.match(allText(lr17), /\[claim toolchain-constant-step: supported\]/);
  });

  it("computes with the injected lr: another lr, another result", async () => {
    const r = await script("notebooks", [DEMO, "--profile", "smoke", "--param", "lr=0.3",
      "--out-dir", join(tmp.dir, "b")], env);
    assert.equal(r.code, 0, r.stderr);
    const lr03 = readJson(join(tmp.dir, "b", "00-toolchain.ipynb"));
    const line = (nb: Notebook) => /lr = ([\d.]+): \|\|x - x\*\|\|\^2 = (\S+) after/.exec(allText(nb));
    const [, lrA, errA] = line(lr17) ?? [];
    const [, lrB, errB] = line(lr03) ?? [];
    assert.equal(lrA, "1.7");
    assert.equal(lrB, "0.3");
    assert.notEqual(errA, errB);
  });

  it("runs the same under jupyter nbconvert with the project kernel", { skip: !python }, async () => {
    const prefix = join(tmp.dir, "jupyter");
    const inst = await script("kernel", ["install", "--prefix", prefix]);
    assert.equal(inst.code, 0, inst.stderr);
    assert.ok(existsSync(join(prefix, "share", "jupyter", "kernels", "sgdl-ts", "kernel.json")));
    // The notebook as the runner saw it: same injected parameters.
    const dir = join(tmp.dir, "nbconvert");
    mkdirSync(dir);
    const nb = readNotebook(DEMO);
    applyParameters(nb, { profile: "smoke", lr: 1.7 });
    writeNotebook(join(dir, "00-toolchain.ipynb"), nb);
    const jenv = { ...env, JUPYTER_PATH: join(prefix, "share", "jupyter"),
      JUPYTER_RUNTIME_DIR: join(tmp.dir, "runtime"), JUPYTER_CONFIG_DIR: join(tmp.dir, "config") };
    const r = await nbconvert(["--to", "notebook", "--execute", "--output", "out.ipynb",
      "00-toolchain.ipynb"], jenv, dir);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, "out.ipynb");
    assert.equal(nbformatErrors(out), "");
    assert.deepEqual(outputsOf(readJson(out)), outputsOf(lr17));
  });
});

/** `jupyter nbconvert` (Debian jupyter-nbconvert), or the same module. */
function nbconvert(args: string[], env: Record<string, string>, cwd: string) {
  return existsSync("/usr/bin/jupyter-nbconvert")
    ? run("/usr/bin/jupyter", ["nbconvert", ...args], env, cwd)
    : run(PYTHON, ["-m", "nbconvert", ...args], env, cwd);
}

describe("failing cells", () => {
  const tmp = tempDir("fail");
  after(() => tmp.remove());

  it("fail the command, name notebook and cell, and keep later outputs", async () => {
    const nbs = join(tmp.dir, "nbs");
    mkdirSync(nbs);
    for (const f of ["type-error.ipynb", "throws.ipynb"]) {
      copyFileSync(join(FIXTURES, f), join(nbs, f));
    }
    const r = await script("notebooks", ["--notebooks-dir", nbs], reproducibleEnv(tmp.dir));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /throws\.ipynb: code cell 2 of 3 failed \(cells\[2\], id "throws"\)/);
    assert.match(r.stderr, /throw new RangeError\("loss is NaN at step 3"\)/);
    assert.match(r.stderr, /RangeError: loss is NaN at step 3/);
    assert.match(r.stderr, /type-error\.ipynb: code cell 2 of 3 failed \(cells\[2\], id "type-error"\)/);
    assert.match(r.stderr, /const lr: number = "fast";/);
    assert.match(r.stderr, /TypeScriptError: 1:7 - Type 'string' is not assignable to type 'number'/);
    assert.match(r.stderr, /2 of 2 notebooks failed/);
    for (const [f, ename] of [["type-error", "TypeScriptError"], ["throws", "RangeError"]]) {
      const path = join(nbs, `${f}.ipynb`);
      if (python) assert.equal(nbformatErrors(path), "");
      const [before, bad, later] = codeCells(readJson(path));
      assert.equal(before?.execution_count, 1);
      assert.match(allText({ ...readJson(path), cells: [before!] }), /before the failure/);
      assert.equal(bad?.execution_count, 2);
      const err = bad?.outputs.find((o) => o.output_type === "error");
      assert.equal(err?.output_type === "error" ? err.ename : "", ename);
      assert.equal(later?.execution_count, null);
      assert.deepEqual(later?.metadata.tags, ["not-run"]);
      assert.deepEqual(later?.outputs, [{ output_type: "stream", name: "stdout",
        text: ["output kept from an earlier run\n"] }]);
    }
  });

  it("an error thrown in lib/ points at its .ts line", async () => {
    const nbs = join(tmp.dir, "lib-nbs");
    mkdirSync(nbs);
    copyFileSync(join(FIXTURES, "throws-in-lib.ipynb"), join(nbs, "throws-in-lib.ipynb"));
    const r = await script("notebooks", ["--notebooks-dir", nbs], reproducibleEnv(tmp.dir));
    assert.equal(r.code, 1);
    const src = readFileSync(join(ROOT, "lib", "experiments", "plan.ts"), "utf8").split("\n");
    const line = src.findIndex((l) => l.includes("profile must be smoke, cpu or paper")) + 1;
    assert.ok(line > 0);
    assert.match(r.stderr, new RegExp(`at plan \\(lib/experiments/plan\\.ts:${line}:\\d+\\)`));
    const [cell] = codeCells(readJson(join(nbs, "throws-in-lib.ipynb")));
    const err = cell?.outputs.find((o) => o.output_type === "error");
    assert.ok(err?.output_type === "error" &&
      err.traceback.some((l) => l.includes(`lib/experiments/plan.ts:${line}:`)), "traceback in the notebook");
  });

  it("fail nbconvert with the kernel's error message", { skip: !python }, async () => {
    const prefix = join(tmp.dir, "jupyter");
    assert.equal((await script("kernel", ["install", "--prefix", prefix])).code, 0);
    copyFileSync(join(FIXTURES, "type-error.ipynb"), join(tmp.dir, "te.ipynb"));
    const r = await nbconvert(["--to", "notebook", "--execute", "--output", "te-out.ipynb",
      "te.ipynb"], { JUPYTER_PATH: join(prefix, "share", "jupyter"),
      JUPYTER_RUNTIME_DIR: join(tmp.dir, "runtime") }, tmp.dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /CellExecutionError/);
    assert.match(r.stderr, /TypeScriptError: 1:7 - Type 'string' is not assignable to type 'number'/);
  });
});
