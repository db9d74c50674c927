/**
 * Crash-safe writes and the run lock, without training.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  acquireLock, isLockHeld, LockTimeoutError, readLock, readRecord,
  removeStaleTemps, type RunRecord, writeFileAtomic, WriteError, writeRecord,
} from "../../lib/train";
import { tempRuns } from "./helpers";

const boom = () => {
  throw new Error("injected crash before rename");
};

/** A pid that is certainly dead: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(String(r.stdout));
}

/** A 64 KiB tmpfs (root only), or null where mounting is not allowed. */
function tinyDisk(): { dir: string; done: () => void } | null {
  const dir = mkdtempSync(join(tmpdir(), "sgdl-tiny-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    done: () => {
      spawnSync("umount", [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("atomic writes", () => {
  const disk = tinyDisk();
  test("a full disk: a WriteError naming the file, the old file kept, no temp left", {
    skip: disk === null ? "cannot mount a tmpfs here (needs root)" : false,
  }, () => {
    try {
      const path = join(disk!.dir, "record.json");
      writeFileAtomic(path, "{\"v\": 1}\n");
      assert.throws(() => writeFileAtomic(path, Buffer.alloc(200 * 1024)), (e) => {
        assert.ok(e instanceof WriteError, String(e));
        assert.match(e.message, /^cannot write .*record\.json \(204800 bytes\): the disk is full; nothing was replaced$/);
        return true;
      });
      assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), { v: 1 });
      assert.deepEqual(readdirSync(disk!.dir), ["record.json"], "the temporary file is gone");
    } finally {
      disk!.done();
    }
  });

  test("a crash before the rename leaves the old file, or none", () => {
    const t = tempRuns();
    try {
      const path = join(t.dir, "record.json");
      assert.throws(() => writeFileAtomic(path, "{\"v\": 1}\n", { beforeRename: boom }),
        /injected crash/);
      assert.equal(existsSync(path), false, "no file at all");
      writeFileAtomic(path, "{\"v\": 1}\n");
      assert.throws(() => writeFileAtomic(path, "{\"v\": 2}\n", { beforeRename: boom }));
      assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), { v: 1 });
      // The orphaned temporary files are hidden and cleaned under the lock.
      assert.equal(readdirSync(t.dir).filter((f) => f.endsWith(".tmp")).length, 2);
      assert.equal(removeStaleTemps(t.dir), 2);
      assert.deepEqual(readdirSync(t.dir), ["record.json"]);
    } finally {
      t.done();
    }
  });

  test("records: old one survives a crashed rewrite", () => {
    const t = tempRuns();
    try {
      const rec = { schemaVersion: 1, id: "abc", status: "interrupted", config: {},
        history: [] } as unknown as RunRecord;
      writeRecord(t.dir, rec);
      assert.throws(() => writeRecord(t.dir, { ...rec, status: "completed" },
        { beforeRename: boom }));
      assert.equal(readRecord(t.dir)?.status, "interrupted");
      writeFileSync(join(t.dir, "record.json"), "{\"schemaVersion\": 1, \"id\": ");
      assert.throws(() => readRecord(t.dir), /not valid JSON/);
    } finally {
      t.done();
    }
  });
});

describe("run lock", () => {
  test("one holder at a time; the next one waits, then gets it", async () => {
    const t = tempRuns();
    try {
      const path = join(t.dir, "run", "lock");
      const a = await acquireLock(path);
      assert.equal(readLock(path)?.pid, process.pid);
      assert.ok(isLockHeld(path));
      let waited = false;
      const b = acquireLock(path, { pollMs: 20, onWait: () => (waited = true) });
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(waited);
      a.release();
      const lb = await b;
      assert.equal(lb.info.pid, process.pid);
      lb.release();
      lb.release(); // twice is fine
      assert.equal(existsSync(path), false);
      assert.equal(isLockHeld(path), false);
    } finally {
      t.done();
    }
  });

  test("a lock left by a dead process on this host is broken", async () => {
    const t = tempRuns();
    try {
      const path = join(t.dir, "lock");
      const pid = deadPid();
      writeFileSync(path, JSON.stringify({ pid, hostname: hostname(), since: "then" }));
      assert.equal(isLockHeld(path), false);
      // Two waiters race for the stale lock: exactly one gets it at a time.
      const [l1, l2] = [acquireLock(path, { pollMs: 20 }), acquireLock(path, { pollMs: 20 })];
      const first = await Promise.race([l1, l2]);
      assert.equal(readLock(path)?.pid, process.pid);
      first.release();
      const second = await (first === (await l1) ? l2 : l1);
      second.release();
    } finally {
      t.done();
    }
  });

  test("a live lock from another host is waited for, up to the timeout", async () => {
    const t = tempRuns();
    try {
      const path = join(t.dir, "lock");
      writeFileSync(path, JSON.stringify({ pid: 1, hostname: "elsewhere", since: "now" }));
      await assert.rejects(acquireLock(path, { timeoutMs: 150, pollMs: 30 }),
        (e: unknown) => e instanceof LockTimeoutError && /pid 1 on elsewhere/.test(e.message));
      // A half-written (empty) fresh lock file is also waited for.
      writeFileSync(path, "");
      await assert.rejects(acquireLock(path, { timeoutMs: 100, pollMs: 30 }), LockTimeoutError);
    } finally {
      t.done();
    }
  });
});
