/**
 * The local executor for real: smoke configs trained by a pool of two
 * train processes; a failing config is reported and the others go on;
 * a second call trains nothing that finished; records are
 * self-contained (no machine's folders in them).
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { PROJECT_ROOT } from "../../lib/data";
import { haveCifar10, NO_CIFAR, recordsIn, sweepCli, tempDir, writeJson } from "./helpers";

const skip = haveCifar10() ? false : NO_CIFAR;
const work = tempDir();
after(() => work.done());
const runsDir = join(work.dir, "runs");

test("local: two workers train the sweep, report a failure, and skip what finished", { skip, timeout: 600_000 }, async () => {
  const dirs = ["--runs-dir", runsDir, "--sweeps-dir", join(work.dir, "sweeps")];
  const spec = writeJson(join(work.dir, "spec.json"), {
    name: "local-smoke",
    base: "smoke",
    grid: { seed: [0, 1] },
    // Valid config, but no such model is registered: fails at run time.
    points: [{ seed: 2, model: { kind: "custom", name: "no-such-model" } }],
  });
  const env = { SGDL_THREADS: "1" };
  const r = await sweepCli([spec, "--workers", "2", ...dirs], env);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /3 runs: 0 done, 3 missing/);
  assert.match(r.stdout, /seed=2 model=.*FAILED \(exit 1, [\d.]+ s\); log .*local-2\.log:\n[\s\S]*no custom model "no-such-model"/);
  assert.match(r.stdout, /3 runs: 2 done, 1 failed/);
  assert.match(r.stdout, /1 run\(s\) did not finish/);
  const recs = recordsIn(runsDir);
  assert.equal(recs.size, 2);
  for (const rec of recs.values()) {
    assert.equal(rec.status, "completed");
    assert.equal(rec.history.length, rec.config.epochs);
  }
  const mtimes = [...recs.keys()].map((id) => statSync(join(runsDir, id, "record.json")).mtimeMs);

  // Again: the finished runs are skipped, the failed one is retried.
  const again = await sweepCli([spec, "--workers", "2", "--json", ...dirs], env);
  assert.equal(again.code, 1, again.stderr);
  const out = JSON.parse(again.stdout) as { results: Array<{ index: number; ok: boolean }> };
  assert.deepEqual(out.results.map((x) => [x.index, x.ok]), [[2, false]]);
  assert.deepEqual([...recs.keys()].map((id) => statSync(join(runsDir, id, "record.json")).mtimeMs), mtimes);
});

test("local: records name no machine's folders (they can be copied anywhere)", { skip }, () => {
  const recs = recordsIn(runsDir);
  assert.ok(recs.size > 0, "no records: the test above failed");
  for (const id of recs.keys()) {
    const text = readFileSync(join(runsDir, id, "record.json"), "utf8");
    for (const p of [PROJECT_ROOT.replace(/\/$/, ""), work.dir]) {
      assert.ok(!text.includes(p), `record ${id} names the folder ${p}:\n` +
        text.split("\n").filter((l) => l.includes(p)).join("\n"));
    }
  }
});
