/**
 * The pieces without a kernel: nbformat writing, parameters, notebook
 * order, Markdown, PDF dates, the launcher's source fixes, options.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fixPdfDates, inline, markdown, pdfDate } from "../../lib/report/build";
import {
  applyParameters, ensureIds, INJECTED_TAG, parseCli, parseNotebook,
  parseParameters, pythonNumber, serializeNotebook, sortNotebooks, splitLines, tagsOf,
  type CodeCell, type Notebook,
} from "../../lib/report/notebook";
import { escapeMarkdown, formatNumber } from "../../lib/report/html";
import { checkName, domId, qualify } from "../../lib/report/ids";
import { plotSpec } from "../../lib/report";
import { ROOT } from "./helpers";

const launcher = createRequire(import.meta.url)(
  join(ROOT, "scripts", "kernel-launch.cjs")) as {
  patchSideOutputs(o: Array<{ path: string; data: string }>): Array<{ path: string; data: string }>;
  expandShorthands(ts: unknown, src: string): string;
  tslabTypeScript(dist: string): unknown;
  tslabDist(): string;
  errorContent(e: unknown): { ename: string; evalue: string; traceback: string[] };
  tslabConverter(dist: string): { createConverter(o: object): TslabConverter };
};

interface TslabConverter {
  convert(prevDecl: string, src: string): { declOutput?: string; diagnostics: unknown[] };
  close(): void;
}

function notebook(cells: Array<Partial<CodeCell> & { source: string }>): Notebook {
  return parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 4, metadata: {},
    cells: cells.map((c) => ({
      cell_type: "code", metadata: {}, outputs: [], execution_count: null, ...c,
    })),
  }));
}

describe("nbformat writing", () => {
  it("writing is idempotent: a written notebook reads back and writes the same bytes", () => {
    const path = join(ROOT, "notebooks", "00-toolchain.ipynb");
    const once = serializeNotebook(parseNotebook(readFileSync(path, "utf8")));
    assert.equal(serializeNotebook(parseNotebook(once)), once);
  });

  it("splits lines as Python's str.splitlines(keepends=True)", () => {
    assert.deepEqual(splitLines("a\nb\r\nc\rd"), ["a\n", "b\r\n", "c\r", "d"]);
    assert.deepEqual(splitLines(""), []);
    assert.deepEqual(splitLines("x\n"), ["x\n"]);
  });

  it("gives missing cell ids stable, unique values and upgrades to 4.5", () => {
    const a = notebook([{ source: "1" }, { source: "1" }]);
    const b = notebook([{ source: "1" }, { source: "1" }]);
    assert.equal(a.nbformat_minor, 5);
    assert.deepEqual(a.cells.map((c) => c.id), b.cells.map((c) => c.id));
    assert.notEqual(a.cells[0]?.id, a.cells[1]?.id);
    a.cells[1]!.id = a.cells[0]!.id;
    ensureIds(a);
    assert.notEqual(a.cells[0]?.id, a.cells[1]?.id);
  });

  it("keeps JSON MIME types as objects and splits text ones", () => {
    const nb = notebook([{ source: "x", outputs: [{
      output_type: "display_data", metadata: {},
      data: { "text/plain": "a\nb", "application/vnd.plotly.v1+json": { data: [] } },
    }] }]);
    const out = JSON.parse(serializeNotebook(nb)).cells[0].outputs[0];
    assert.deepEqual(out.data["text/plain"], ["a\n", "b"]);
    assert.deepEqual(out.data["application/vnd.plotly.v1+json"], { data: [] });
  });
});

describe("parameters", () => {
  const src = 'const profile: string = "cpu";\nconst lr = 0.5;\n' +
    "let seeds = [0, 1];\nconst flag = false;\nconst f = () => 1;";

  it("reads the declarations of the parameters cell", () => {
    const d = parseParameters(src);
    assert.deepEqual(d.map((x) => [x.name, x.kind, x.type]), [
      ["profile", "string", "string"], ["lr", "number", undefined],
      ["seeds", "array", undefined], ["flag", "boolean", undefined],
      ["f", "other", undefined],
    ]);
  });

  const base = () => notebook([
    { source: "// first" },
    { source: src, metadata: { tags: ["parameters"] } },
    { source: "const old = 1;", metadata: { tags: [INJECTED_TAG] } },
    { source: "lr * 2" },
  ]);

  it("injects typed overrides after the parameters cell, replacing old ones", () => {
    const nb = base();
    const inj = applyParameters(nb, { lr: "1.2", profile: "smoke", seeds: "[3, 4]" });
    assert.deepEqual(inj.values, { lr: 1.2, profile: "smoke", seeds: [3, 4] });
    assert.equal(nb.cells.length, 4);
    const cell = nb.cells[2]!;
    assert.deepEqual(tagsOf(cell), [INJECTED_TAG]);
    assert.match(String(cell.source), /^const lr: number = 1\.2;$/m);
    assert.match(String(cell.source), /^const profile: string = "smoke";$/m);
    assert.match(String(cell.source), /^const seeds: number\[\] = \[3,4\];$/m);
    // papermill-aware tools read the same values from the metadata.
    assert.deepEqual(nb.metadata["papermill"], { parameters: { lr: 1.2, profile: "smoke", seeds: [3, 4] } });
  });

  it("removes an old injected cell (and papermill's parameters) when nothing is overridden", () => {
    const nb = base();
    applyParameters(nb, { lr: "2" });
    applyParameters(nb, {});
    assert.equal(nb.cells.length, 3);
    assert.ok(nb.cells.every((c) => !tagsOf(c).includes(INJECTED_TAG)));
    assert.equal(nb.metadata["papermill"], undefined);
  });

  it("refuses unknown names and values of the wrong kind", () => {
    assert.throws(() => applyParameters(base(), { lrr: "1" }), /unknown parameter "lrr".*profile, lr/);
    assert.throws(() => applyParameters(base(), { lr: "fast" }), /lr.*not a number/);
    assert.throws(() => applyParameters(base(), { flag: "1" }), /expected a boolean/);
    assert.throws(() => applyParameters(notebook([{ source: "1" }]), { lr: "1" }), /no cell tagged "parameters"/);
  });
});

describe("command line", () => {
  it("reads names, profile, params and flags", () => {
    const o = parseCli(["00", "--profile", "smoke", "--param", "lr=1.5", "--param=seed=2",
      "--fresh", "--no-pdf"], ["--no-pdf"]);
    assert.deepEqual(o.names, ["00"]);
    assert.deepEqual(o.params, { profile: "smoke", lr: "1.5", seed: "2" });
    assert.equal(o.env["SGDL_FRESH"], "1");
    assert.ok(o.flags.has("--no-pdf"));
    assert.throws(() => parseCli(["--profile", "huge"]), /--profile must be one of/);
    assert.throws(() => parseCli(["--param", "profile=bogus"]), /--param profile must be one of smoke, cpu, paper, got bogus/);
    assert.throws(() => parseCli(["--bogus"]), /unknown option/);
  });
});

describe("paper order", () => {
  it("sorts by the numeric prefix, sub-sections after their section", () => {
    const sorted = sortNotebooks(["notes.ipynb", "10-x.ipynb", "06-2-imagenet.ipynb",
      "06-1-cifar.ipynb", "05-igd.ipynb", "06-ablations.ipynb", "04-theory.ipynb"]);
    assert.deepEqual(sorted, ["04-theory.ipynb", "05-igd.ipynb", "06-ablations.ipynb",
      "06-1-cifar.ipynb", "06-2-imagenet.ipynb", "10-x.ipynb", "notes.ipynb"]);
  });
});

describe("report pieces", () => {
  it("renders Markdown with math kept as TeX and HTML escaped", () => {
    const html = markdown("# T\n\nSome *x* and `a<b` with $a_i^2$.\n\n- one\n- two", 1);
    assert.match(html, /<h2>T<\/h2>/);
    assert.match(html, /<em>x<\/em>/);
    assert.match(html, /<code>a&lt;b<\/code>/);
    assert.match(html, /<span class="math">a_i\^2<\/span>/);
    assert.match(html, /<ul><li>one<\/li><li>two<\/li><\/ul>/);
    assert.equal(inline("<script>"), "&lt;script&gt;");
    assert.equal(inline("[x](javascript:void)"), "x");
    assert.equal(inline("[x](https://a.b/c)"), "<a href=\"https://a.b/c\">x</a>");
  });

  it("fixes the PDF dates without changing the length", () => {
    const pdf = Buffer.from("<< /CreationDate (D:20261129032916+00'00')\n" +
      "/ModDate (D:20261129032916+00'00') >>", "latin1");
    const fixed = fixPdfDates(pdf, 0);
    assert.equal(fixed.length, pdf.length);
    assert.equal(pdfDate(0), "D:19700101000000+00'00'");
    assert.match(fixed.toString("latin1"), /CreationDate \(D:19700101000000\+00'00'\)/);
  });

  it("makes ids from names and refuses unsafe names", () => {
    assert.equal(domId("figure", "06-1-cifar/Fig 3"), "sgdl-figure-06-1-cifar-fig-3");
    assert.deepEqual(qualify("05-igd", ["rho", "04-theory/x"]), ["05-igd/rho", "04-theory/x"]);
    assert.throws(() => checkName("figure", "name", "../x"), /name must be/);
  });

  it("formats numbers and cleans plot data", () => {
    assert.equal(formatNumber(0.123456), "0.1235");
    assert.equal(formatNumber(3e-7), "3.000e-7");
    const spec = plotSpec([{ y: new Float32Array([1, NaN, Infinity]) }], { width: 300 }, 50);
    assert.deepEqual(spec.data[0]?.y, [1, null, null]);
    // A live plot fills its container: a height, no width.
    assert.equal(spec.layout["width"], undefined);
    assert.equal(spec.layout["height"], 50);
    assert.equal(spec.layout["autosize"], true);
  });

  it("escapes Markdown, TeX dollars included", () => {
    assert.equal(escapeMarkdown("lr *x0.1* at $t$ [1] <b> #2 a_b"),
      "lr \\*x0.1\\* at \\$t\\$ \\[1\\] \\<b\\> \\#2 a\\_b");
  });
});

describe("kernel launcher fixes", () => {
  it("aliases folder imports and rewrites import.meta in tslab's output", () => {
    const out = launcher.patchSideOutputs([
      { path: "/p/lib/optim/index.js", data: "exports.a = 1;" },
      { path: "/p/lib/data/paths.js", data: "const u = import.meta.url;" },
    ]);
    const alias = out.find((o) => o.path === "/p/lib/optim.js");
    assert.equal(alias?.data, 'module.exports = require("./optim/index");\n');
    const paths = out.find((o) => o.path === "/p/lib/data/paths.js");
    assert.doesNotMatch(paths?.data ?? "", /import\.meta/);
    assert.equal((paths?.data ?? "").split("\n").length, 1);
  });

  it("expands shorthand properties (tslab loses earlier cells' names there)", () => {
    const ts = launcher.tslabTypeScript(launcher.tslabDist());
    assert.equal(launcher.expandShorthands(ts, "f({ profile, lr: 1 });"),
      "f({ profile: profile, lr: 1 });");
    assert.equal(launcher.expandShorthands(ts, "const { a } = o;"), "const { a } = o;");
  });

  it("a change on disk while a kernel lives does not fail the next cell (tslab's timers)", async () => {
    // A new file that an earlier failed module lookup was waiting for makes
    // TypeScript schedule a second timer; unpatched tslab then threw
    // "Unexpected pending rebuildTimer" at the next change and cell.
    const dir = mkdtempSync(join(tmpdir(), "sgdl-timers-"));
    const thrown: string[] = [];
    const onUncaught = (e: Error) => thrown.push(e.message);
    process.on("uncaughtException", onUncaught);
    const back = process.cwd();
    let conv: TslabConverter | undefined;
    try {
      writeFileSync(join(dir, "a.ts"),
        "// @ts-ignore\nimport type { C } from './c';\nexport const a = 1;\n");
      process.chdir(dir);
      conv = launcher.tslabConverter(launcher.tslabDist()).createConverter(
        { isJS: false, isBrowser: false });
      process.chdir(back);
      const first = conv.convert("", 'import { a } from "./a";\nconst x = a + 1;\n');
      assert.deepEqual(first.diagnostics, []);
      writeFileSync(join(dir, "c.ts"), "export type C = number;\n");
      await new Promise((r) => setTimeout(r, 1500));
      writeFileSync(join(dir, "a.ts"), "export const a = 3;\nexport const a2 = 4;\n");
      await new Promise((r) => setTimeout(r, 2500));
      const second = conv.convert(first.declOutput ?? "",
        'import { a2 } from "./a";\nconst y = a2 + 1;\n');
      assert.deepEqual(second.diagnostics, []);
      assert.deepEqual(thrown, []);
    } finally {
      process.chdir(back);
      process.off("uncaughtException", onUncaught);
      conv?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns errors into Jupyter error content without machine paths", () => {
    const err = new RangeError("bad");
    err.stack = `evalmachine.<anonymous>:3\nthrow x\n^\n\nRangeError: bad\n` +
      `    at f (${join(ROOT, "lib", "x.js")}:1:2)\n    at node:internal/x:1:1`;
    const c = launcher.errorContent(err);
    assert.equal(c.ename, "RangeError");
    assert.deepEqual(c.traceback, ["RangeError: bad", `    at f (${join("lib", "x.js")}:1:2)`]);
  });
});

describe("one kernelspec for every checkout", () => {
  it("a notebook in another checkout runs with that checkout's own launcher", () => {
    const other = mkdtempSync(join(tmpdir(), "sgdl-checkout-"));
    try {
      mkdirSync(join(other, "scripts"));
      mkdirSync(join(other, "notebooks"));
      writeFileSync(join(other, "package.json"), JSON.stringify({ name: "sgdl-notebooks" }));
      // A stand-in launcher that says who it is and with which arguments.
      writeFileSync(join(other, "scripts", "kernel-launch.cjs"),
        "process.stdout.write(JSON.stringify(process.argv.slice(2))); process.exit(7);");
      const r = spawnSync(process.execPath,
        [join(ROOT, "scripts", "kernel-launch.cjs"), "kernel", "--config-path", "conn.json"],
        { cwd: join(other, "notebooks"), encoding: "utf8", timeout: 30_000 });
      assert.equal(r.status, 7, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), ["kernel", "--config-path", "conn.json"]);
      const checkoutOf = (launcher as unknown as { checkoutOf(d: string): string | null }).checkoutOf;
      assert.equal(checkoutOf(join(other, "notebooks")), other);
      assert.equal(checkoutOf(join(ROOT, "notebooks")), resolve(ROOT));
      assert.equal(checkoutOf(tmpdir()), null);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("the runner writes notebooks exactly as nbformat does", () => {
  it("numbers as Python's json writes the floats it reads", () => {
    const cases: Array<[number, string]> = [
      [1, "1"], [-3, "-3"], [0.5, "0.5"], [0.0001, "0.0001"], [0.00009927515930030495, "9.927515930030495e-05"],
      [1e-7, "1e-07"], [123.456, "123.456"], [1.5e16, "15000000000000000"],
      [2.5e21, "2.5e+21"], [-0.000012, "-1.2e-05"],
    ];
    for (const [x, want] of cases) assert.equal(pythonNumber(x), want, String(x));
  });

  const python = "/usr/bin/python3";
  const haveNbformat = spawnSync(python, ["-c", "import nbformat"]).status === 0;
  it("every committed notebook, serialised again, is what nbformat writes (saving in Lab is a no-op)", {
    skip: haveNbformat ? false : "Debian's python3-nbformat is not installed",
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), "sgdl-nbformat-"));
    try {
      const names = ["00-toolchain", "04-theory", "05-igd", "06-1-cifar", "06-2-imagenet32",
        "06-3-speech", "06-4-ptb", "06-5-table1", "07-try-lr"];
      for (const n of names) {
        const ours = serializeNotebook(parseNotebook(readFileSync(join(ROOT, "notebooks", `${n}.ipynb`), "utf8")));
        writeFileSync(join(dir, `${n}.ipynb`), ours);
      }
      const r = spawnSync(python, ["-c", `
import nbformat, sys, os
for name in sys.argv[1:]:
    p = os.path.join(${JSON.stringify(dir)}, name + ".ipynb")
    ours = open(p, encoding="utf-8").read()
    theirs = nbformat.writes(nbformat.reads(ours, as_version=4)) + "\\n"
    print(name, "same" if ours == theirs else "differs")
`, ...names], { encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), names.map((n) => `${n} same`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
