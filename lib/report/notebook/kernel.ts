/**
 * A headless kernel: a fresh `node scripts/kernel-launch.cjs run` process
 * (tslab's executor, no Python, no ZeroMQ) driven over node's IPC
 * channel. Cells run one at a time; their outputs come back as nbformat
 * outputs, with update_display_data applied to earlier outputs that carry
 * the same display id (live progress lines).
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths";
import type { ErrorOutput, MimeBundle, Output } from "./format";

/** The launcher (kernel and headless worker). */
export const LAUNCHER = join(PROJECT_ROOT, "scripts", "kernel-launch.cjs");

interface DisplayContent {
  data: MimeBundle;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
}

type WorkerMessage =
  | { type: "ready"; ms: number }
  | { type: "stream"; index: number; name: "stdout" | "stderr"; text: string }
  | { type: "display"; index: number; content: DisplayContent; update: boolean }
  | { type: "result"; index: number; text: string }
  /** Kernel housekeeping ("preparing lib/ ..."): logged, not a cell output. */
  | { type: "notice"; text: string }
  | { type: "error"; index: number; ename: string; evalue: string; traceback: string[] }
  | { type: "done"; index: number; ok: boolean; ms: number };

export interface CellRun {
  ok: boolean;
  outputs: Output[];
  error?: ErrorOutput;
  ms: number;
}

export interface KernelOptions {
  /** Extra environment for the kernel process. */
  env?: Record<string, string>;
  /** Kill the kernel when one cell runs longer (ms; 0: never). */
  cellTimeoutMs?: number;
  /** Called with each progress display's text while a cell runs, and
   * with the kernel's notices (rebuilding lib/). */
  onProgress?: (text: string) => void;
}

export class Kernel {
  readonly startupMs: number;
  private readonly child: ChildProcess;
  private current: {
    index: number;
    outputs: Output[];
    error?: ErrorOutput;
    resolve: (r: CellRun) => void;
    start: number;
    timer?: NodeJS.Timeout;
  } | null = null;
  /** display id -> outputs showing it (in any cell). */
  private readonly displays = new Map<string, Output[]>();
  private exited: string | null = null;
  private count = 0;

  private constructor(
    child: ChildProcess, startupMs: number, private readonly options: KernelOptions,
  ) {
    this.child = child;
    this.startupMs = startupMs;
    child.on("message", (m: WorkerMessage) => this.onMessage(m));
    child.on("exit", (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`;
      const cur = this.current;
      if (cur) {
        this.finish(false, {
          output_type: "error",
          ename: "KernelDied",
          evalue: `the kernel stopped (${this.exited}) while this cell ran`,
          traceback: [`KernelDied: the kernel stopped (${this.exited})`],
        });
      }
    });
  }

  /** Starts a fresh kernel process (cwd: the project root). */
  static start(options: KernelOptions = {}): Promise<Kernel> {
    const t0 = Date.now();
    const child = fork(LAUNCHER, ["run"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => {
        reject(new Error(`the kernel did not start (exit code ${code})`));
      };
      child.once("exit", onExit);
      child.once("error", reject);
      child.once("message", (m: WorkerMessage) => {
        child.off("exit", onExit);
        if (m.type !== "ready") {
          reject(new Error(`kernel: unexpected first message ${m.type}`));
          return;
        }
        resolve(new Kernel(child, Date.now() - t0, options));
      });
    });
  }

  /** Runs one cell; resolves when it finished (or the kernel died). */
  execute(index: number, code: string): Promise<CellRun> {
    if (this.current) throw new Error("kernel: a cell is already running");
    if (this.exited) {
      return Promise.resolve({
        ok: false, outputs: [], ms: 0,
        error: {
          output_type: "error", ename: "KernelDied",
          evalue: `the kernel is not running (${this.exited})`, traceback: [],
        },
      });
    }
    return new Promise((resolve) => {
      this.current = { index, outputs: [], resolve, start: Date.now() };
      const limit = this.options.cellTimeoutMs ?? 0;
      if (limit > 0) {
        this.current.timer = setTimeout(() => this.kill(limit), limit);
      }
      this.child.send({ type: "execute", index, code });
    });
  }

  /** Execution counts, as Jupyter numbers them (1, 2, ...). */
  nextCount(): number {
    return ++this.count;
  }

  private kill(limit: number): void {
    const cur = this.current;
    if (!cur) return;
    this.finish(false, {
      output_type: "error",
      ename: "CellTimeout",
      evalue: `the cell ran longer than ${limit / 1000} s and was stopped`,
      traceback: [],
    });
    this.child.kill("SIGTERM");
    setTimeout(() => this.child.kill("SIGKILL"), 5000).unref();
  }

  private finish(ok: boolean, error?: ErrorOutput): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    if (cur.timer) clearTimeout(cur.timer);
    if (error) cur.outputs.push(error);
    const run: CellRun = { ok, outputs: cur.outputs, ms: Date.now() - cur.start };
    if (error) run.error = error;
    cur.resolve(run);
  }

  private onMessage(m: WorkerMessage): void {
    const cur = this.current;
    if (m.type === "display" && m.update) {
      this.update(m.content);
      return;
    }
    if (m.type === "notice") {
      this.options.onProgress?.(m.text);
      return;
    }
    if (!cur || m.type === "ready") return;
    switch (m.type) {
      case "stream": {
        const last = cur.outputs[cur.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === m.name) {
          last.text = String(last.text) + m.text;
        } else {
          cur.outputs.push({ output_type: "stream", name: m.name, text: m.text });
        }
        break;
      }
      case "display": {
        const out: Output = {
          output_type: "display_data",
          data: m.content.data,
          metadata: m.content.metadata ?? {},
        };
        cur.outputs.push(out);
        const id = m.content.transient?.display_id;
        if (id !== undefined) {
          this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
          this.progress(m.content);
        }
        break;
      }
      case "result":
        cur.outputs.push({
          output_type: "execute_result",
          execution_count: null,
          data: { "text/plain": m.text },
          metadata: {},
        });
        break;
      case "error":
        cur.error = {
          output_type: "error",
          ename: m.ename,
          evalue: m.evalue,
          traceback: m.traceback,
        };
        break;
      case "done":
        this.finish(m.ok, m.ok ? undefined : cur.error ?? {
          output_type: "error", ename: "Error", evalue: "the cell failed",
          traceback: [],
        });
        break;
    }
  }

  private update(content: DisplayContent): void {
    const id = content.transient?.display_id;
    if (id === undefined) return;
    for (const out of this.displays.get(id) ?? []) {
      if (out.output_type === "display_data" || out.output_type === "execute_result") {
        out.data = content.data;
        out.metadata = content.metadata ?? {};
      }
    }
    this.progress(content);
  }

  private progress(content: DisplayContent): void {
    const text = content.data["text/plain"];
    if (this.options.onProgress && typeof text === "string") {
      this.options.onProgress(text);
    }
  }

  /** Stops the kernel (its browser closes with it). */
  async shutdown(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once("exit", () => r()));
    this.child.send({ type: "shutdown" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await done;
    clearTimeout(timer);
  }
}
