/**
 * The project kernel as Jupyter clients meet it, driven by Debian's
 * jupyter_client (test/report/clients/protocol.py): stop_on_error true
 * and false, busy/idle in order, the requests JupyterLab sends, and an
 * interrupt during training that stops the run, records it as
 * interrupted and resumes on the next run of the cell.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ROOT, script, tempDir } from "./helpers";

const python = "/usr/bin/python3";
const haveClient = existsSync(python) &&
  spawnSync(python, ["-c", "import jupyter_client"]).status === 0;

describe("the kernel under jupyter_client", { skip: haveClient ? false : "no jupyter_client" }, () => {
  const tmp = tempDir("sgdl-kernel-");
  after(() => tmp.remove());

  it("stop_on_error, busy/idle, history, and an interrupt that stops training", async () => {
    const prefix = join(tmp.dir, "jupyter");
    const inst = await script("kernel", ["install", "--prefix", prefix]);
    assert.equal(inst.code, 0, inst.stderr);
    const runs = join(tmp.dir, "runs");
    const r = spawnSync(python, [join(ROOT, "test", "report", "clients", "protocol.py"), runs], {
      encoding: "utf8", timeout: 600_000,
      env: {
        ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"),
        JUPYTER_RUNTIME_DIR: join(tmp.dir, "runtime"), JUPYTER_CONFIG_DIR: join(tmp.dir, "config"),
        SGDL_THREADS: "1",
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    // Run All with an error: the failed cell's followers are aborted...
    assert.deepEqual(out["stop_on_error"], ["ok", "error", "aborted"]);
    // ...and busy/idle bracket each request in order, never interleaved.
    assert.deepEqual(out["status_order"], [[0, "busy"], [0, "idle"], [1, "busy"], [1, "idle"],
      [2, "busy"], [2, "idle"]]);
    // --allow-errors (stop_on_error false): the next cell still runs.
    assert.deepEqual(out["allow_errors"], ["error", "ok"]);
    assert.equal(out["history"], "ok");
    assert.equal(out["is_complete"], "incomplete");
    assert.equal(out["complete"], "ok");
    assert.equal(out["inspect"], "ok");
    assert.deepEqual(out["complete_lib"], ["groups"]);
    // An error thrown in lib/ points at the .ts line (lib/ runs with source maps).
    const plan = readFileSync(join(ROOT, "lib", "experiments", "plan.ts"), "utf8").split("\n");
    const line = plan.findIndex((l) => l.includes("profile must be smoke, cpu or paper")) + 1;
    assert.ok((out["lib_traceback"] as string[]).some((l) =>
      l.includes(`plan (lib/experiments/plan.ts:${line}:`)), JSON.stringify(out["lib_traceback"]));
    // Interrupt: the cell ends as KeyboardInterrupt within seconds, saying
    // where the run stopped; the run is recorded as interrupted, unlocked.
    assert.equal(out["interrupt_reply"], "error");
    assert.deepEqual(out["interrupt_ename"], ["KeyboardInterrupt"]);
    assert.ok((out["interrupt_seconds"] as number) < 10, `took ${out["interrupt_seconds"]} s`);
    assert.match(out["interrupt_text"] as string, /interrupted at epoch \d+, step \d+; run again to resume/);
    assert.match(out["interrupt_text"] as string, /status interrupted epochs \d+/);
    const [id] = readdirSync(runs);
    const rec = JSON.parse(readFileSync(join(runs, id!, "record.json"), "utf8")) as { status: string };
    assert.equal(rec.status, "completed", "the second run of the cell finished it");
    assert.ok(!readdirSync(join(runs, id!)).some((f) => f.startsWith("lock")), "no lock left");
    // Running the cell again resumed the run and finished it.
    assert.equal(out["resume_reply"], "ok");
    assert.match(out["resume_text"] as string, /status completed epochs 30 resumed \d+/);
  });
});
