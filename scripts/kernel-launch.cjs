/**
 * The project's TypeScript kernel: tslab, started from the project root,
 * with fixes so that notebook cells can import `lib/` as it is written
 * (ESM TypeScript):
 *
 *   import { sgd } from "./lib/optim";       // a folder with index.ts
 *   import { PROJECT_ROOT } from "./lib/data/paths";  // uses import.meta
 *
 * tslab compiles local .ts imports itself (TypeScript 5.0, node10
 * resolution, emitted as CommonJS "side outputs" keyed by file path). Two
 * things in our ESM sources break there, and both are fixed on those side
 * outputs, before tslab loads them:
 *   1. Folder imports ("./lib/optim" -> lib/optim/index.ts): tslab looks
 *      for lib/optim.js only. Every emitted `<dir>/index.js` gets a one-line
 *      alias `<dir>.js` that requires it (one module instance, no copy).
 *   2. `import.meta` is a syntax error in CommonJS: it becomes an object
 *      with `url`, `filename` and `dirname` of the emitted file (which sits
 *      beside its .ts source, so `new URL("../..", import.meta.url)` works).
 * The kernel's working directory is the project root, which tslab uses as
 * TypeScript's rootDir, so `../lib` from notebooks/ is not needed (and
 * would fail: "not under rootDir").
 *
 * A third fix is for a tslab bug in cells: a shorthand property that names
 * a variable of an earlier cell (`section("x", { profile })`) compiles to a
 * ReferenceError, because tslab rewrites earlier cells' variables to
 * `exports.name` everywhere but there. Shorthands in the cell's source are
 * expanded (`{ profile: profile }`) before tslab compiles it.
 *
 * Under Jupyter it also sends what tslab leaves out: execute_input (the
 * execution counts), the last expression as execute_result, and errors as
 * `error` messages (see startKernel).
 *
 * Modes:
 *   node scripts/kernel-launch.cjs kernel --config-path <connection file>
 *       A Jupyter kernel (what the kernelspec from `npm run kernel:install`
 *       starts).
 *   node scripts/kernel-launch.cjs run
 *       The same executor without ZeroMQ, driven over node's IPC channel by
 *       `npm run notebooks` (lib/report/notebook/kernel.ts): one process per
 *       notebook, cells sent one at a time, outputs streamed back.
 *
 * Rich displays: lib/report sends whole MIME bundles (plotly JSON + HTML +
 * PNG in one display_data, with display ids for live progress) through the
 * function stored at globalThis[Symbol.for("sgdl.display")], set here in
 * both modes. Cleanup functions registered at
 * globalThis[Symbol.for("sgdl.cleanup")] (a Set; lib/report's headless
 * browser) run at shutdown.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const util = require("node:util");

const kernelLib = require("./kernel-lib.cjs");

const ROOT = path.resolve(__dirname, "..");
const DISPLAY = Symbol.for("sgdl.display");
/** The running cell's AbortSignal (lib/report's cellSignal reads it). */
const INTERRUPT = Symbol.for("sgdl.interrupt");
/** When the kernel warms its compiler up after it is ready. */
const WARM_UP_AFTER_MS = 1000;
/** How long an interrupted cell may take to stop by itself. */
const INTERRUPT_GRACE_MS = 5000;

/** The error a cell that was interrupted ends with. */
function interruptedContent() {
  return {
    ename: "KeyboardInterrupt",
    evalue: "interrupted",
    traceback: ["KeyboardInterrupt: the cell was interrupted; run it again to resume a training run"],
  };
}
const CLEANUP = Symbol.for("sgdl.cleanup");

/** tslab's dist folder: the project's own copy. */
function tslabDist() {
  const pkg = require.resolve("tslab/package.json", { paths: [ROOT] });
  return path.join(path.dirname(pkg), "dist");
}

const META_PRELUDE =
  "const __sgdl_import_meta__ = { url: require(\"node:url\")" +
  ".pathToFileURL(__filename).href, filename: __filename, " +
  "dirname: __dirname }; ";

/**
 * The two fixes on tslab's side outputs ({path, data} of emitted CommonJS
 * files). Exported for the tests.
 */
