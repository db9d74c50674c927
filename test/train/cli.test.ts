/**
 * `scripts/train.ts` and `scripts/runs.ts` as child processes: config
 * errors, SIGKILL then resume, a crash while writing the record,
 * divergence, and two processes asked for the same run.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { configHash, readManifest, readRecord, type RunRecord } from "../../lib/train";
import { results, runScript, skipNoCifar, tempRuns, tinyConfig } from "./helpers";

const tmp = tempRuns();
after(() => tmp.done());

/** Six short epochs, checkpointed after each. */
const cfg = tinyConfig({
  seed: 11,
  epochs: 6,
  dataset: { name: "cifar10", trainPerClass: 20, testPerClass: 4, crop: 8, trainBatches: [1] },
});
const id = configHash(cfg);
const cfgFile = join(tmp.dir, "tiny.json");
writeFileSync(cfgFile, JSON.stringify(cfg));

const train = (dir: string, extra: string[] = [], env: Record<string, string> = {},
  onSpawn?: (c: ChildProcess) => void) =>
  runScript("train.ts", ["--config", cfgFile, "--runs-dir", dir, ...extra], env, onSpawn);

const recordOf = (dir: string): RunRecord | null => readRecord(join(dir, id));

describe("config errors on the command line", () => {
  test("--set with a mistyped key exits 2 naming the key", async () => {
    const r = await train(join(tmp.dir, "none"), ["--set", "optimizer.lrate=0.1"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /optimizer\.lrate: unknown key "lrate"/);
    const bad = join(tmp.dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...cfg, epoch: 3 }));
    const r2 = await runScript("train.ts", ["--config", bad]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /epoch: unknown key "epoch"/);
    const r3 = await runScript("train.ts", ["--config", "no-such-preset"]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /neither a preset .* nor a file/);
  });
});

describe("train command", { skip: skipNoCifar }, () => {
  let reference: RunRecord;
  const refDir = join(tmp.dir, "ref");
  before(async () => {
    const r = await train(refDir, ["--quiet"]);
    assert.equal(r.code, 0, r.stderr);
    reference = recordOf(refDir)!;
    assert.equal(reference.status, "completed");
    assert.match(r.stdout, new RegExp(`completed, test error .*\\n.*${id}/record\\.json`));
  });

  test("SIGKILL after a checkpoint, then the same command: resumes, same metrics", async () => {
    const dir = join(tmp.dir, "killed");
    const manifest = join(dir, id, "checkpoint", "manifest.json");
    let timer: NodeJS.Timeout | undefined;
    const killed = await train(dir, [], {}, (child) => {
      timer = setInterval(() => {
        if (existsSync(manifest)) {
          child.kill("SIGKILL");
          clearInterval(timer);
        }
      }, 5);
    });
    clearInterval(timer);
    assert.equal(killed.signal, "SIGKILL", `the run ended first: ${killed.stdout}`);
    const at = readManifest(join(dir, id))!.trainer.epoch;
    assert.ok(at >= 1 && at < 6, `checkpoint after epoch ${at}`);
    assert.notEqual(recordOf(dir)?.status, "completed");
    assert.ok(existsSync(join(dir, id, "lock")), "the killed process left its lock");

    const again = await train(dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /resumed from the checkpoint after epoch/);
    const rec = recordOf(dir)!;
    assert.equal(rec.status, "completed");
    assert.ok(rec.resumedAt.length >= 1 && rec.resumedAt[0]! >= at);
    assert.deepEqual(results(rec.history), results(reference.history));
    assert.equal(existsSync(join(dir, id, "lock")), false);
    assert.equal(existsSync(join(dir, id, "checkpoint")), false);
  });

  test("a crash while writing the record leaves none, never a broken one", async () => {
    const dir = join(tmp.dir, "crash");
    const r = await train(dir, ["--quiet"], { SGDL_TRAIN_FAULT: "record.json:before-rename" });
    assert.equal(r.signal, "SIGKILL");
    assert.equal(existsSync(join(dir, id, "record.json")), false);
    // The checkpoint (written before the record) is whole; training resumes.
    assert.equal(readManifest(join(dir, id))?.trainer.epoch, 1);
    const again = await train(dir, ["--quiet"]);
    assert.equal(again.code, 0, again.stderr);
    const rec = JSON.parse(readFileSync(join(dir, id, "record.json"), "utf8")) as RunRecord;
    assert.equal(rec.status, "completed");
    assert.deepEqual(rec.resumedAt, [1]);
    assert.deepEqual(results(rec.history), results(reference.history));
  });

  test("a huge lr: diverged, exit 0, the record says where", async () => {
    const dir = join(tmp.dir, "diverge");
    const r = await train(dir, ["--quiet", "--set", "optimizer.name=sgd", "--set", "optimizer.lr=1e6"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^diverged at epoch 1, step \d+ \(/);
    const list = await runScript("runs.ts", ["--runs-dir", dir]);
    assert.match(list.stdout, /diverged @1:\d+ +smoke +resnet8x0.5 +cifar10 +sgd +1000000/);
  });

  test("two processes on one config: one trains, the other waits and reuses", async () => {
    const dir = join(tmp.dir, "race");
    const [a, b] = await Promise.all([train(dir), train(dir)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const trained = [a, b].filter((r) => /training resnet8/.test(r.stderr));
    assert.equal(trained.length, 1, `${a.stderr}\n---\n${b.stderr}`);
    const other = a === trained[0] ? b : a;
    assert.match(other.stderr, /\(cached\)|trained by another process/);
    const rec = recordOf(dir)!;
    assert.equal(rec.status, "completed");
    assert.deepEqual(results(rec.history), results(reference.history));
    assert.equal(a.stdout, b.stdout);
  });
});
