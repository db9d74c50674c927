import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  channelStats,
  cifar10Dir,
  ChecksumError,
  classCounts,
  fashionMnistDir,
  loadCifar10,
  loadCifar100,
  loadFashionMnist,
  writeIdx,
} from "../../lib/data";
import { writeCifarBin } from "../../lib/data/formats";
import { tempDir } from "./helpers";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const BATCHES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`).concat("test_batch");

/** n patterned NHWC images. */
function images(n: number, seed: number) {
  const px = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 31 + seed * 7) % 256);
  return px;
}

test("CIFAR-10 loader reads official-format batches (generated)", async () => {
  const t = tempDir();
  try {
    for (const f of BATCHES) {
      const px = images(3, f.length);
      writeFileSync(join(t.dir, `${f}.bin`), writeCifarBin(px, [[1, 2, 9]]));
    }
    const d = await loadCifar10({ dir: t.dir, verify: false });
    assert.equal(d.train.n, 15);
    assert.equal(d.test.n, 3);
    assert.deepEqual(Array.from(d.test.labels), [1, 2, 9]);
    // NHWC: pixel (0,0) of image 0 is (R[0], G[0], B[0]) of the planar record
    const px = images(3, "test_batch".length);
    assert.deepEqual(Array.from(d.test.images.subarray(0, 6)), Array.from(px.subarray(0, 6)));
    assert.equal(d.standIn, null);
  } finally {
    t.done();
  }
});

test("CIFAR-10: a corrupted batch names the file, expected and actual MD5", async () => {
  const t = tempDir();
  try {
    for (const f of BATCHES) {
      writeFileSync(join(t.dir, `${f}.bin`), writeCifarBin(images(2, 1), [[0, 1]]));
    }
    await assert.rejects(loadCifar10({ dir: t.dir }), (e: Error) => {
      assert.ok(e instanceof ChecksumError);
      assert.match(e.message, /data_batch_1\.bin/);
      assert.match(e.message, /expected 5dd7e06a14cb22eb9f671a540d1b7c25/);
      assert.match(e.message, /got [0-9a-f]{32}/);
      return true;
    });
    writeFileSync(join(t.dir, "test_batch.bin"), new Uint8Array(3000));
    await assert.rejects(
      loadCifar100({ dir: t.dir }),
      /CIFAR-100 \(train\.bin, test\.bin\) not found/,
    );
    await assert.rejects(
      loadCifar10({ dir: t.dir, verify: false }),
      /test_batch\.bin: 3000 bytes is not a whole number of 3073-byte CIFAR records/,
    );
  } finally {
    t.done();
  }
});

test("CIFAR-100 loader: coarse+fine label bytes, names, range checks", async () => {
  const t = tempDir();
  try {
    const coarse = [3, 19, 0, 7];
    const fine = [42, 99, 0, 13];
    const px = images(4, 5);
    writeFileSync(join(t.dir, "train.bin"), writeCifarBin(px, [coarse, fine]));
    writeFileSync(join(t.dir, "test.bin"), writeCifarBin(images(1, 6), [[1], [2]]));
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    writeFileSync(join(t.dir, "fine_label_names.txt"), names.join("\n") + "\n");
    const d = await loadCifar100({ dir: t.dir });
    assert.equal(d.numClasses, 100);
    assert.deepEqual(Array.from(d.train.labels), fine);
    assert.deepEqual(Array.from(d.train.coarseLabels!), coarse);
    assert.equal(d.classNames[42], "n42");
    assert.deepEqual(Array.from(d.train.images.subarray(0, 3)), Array.from(px.subarray(0, 3)));
    const c = await loadCifar100({ dir: t.dir, labels: "coarse" });
    assert.deepEqual(Array.from(c.train.labels), coarse);
    assert.equal(c.numClasses, 20);
    writeFileSync(join(t.dir, "test.bin"), writeCifarBin(images(1, 6), [[1], [100]]));
    await assert.rejects(
      loadCifar100({ dir: t.dir }),
      /test\.bin: record 0 has labels 1\/100/,
    );
  } finally {
    t.done();
  }
});

const haveCifar = existsSync(join(cifar10Dir(), "test_batch.bin"));

test(
  "CIFAR-10 real data: class counts, first test image, channel means",
  { skip: haveCifar ? false : "CIFAR-10 absent: run `npm run data -- cifar10` first" },
  async () => {
    const d = await loadCifar10(); // verifies the six official MD5s
    assert.deepEqual(classCounts(d.train.labels), new Array(10).fill(5000));
    assert.deepEqual(classCounts(d.test.labels), new Array(10).fill(1000));
    assert.equal(d.classNames[d.test.labels[0]!], "cat");
    assert.deepEqual(Array.from(d.test.images.subarray(0, 6)), [158, 112, 49, 159, 111, 47]);
    assert.equal(
      sha256(d.test.images.subarray(0, 3072)),
      "af12e1241a1e7a0c9ba326825279bef5fe961ceb5f95212a99f9b1f22711f913",
    );
    assert.equal(d.train.labels[49999], 1);
    assert.equal(
      sha256(d.train.images.subarray(49999 * 3072)),
      "464b90ac283a526bd3eda15fa0c2dfb444a5aaf5964eaaa2fb00d50e2d8cc49c",
    );
    const s = channelStats(d.train, 3); // the well-known CIFAR-10 values
    [0.4914, 0.4822, 0.4465].forEach((m, k) => assert.ok(Math.abs(s.mean[k]! - m) < 1e-4));
    [0.247, 0.2435, 0.2616].forEach((v, k) => assert.ok(Math.abs(s.std[k]! - v) < 1e-4));
  },
);

test("Fashion-MNIST loader: IDX files, padding to 32x32, MD5 error", async () => {
  const t = tempDir();
  try {
    const img = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i % 784) % 256);
    writeFileSync(join(t.dir, "train-images-idx3-ubyte"), writeIdx([2, 28, 28], img));
    writeFileSync(join(t.dir, "train-labels-idx1-ubyte"), writeIdx([2], Uint8Array.from([4, 9])));
    writeFileSync(join(t.dir, "t10k-images-idx3-ubyte"), writeIdx([2, 28, 28], img));
    writeFileSync(join(t.dir, "t10k-labels-idx1-ubyte"), writeIdx([2], Uint8Array.from([0, 1])));
    const d = await loadFashionMnist({
      dir: t.dir,
      verify: false,
      standInFor: "imagenet32",
      channels: 1,
    });
    assert.equal(d.standIn?.label, "Fashion-MNIST (stand-in for ImageNet32)");
    assert.deepEqual([d.height, d.width, d.channels], [32, 32, 1]);
    // row 2, col 2 of the padded image is source pixel (0,0); the border is 0
    assert.equal(d.train.images[2 * 32 + 2], 0);
    assert.equal(d.train.images[2 * 32 + 3], 1);
    assert.equal(d.train.images[31 * 32 + 31], 0);
    assert.equal(d.train.images[(2 + 27) * 32 + 2 + 27], 783 % 256);
    const rgb = await loadFashionMnist({ dir: t.dir, verify: false });
    assert.equal(rgb.standIn, null);
    const p = (2 * 32 + 3) * 3; // pixel (2, 3) in RGB
    assert.deepEqual(Array.from(rgb.train.images.subarray(p, p + 3)), [1, 1, 1]);
    await assert.rejects(
      loadFashionMnist({ dir: t.dir }),
      new RegExp(
        "train-images-idx3-ubyte \\(uncompressed\\): md5 mismatch: " +
          "expected f4a8712d7a061bf5bd6d2ca38dc4d50a, got [0-9a-f]{32}",
      ),
    );
  } finally {
    t.done();
  }
});

const haveFashion = existsSync(join(fashionMnistDir(), "train-images-idx3-ubyte.gz"));

test(
  "Fashion-MNIST real data (Debian package): verified, 6,000 per class",
  { skip: haveFashion ? false : "Debian dataset-fashion-mnist not installed" },
  async () => {
    const d = await loadFashionMnist({ standInFor: "cifar100" });
    assert.equal(d.standIn?.for, "cifar100");
    assert.deepEqual(classCounts(d.train.labels), new Array(10).fill(6000));
    assert.equal(d.train.labels[0], 9); // the first training image is an ankle boot
    assert.equal(d.train.images.length, 60000 * 32 * 32 * 3);
  },
);