function patchSideOutputs(outs) {
  const paths = new Set(outs.map((o) => o.path));
  const result = [];
  for (const out of outs) {
    let data = out.data;
    if (/\bimport\.meta\b/.test(data)) {
      // One line, so stack traces keep their line numbers.
      data = META_PRELUDE +
        data.replace(/\bimport\.meta\b/g, "__sgdl_import_meta__");
    }
    result.push({ path: out.path, data });
    if (path.basename(out.path) !== "index.js") continue;
    const dir = path.dirname(out.path);
    const alias = dir + ".js";
    const taken = paths.has(alias) ||
      [".ts", ".tsx", ".js", ".cjs", ".mjs"]
        .some((ext) => fs.existsSync(dir + ext));
    if (taken) continue;
    paths.add(alias);
    result.push({
      path: alias,
      data: `module.exports = require("./${path.basename(dir)}/index");\n`,
    });
  }
  return result;
}

/**
 * `{ a, b = 1 }` -> `{ a: a, b: b = 1 }` in a cell's source (same meaning;
 * works around tslab's missing rewrite of shorthands). Exported for tests.
 */
function expandShorthands(ts, src) {
  if (!src.includes("{")) return src;
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest,
    true, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isShorthandPropertyAssignment(node)) {
      edits.push({ at: node.name.end, text: `: ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  edits.sort((a, b) => b.at - a.at);
  let out = src;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}

/** tslab's bundled TypeScript. */
function tslabTypeScript(dist) {
  return require(require.resolve("@tslab/typescript-for-tslab",
    { paths: [dist] }));
}

/**
 * tslab's converter runs TypeScript's watch program on a fake timer that
 * holds ONE pending callback and throws "Unexpected pending rebuildTimer"
 * when a second is scheduled. A change on disk while the kernel lives (a
 * new file in lib/, compiled into .cache/kernel) makes TypeScript schedule
 * a second timer of its own (re-resolving modules beside the program
 * update), and the next cell failed with that error. This replaces the
 * fake timer with a queue that tslab flushes, in order, where it ran the
 * one callback. Returns null when tslab's source is not the expected one.
 */
function patchRebuildTimers(src) {
  const block = /let rebuildTimer = null;\n[\s\S]*?throw new Error\("clearing unexpected tiemr"\);\n\s*\};/;
  if (!block.test(src)) return null;
  return src.replace(block, [
    "let rebuildTimer = null;",
    "    const pendingTimers = [];",
    "    const flushTimers = () => {",
    "        while (pendingTimers.length > 0) pendingTimers.shift().fn();",
    "        rebuildTimer = null;",
    "    };",
    "    sys.setTimeout = (callback) => {",
    "        const timer = { fn: callback };",
    "        pendingTimers.push(timer);",
    "        rebuildTimer = { callback: flushTimers };",
    "        return timer;",
    "    };",
    "    sys.clearTimeout = (timer) => {",
    "        const i = pendingTimers.indexOf(timer);",
    "        if (i >= 0) pendingTimers.splice(i, 1);",
    "        if (pendingTimers.length === 0) rebuildTimer = null;",
    "    };",
  ].join("\n"));
}

/** tslab's converter module, with patchRebuildTimers applied (loaded once). */
let converterModule = null;
function tslabConverter(dist) {
  if (converterModule) return converterModule;
  const file = require.resolve(path.join(dist, "converter"));
  const patched = patchRebuildTimers(fs.readFileSync(file, "utf8"));
  if (patched === null) {
    console.error("kernel: tslab's converter is not the expected version; " +
      "a change to lib/ while this kernel runs may fail the next cell");
    converterModule = require(file);
    return converterModule;
  }
  const Module = require("node:module");
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(patched, file);
  converterModule = m.exports;
  return converterModule;
}

/** tslab's converter with the side-output fixes. */
function createProjectConverter(dist, options) {
  const { createConverter } = tslabConverter(dist);
  const ts = tslabTypeScript(dist);
  const raw = createConverter(options);
  return {
    close: () => raw.close(),
    inspect: (...a) => raw.inspect(...a),
    complete: (...a) => raw.complete(...a),
    addModule: (...a) => raw.addModule(...a),
    convert(prevDecl, src) {
      const out = raw.convert(prevDecl, expandShorthands(ts, src));
      if (out.sideOutputs) out.sideOutputs = patchSideOutputs(out.sideOutputs);
      return out;
    },
  };
}

/** Runs `fn` with the process in `dir` (tslab's converter takes its root from the cwd). */
function inDir(dir, fn) {
  const back = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(back);
  }
}

/**
 * The lazily created converters tslab's executor asks for, rooted at the
 * compiled lib/ (scripts/kernel-lib.cjs): a cell's `import ... from
 * "./lib/train"` is checked against lib/'s declarations and runs its
 * compiled CommonJS, instead of tslab re-checking and re-emitting every
 * source of lib/ in each new kernel.
 */
function converterSet(dist) {
  let node = null;
  let browser = null;
  return {
    get node() {
      node ??= inDir(kernelLib.OUT, () =>
        createProjectConverter(dist, { isJS: false, isBrowser: false }));
      return node;
    },
    get browser() {
      browser ??= inDir(kernelLib.OUT, () =>
        createProjectConverter(dist, { isJS: false, isBrowser: true }));
      return browser;
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * tslab's executor with the project's lib/: before each cell, a change in
 * lib/ is compiled (saying so through `notice`: in the cell's output under
 * Jupyter, in the runner's log under npm run notebooks) and its old modules
 * are dropped from node's cache, so the cell loads the new code (modules
 * that imported them keep the old instance until the kernel restarts, as
 * in any node REPL). Errors thrown in lib/ point at its .ts lines.
 */
function projectExecutor(dist, console, notice = (text) => process.stdout.write(`${text}\n`)) {
  process.setSourceMapsEnabled(true);
  fs.mkdirSync(kernelLib.OUT, { recursive: true });
  process.chdir(ROOT);
  const { createExecutor } = require(path.join(dist, "executor"));
  const convs = converterSet(dist);
  const executor = createExecutor(kernelLib.OUT, convs, console);
  const execute = executor.execute.bind(executor);
  executor.execute = async (src) => {
    const stale = kernelLib.staleness();
    if (stale.changed.length > 0 || stale.removed.length > 0) {
      // Shown before the (synchronous) build starts.
      notice(`preparing lib/ (${stale.changed.length} changed files) ...`);
      await new Promise((r) => setTimeout(r, 50));
      for (const file of kernelLib.prepareLib()) delete require.cache[file];
    }
    return execute(src);
  };
  return { executor, convs };
}

/** Runs the registered cleanups (each at most `ms`), once. */
let cleaned = null;
function runCleanup(ms = 8000) {
  cleaned ??= (async () => {
    const set = globalThis[CLEANUP];
    if (!(set instanceof Set)) return;
    for (const fn of [...set]) {
      let timer;
      await Promise.race([
        Promise.resolve().then(fn).catch(() => {}),
        new Promise((r) => { timer = setTimeout(r, ms); }),
      ]);
      clearTimeout(timer);
    }
  })();
  return cleaned;
}

function exitAfterCleanup(code) {
  runCleanup().finally(() => process.exit(code));
}

/**
 * Collects what tslab's executor reports about a failing cell: type
 * errors come as printDiagnostics lines
 * (console.error("%s%d:%d - %s", file, line, col, message)), thrown
 * errors as console.error(err).
 */
function errorCollector() {
  let diagnostics = [];
  let thrown = null;
  let any = false;
  return {
    reset() {
      diagnostics = [];
      thrown = null;
      any = false;
    },
    /** Returns false when the arguments are not an error report. */
    add(args) {
      if (args[0] === "%s%d:%d - %s") {
        const [file, line, col, message] = args.slice(1);
        const where = file ? String(file).trim() + " " : "";
        diagnostics.push(`${where}${line}:${col} - ${message}`);
        return true;
      }
      if (!any) {
        any = true;
        thrown = args.length === 1 ? args[0] : util.format(...args);
        return true;
      }
      return false;
    },
    /** {ename, evalue, traceback} of what was collected. */
    error() {
      if (diagnostics.length > 0) {
        return {
          ename: "TypeScriptError",
          evalue: diagnostics.join("\n"),
          traceback: diagnostics.slice(),
        };
      }
      return errorContent(thrown);
    },
  };
}

/**
 * A thrown value as Jupyter error content. The traceback keeps the
 * error's own frames, with paths under the project made relative and the
 * kernel's and node's internal frames left out.
 */
function errorContent(err) {
  if (!(err instanceof Error)) {
    const text = err === null || err === undefined
      ? "the cell failed" : util.inspect(err);
    return { ename: "Error", evalue: text, traceback: text.split("\n") };
  }
  const ename = err.name || "Error";
  const lines = String(err.stack || `${ename}: ${err.message}`).split("\n");
  // Node prefixes errors from vm code with "file:line / source / ^".
  const head = lines.findIndex((l) => l.startsWith(ename));
  const root = ROOT + path.sep;
  const internal = /\(node:|at node:|[\\/]node_modules[\\/]tslab[\\/]|kernel-launch\.cjs|sigintHandlersWrap/;
  const traceback = lines.slice(Math.max(head, 0))
    .filter((l) => !internal.test(l))
    .map((l) => l.split(root).join(""));
  return { ename, evalue: err.message, traceback };
}

/**
 * Jupyter kernel: tslab's ZeroMQ server around the fixed executor, plus
 * the messages tslab leaves out that Jupyter clients rely on:
 * execute_input (nbclient takes execution counts from it), the last
 * expression as execute_result, and a failure as an `error` message with
 * ename/evalue/traceback also in the execute_reply (so nbconvert and
 * JupyterLab show the cell's error).
 */
function startKernel(configPath) {
  const dist = tslabDist();
  const jupyter = require(path.join(dist, "jupyter"));
  const errors = errorCollector();
  let active = null; // { count, publish } of the running cell
  const { executor, convs } = projectExecutor(dist, {
    log: (...args) => {
      if (!active) return console.log(...args);
      active.publish("execute_result", {
        execution_count: active.count,
        data: { "text/plain": util.format(...args) },
        metadata: {},
      });
    },
    error: (...args) => {
      if (!active || !errors.add(args)) console.error(...args);
    },
  });
  globalThis[DISPLAY] = (content, update) => {
    if (!jupyter.lastWriteDisplayData) throw new Error("no cell is running");
    jupyter.lastWriteDisplayData(content, update);
  };
  const handler = new jupyter.JupyterHandlerImpl(executor, false);
  const server = new jupyter.ZmqServer(handler, configPath);

  const publishers = new WeakMap(); // request content -> iopub sender
  const failures = new WeakMap(); // request content -> error content
  const serverExecute = server.handleExecute.bind(server);
  server.handleExecute = (sock, msg) => {
    publishers.set(msg.content, (type, content) => {
      const out = msg.createReply();
      out.header.msg_type = type;
      out.content = content;
      out.signAndSend(server.connInfo.key, server.iopub);
    });
    return serverExecute(sock, msg);
  };

  // Shell requests one at a time, in order (tslab starts each as it
  // arrives, so a finished cell published "idle" while the next ran):
  // busy and idle then bracket each request as Jupyter expects. Control
  // requests (interrupt, shutdown) are not queued behind them.
  const shellMessage = server.handleShellMessage.bind(server);
  let shellChain = Promise.resolve();
  let queued = 0;
  let aborting = false; // after a failed cell with stop_on_error: abort what is queued
  server.handleShellMessage = (sock, ...frames) => {
    if (sock !== server.shell) return shellMessage(sock, ...frames);
    queued++;
    shellChain = shellChain.then(() => shellMessage(sock, ...frames)).catch((e) => {
      console.error("shell request failed:", e);
    }).finally(() => {
      if (--queued === 0) aborting = false;
    });
    return shellChain;
  };
  // history_request: tslab has none; an empty history is a valid answer.
  const publishStatus = server.publishStatus.bind(server);
  server.publishStatus = (status, msg) => {
    publishStatus(status, msg);
    if (status === "busy" && msg.header.msg_type === "history_request") {
      const reply = msg.createReply();
      reply.header.msg_type = "history_reply";
      reply.content = { status: "ok", history: [] };
      reply.signAndSend(server.connInfo.key, server.shell);
    }
  };
  const warn = console.warn;
  console.warn = (...args) => {
    if (String(args[0]).startsWith("unknown msg_type: history_request")) return;
    warn(...args);
  };

  // Interrupt: the running cell's AbortSignal (globalThis[INTERRUPT],
  // which lib/train's train() and runPlan watch) is aborted first, so a
  // training run stops at its next step, records "interrupted" and frees
  // its lock; if the cell has not ended within INTERRUPT_GRACE_MS, tslab's
  // own interrupt abandons it. Either way the cell fails (as a Python
  // KeyboardInterrupt does) and stop_on_error aborts what is queued.
  let cell = null; // { abort: AbortController, count, timer }
  const interrupt = () => {
    if (cell === null) return;
    cell.abort.abort();
    cell.timer ??= setTimeout(() => executor.interrupt(), INTERRUPT_GRACE_MS);
  };
  const executeImpl = handler.handleExecuteImpl;
  handler.handleExecuteImpl = async function (req, writeStream, writeDisplay) {
    const publish = publishers.get(req) || (() => {});
    const count = this.execCount + 1;
    publish("execute_input", { code: req.code, execution_count: count });
    active = { count, publish };
    errors.reset();
    const abort = new AbortController();
    globalThis[INTERRUPT] = abort.signal;
    cell = { abort, timer: null };
    try {
      const done = await executeImpl.call(this, req, writeStream, writeDisplay);
      if (abort.signal.aborted) throw done; // finished, but interrupted
      return done;
    } catch (e) {
      const err = abort.signal.aborted ? interruptedContent() : errors.error();
      publish("error", err);
      failures.set(req, err);
      throw e;
    } finally {
      if (cell.timer !== null) clearTimeout(cell.timer);
      cell = null;
      globalThis[INTERRUPT] = undefined;
      active = null;
    }
  };
  // tslab's handleExecute, with Jupyter's stop_on_error (false: go on with
  // the next cells) and its "aborted" status (tslab says "abort").
  handler.handleExecute = async function (req, writeStream, writeDisplay) {
    if (aborting) return { status: "aborted" };
    let status = "ok";
    let count;
    try {
      // Requests are already one at a time (the shell queue above); tslab's
      // execQueue would cancel every later cell after an error.
      count = await this.handleExecuteImpl(req, writeStream, writeDisplay);
    } catch (e) {
      if (e !== null && typeof e === "object" && "count" in e) {
        status = "error";
        count = e;
      } else {
        status = "error";
        console.error("unexpected error:", e);
      }
    }
    if (status === "error" && req.stop_on_error !== false) aborting = true;
    const reply = { status, execution_count: count ? count.count : undefined };
    const err = failures.get(req);
    if (status === "error" && err) Object.assign(reply, err);
    return reply;
  };
  const close = handler.close.bind(handler);
  handler.close = () => {
    close();
    // Sockets close right after this; give them a moment, then leave
    // even if something (the browser) still holds the event loop.
    setTimeout(() => exitAfterCleanup(0), 100);
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", () => exitAfterCleanup(0));
  process.on("uncaughtException", (err) => {
    console.error("UncaughtException:", err);
  });
  process.on("unhandledRejection", (reason) => {
    console.error("UnhandledPromiseRejection:", reason);
  });
  server.init();
  // Ready first (the client's kernel_info is answered at once), then the
  // compiler warms up (about 2 s) while the user reads the notebook; a
  // cell run before that waits for it.
  setTimeout(() => void convs.node, WARM_UP_AFTER_MS).unref();
}

/**
 * Headless worker for `npm run notebooks`. Messages in:
 *   {type: "execute", index, code} | {type: "shutdown"}
 * Messages out:
 *   {type: "ready", ms}
 *   {type: "stream", index, name, text}
 *   {type: "display", index, content, update}
 *   {type: "result", index, text}          (the cell's last expression)
 *   {type: "error", index, ename, evalue, traceback}
 *   {type: "done", index, ok, ms}
 */
function startWorker() {
  if (typeof process.send !== "function") {
    console.error("kernel-launch run: needs an IPC channel (use fork)");
    process.exit(2);
  }
  const t0 = Date.now();
  const dist = tslabDist();
  const send = (msg) => process.send(msg);
  let current = -1;
  const errors = errorCollector();
  const { executor } = projectExecutor(dist, {
    log: (...args) => {
      send({ type: "result", index: current, text: util.format(...args) });
    },
    error: (...args) => {
      if (!errors.add(args)) {
        send({
          type: "stream", index: current, name: "stderr",
          text: util.format(...args) + "\n",
        });
      }
    },
  }, (text) => send({ type: "notice", text }));
  const writeTo = (name) => (chunk, encoding, cb) => {
    const text = typeof chunk === "string"
      ? chunk : Buffer.from(chunk).toString("utf8");
    send({ type: "stream", index: current, name, text });
    if (typeof encoding === "function") encoding();
    else if (typeof cb === "function") cb();
    return true;
  };
  process.stdout.write = writeTo("stdout");
  process.stderr.write = writeTo("stderr");
  globalThis[DISPLAY] = (content, update) => {
    send({ type: "display", index: current, content, update: !!update });
  };
  process.on("uncaughtException", (err) => {
    send({
      type: "stream", index: current, name: "stderr",
      text: "UncaughtException: " + util.inspect(err) + "\n",
    });
  });
  process.on("unhandledRejection", (reason) => {
    send({
      type: "stream", index: current, name: "stderr",
      text: "UnhandledPromiseRejection: " + util.inspect(reason) + "\n",
    });
  });
  let abort = null; // the running cell's AbortController
  process.on("SIGINT", () => {
    abort?.abort();
    setTimeout(() => executor.interrupt(), INTERRUPT_GRACE_MS).unref();
  });
  process.on("SIGTERM", () => exitAfterCleanup(143));
  // The runner went away (Ctrl-C, crash): do not linger.
  process.on("disconnect", () => exitAfterCleanup(1));
  let queue = Promise.resolve();
  process.on("message", (msg) => {
    queue = queue.then(async () => {
      if (msg.type === "shutdown") {
        executor.close();
        await runCleanup();
        process.exit(0);
      }
      if (msg.type !== "execute") return;
      current = msg.index;
      errors.reset();
      const start = Date.now();
      let ok = false;
      abort = new AbortController();
      globalThis[INTERRUPT] = abort.signal;
      try {
        ok = await executor.execute(msg.code);
      } catch (err) {
        errors.add([err]);
      }
      const interrupted = abort.signal.aborted;
      abort = null;
      globalThis[INTERRUPT] = undefined;
      if (interrupted) {
        ok = false;
        send({ type: "error", index: current, ...interruptedContent() });
      } else if (!ok) send({ type: "error", index: current, ...errors.error() });
      send({ type: "done", index: current, ok, ms: Date.now() - start });
    });
  });
  send({ type: "ready", ms: Date.now() - t0 });
}

/**
 * The checkout a notebook belongs to: the nearest folder at or above
 * `dir` (Jupyter starts a kernel in its notebook's folder) whose
 * package.json is this project's and that has this launcher. null when
 * the notebook is not in a checkout.
 */
function checkoutOf(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8"));
      if (pkg.name === "sgdl-notebooks" &&
        fs.existsSync(path.join(d, "scripts", "kernel-launch.cjs"))) return d;
    } catch {
      // no package.json here
    }
    if (path.dirname(d) === d) return null;
  }
}

/**
 * One kernelspec serves every checkout: when the notebook's folder is in
 * another checkout than this launcher's, that checkout's own launcher
 * runs it (its lib/, its tslab), so installing from a second checkout
 * never retargets the first one's notebooks. Signals (Jupyter's
 * interrupt is SIGINT) are passed on; the exit status comes back.
 */
function delegateToCheckout(root, args) {
  const { spawn } = require("node:child_process");
  const child = spawn(process.execPath,
    [path.join(root, "scripts", "kernel-launch.cjs"), ...args], { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(sig, () => child.kill(sig));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

if (require.main === module) {
  const [mode, ...rest] = process.argv.slice(2);
  const theirs = mode === "kernel" ? checkoutOf(process.cwd()) : null;
  if (theirs !== null && theirs !== ROOT) {
    delegateToCheckout(theirs, process.argv.slice(2));
  } else if (mode === "kernel") {
    const i = rest.indexOf("--config-path");
    const configPath = i >= 0 ? rest[i + 1] : undefined;
    if (!configPath) {
      console.error("usage: kernel-launch.cjs kernel --config-path <file>");
      process.exit(2);
    }
    startKernel(configPath);
  } else if (mode === "run") {
    startWorker();
  } else {
    console.error("usage: kernel-launch.cjs kernel --config-path <file>\n" +
      "       kernel-launch.cjs run   (IPC worker for npm run notebooks)");
    process.exit(2);
  }
}

module.exports = {
  checkoutOf, errorContent, expandShorthands, patchRebuildTimers, patchSideOutputs, ROOT,
  tslabConverter, tslabDist, tslabTypeScript,
};
