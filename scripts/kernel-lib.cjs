/**
 * lib/ as the kernel loads it: compiled once into .cache/kernel/lib/ and
 * reused until a source changes.
 *
 *   <file>.js    CommonJS by esbuild, one file per source, with an inline
 *                source map (so stack traces name the .ts line) and
 *                import.meta.url/dirname/filename set to the .ts source's
 *   <file>.d.ts  declarations by the project's TypeScript (incremental:
 *                only changed files and what depends on them)
 *
 * The kernel's TypeScript (tslab) then type-checks a cell's
 * `import { train } from "./lib/train"` against the declarations instead
 * of re-checking and re-emitting all of lib/ in every new kernel (20 s on
 * 2 cores), and node runs the compiled files. The sources stay the truth:
 * a manifest of (size, mtime) per source says what is stale; a change in
 * lib/ is rebuilt before the next cell runs.
 *
 * Used by scripts/kernel-launch.cjs (both modes) and by `npm run setup`
 * (node scripts/kernel-lib.cjs), which prepares it ahead of the first
 * notebook.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const ROOT = path.resolve(__dirname, "..");
const LIB = path.join(ROOT, "lib");
/** Where the compiled lib/ lives; the kernel's TypeScript root. */
const OUT = path.join(ROOT, ".cache", "kernel");
const MANIFEST = path.join(OUT, "manifest.json");
/** Bump when the output format changes: everything is rebuilt. */
const FORMAT = 1;
/** A build lock older than this is a crashed builder's. */
const STALE_LOCK_MS = 5 * 60_000;

/** Every .ts source under lib/ (relative paths, sorted): [rel, size, mtime]. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "build") walk(p);
      } else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        const st = fs.statSync(p);
        out.push([path.relative(LIB, p), st.size, Math.trunc(st.mtimeMs)]);
      }
    }
  };
  walk(LIB);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The compiled file of source `rel` (relative to lib/). */
function compiled(rel, ext = ".js") {
  return path.join(OUT, "lib", rel.replace(/\.ts$/, ext));
}

/** What was built, by source; empty when the build is missing or of another format. */
function readManifest() {
  // Without it the compiled files would be read as ES modules.
  if (!fs.existsSync(path.join(OUT, "package.json"))) return {};
  try {
    const m = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
    return m && m.format === FORMAT && m.files ? m.files : {};
  } catch {
    return {};
  }
}

/** What must be rebuilt: {changed: rel[], removed: rel[], all: [rel,size,mtime][]}. */
function staleness() {
  const all = sources();
  const old = readManifest();
  const changed = all.filter(([rel, size, mtime]) => {
    const o = old[rel];
    return !o || o[0] !== size || o[1] !== mtime ||
      !fs.existsSync(compiled(rel));
  }).map(([rel]) => rel);
  const names = new Set(all.map(([rel]) => rel));
  const removed = Object.keys(old).filter((rel) => !names.has(rel));
  return { changed, removed, all };
}

function writeAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** One source as CommonJS with an inline source map pointing at the .ts. */
function compileJs(esbuild, rel) {
  const src = path.join(LIB, rel);
  const code = fs.readFileSync(src, "utf8");
  const out = esbuild.transformSync(code, {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    sourcefile: src,
    sourcesContent: false,
    define: {
      "import.meta.url": JSON.stringify(pathToFileURL(src).href),
      "import.meta.filename": JSON.stringify(src),
      "import.meta.dirname": JSON.stringify(path.dirname(src)),
    },
  });
  writeAtomic(compiled(rel), out.code);
}

/**
 * Declarations of all of lib/ with the project's compiler options
 * (tsconfig.json), incrementally. Type errors do not stop it (the test
 * suite's `tsc` reports them); the declarations are still written.
 */
function compileDeclarations(all) {
  const ts = require(require.resolve("typescript", { paths: [ROOT] }));
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  if (config.error) throw new Error("tsconfig.json: " + ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options = {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    incremental: true,
    tsBuildInfoFile: path.join(OUT, "declarations.tsbuildinfo"),
    rootDir: LIB,
    outDir: path.join(OUT, "lib"),
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const files = all.map(([rel]) => path.join(LIB, rel));
  const host = ts.createIncrementalCompilerHost(options);
  const writeFile = host.writeFile;
  host.writeFile = (file, data, ...rest) => {
    if (file.endsWith(".d.ts")) writeAtomic(file, data);
    else writeFile(file, data, ...rest);
  };
  const program = ts.createIncrementalProgram({ rootNames: files, options, host });
  program.emit();
}

function lock() {
  const dir = path.join(OUT, ".lock");
  fs.mkdirSync(OUT, { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(dir).mtimeMs;
      } catch {
        continue;
      }
      if (age > STALE_LOCK_MS || Date.now() > deadline) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/**
 * Brings .cache/kernel/lib up to date with lib/. `say(line)` is told once
 * when there is work ("preparing lib/ for the kernel: N files ...").
 * Returns the compiled paths that changed (for the caller to drop from
 * node's module cache).
 */
function prepareLib(say = () => {}) {
  let stale = staleness();
  if (stale.changed.length === 0 && stale.removed.length === 0) return [];
  const release = lock();
  try {
    stale = staleness(); // another kernel may have built it meanwhile
    const { changed, removed, all } = stale;
    if (changed.length === 0 && removed.length === 0) return [];
    const t0 = Date.now();
    say(`preparing lib/ for the kernel: ${changed.length} of ${all.length} files changed ...`);
    // The compiled files are CommonJS (the project's package.json says "module").
    writeAtomic(path.join(OUT, "package.json"), '{ "type": "commonjs" }\n');
    const esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
    for (const rel of changed) compileJs(esbuild, rel);
    for (const rel of removed) {
      for (const ext of [".js", ".d.ts"]) {
        fs.rmSync(compiled(rel, ext), { force: true });
      }
    }
    compileDeclarations(all);
    const files = {};
    for (const [rel, size, mtime] of all) files[rel] = [size, mtime];
    writeAtomic(MANIFEST, JSON.stringify({ format: FORMAT, files }) + "\n");
    say(`lib/ ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return changed.map((rel) => compiled(rel));
  } finally {
    release();
  }
}

module.exports = { OUT, prepareLib, staleness };

if (require.main === module) {
  prepareLib((line) => console.log(`[kernel] ${line}`));
}
