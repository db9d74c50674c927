/**
 * The code version a record or figure names: git status parsing (a
 * notebook with only new outputs is not a code change), the pinned
 * version a notebook run hands to its kernels, and the format in
 * $SGDL_CODE_VERSION.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/data";
import { describe, test } from "node:test";
import {
  CODE_VERSION_ENV, codeChanges, codeVersion, formatCodeVersion, notebookSources,
  parseCodeVersion, pinCodeVersion, readCodeVersion,
} from "../../lib/train";
import { gitCommit } from "../../lib/report";

/** Runs `fn` with $SGDL_CODE_VERSION set to `value` (or unset), then restores it. */
function withPinned<T>(value: string | undefined, fn: () => T): T {
  const before = process.env[CODE_VERSION_ENV];
  if (value === undefined) delete process.env[CODE_VERSION_ENV];
  else process.env[CODE_VERSION_ENV] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[CODE_VERSION_ENV];
    else process.env[CODE_VERSION_ENV] = before;
  }
}

describe("code changes", () => {
  test("untracked, modified and renamed files count; notebooks with only new outputs don't", () => {
    const status = [
      "?? scratch.ts", " M notebooks/06-1-cifar.ipynb", " M notebooks/07-try-lr.ipynb",
      "R  lib/new.ts", "lib/old.ts", " M lib/optim/sgd.ts", "",
    ].join("\0");
    const outputsOnly = (p: string) => p === "notebooks/06-1-cifar.ipynb";
    assert.deepEqual(codeChanges(status, outputsOnly),
      ["scratch.ts", "notebooks/07-try-lr.ipynb", "lib/new.ts", "lib/optim/sgd.ts"]);
    assert.deepEqual(codeChanges("", outputsOnly), []);
  });

  test("Jupyter's checkpoints and other untracked non-source files are not code changes", () => {
    const status = [
      "?? notebooks/.ipynb_checkpoints/06-1-cifar-checkpoint.ipynb", "?? notes.txt",
      "?? .swp", "?? lib/extra/new.ts", "?? lib/engine/native/src/more.cc", "?? tools/Makefile", "",
    ].join("\0");
    assert.deepEqual(codeChanges(status, () => false),
      ["lib/extra/new.ts", "lib/engine/native/src/more.cc", "tools/Makefile"]);
  });

  test("a notebook's sources ignore outputs, counts and metadata, not code or markdown", () => {
    const nb = JSON.parse(readFileSync(join(PROJECT_ROOT, "notebooks", "00-toolchain.ipynb"), "utf8")) as {
      cells: Array<{ cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: number | null }>;
      metadata: Record<string, unknown>;
    };
    const base = notebookSources(JSON.stringify(nb));
    const rerun = structuredClone(nb);
    for (const c of rerun.cells) {
      if (c.cell_type === "code") { c.outputs = [{ output_type: "stream", name: "stdout", text: "x" }]; c.execution_count = 99; }
    }
    rerun.metadata["extra"] = 1;
    assert.equal(notebookSources(JSON.stringify(rerun)), base);
    const edited = structuredClone(nb);
    const code = edited.cells.find((c) => c.cell_type === "code")!;
    code.source = [...code.source, "\nconst lr = 2;"];
    assert.notEqual(notebookSources(JSON.stringify(edited)), base);
    const prose = structuredClone(nb);
    prose.cells.find((c) => c.cell_type === "markdown")!.source.push("\nmore");
    assert.notEqual(notebookSources(JSON.stringify(prose)), base);
  });
});

describe("code version", () => {
  test("format and parse round-trip", () => {
    for (const v of [{ commit: "a".repeat(40), dirty: false }, { commit: "b".repeat(40), dirty: true }]) {
      assert.deepEqual(parseCodeVersion(formatCodeVersion(v)), v);
    }
    assert.equal(formatCodeVersion({ commit: "c".repeat(40), dirty: true }), `${"c".repeat(40)}+dirty`);
    assert.deepEqual(parseCodeVersion("unknown"), { commit: null, dirty: null });
  });

  test("read from git: HEAD's commit", () => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const v = withPinned(undefined, () => readCodeVersion());
    assert.equal(v.commit, head);
    assert.equal(typeof v.dirty, "boolean");
  });

  test("a pinned version wins, for this process and (through the environment) its kernels", () => {
    const pinned = `${"d".repeat(40)}+dirty`;
    withPinned(pinned, () => {
      assert.deepEqual(codeVersion(), { commit: "d".repeat(40), dirty: true });
      assert.deepEqual(pinCodeVersion(), { commit: "d".repeat(40), dirty: true });
      assert.equal(process.env[CODE_VERSION_ENV], pinned, "pinning again keeps the first");
      const before = process.env["SGDL_COMMIT"];
      delete process.env["SGDL_COMMIT"];
      try {
        assert.equal(gitCommit(), `${"d".repeat(12)}-modified`);
      } finally {
        if (before !== undefined) process.env["SGDL_COMMIT"] = before;
      }
    });
    withPinned(undefined, () => {
      const v = pinCodeVersion();
      assert.equal(process.env[CODE_VERSION_ENV], formatCodeVersion(v));
    });
  });
});
