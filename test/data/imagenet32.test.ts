import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { imagenet32Files, loadImagenet32 } from "../../lib/data";
import { makeImagenetPickle, makeNpy, makeZip, pythonWithNumpy, tempDir } from "./helpers";

/** rows x 3072 channel-planar pixels: R plane = 10+i, G = 20+i, B = 30+i. */
function planar(rows: number): Uint8Array {
  const d = new Uint8Array(rows * 3072);
  for (let i = 0; i < rows; i++) {
    d.fill(10 + i, i * 3072, i * 3072 + 1024);
    d.fill(20 + i, i * 3072 + 1024, i * 3072 + 2048);
    d.fill(30 + i, i * 3072 + 2048, (i + 1) * 3072);
  }
  return d;
}

const int64 = (v: number[]) => new Uint8Array(new BigInt64Array(v.map(BigInt)).buffer);

function writeOfficial(dir: string, kind: "pickle" | "npz") {
  const train = join(dir, kind === "pickle" ? "Imagenet32_train" : "Imagenet32_train_npz");
  const val = join(dir, kind === "pickle" ? "Imagenet32_val" : "Imagenet32_val_npz");
  mkdirSync(train, { recursive: true });
  mkdirSync(val, { recursive: true });
  const mean = new Float64Array(3072).fill(0.5);
  for (let b = 1; b <= 10; b++) {
    const labels = [b, 1000 - b];
    if (kind === "pickle") {
      const p = makeImagenetPickle(planar(2), 2, 3072, labels, mean);
      writeFileSync(join(train, `train_data_batch_${b}`), p);
    } else {
      writeFileSync(join(train, `train_data_batch_${b}.npz`), makeZip([
        { name: "data.npy", data: makeNpy("|u1", [2, 3072], planar(2)) },
        { name: "labels.npy", data: makeNpy("<i8", [2], int64(labels)) },
        { name: "mean.npy", data: makeNpy("<f8", [3072], new Uint8Array(mean.buffer)) },
      ]));
    }
  }
  if (kind === "pickle") {
    const p = makeImagenetPickle(planar(3), 3, 3072, [1, 2, 1000], null);
    writeFileSync(join(val, "val_data"), p);
  } else {
    writeFileSync(join(val, "val_data.npz"), makeZip([
      { name: "data.npy", data: makeNpy("|u1", [3, 3072], planar(3)) },
      { name: "labels.npy", data: makeNpy("<i8", [3], int64([1, 2, 1000])) },
    ]));
  }
}

for (const kind of ["pickle", "npz"] as const) {
  test(`ImageNet32 loader reads the official ${kind} files`, async () => {
    const t = tempDir();
    try {
      writeOfficial(t.dir, kind);
      const d = await loadImagenet32({ dir: t.dir });
      assert.equal(d.numClasses, 1000);
      assert.equal(d.train.n, 20);
      assert.equal(d.test.n, 3);
      // labels are 1-based in the files, 0-based here
      assert.deepEqual(Array.from(d.train.labels.subarray(0, 4)), [0, 998, 1, 997]);
      assert.deepEqual(Array.from(d.test.labels), [0, 1, 999]);
      // channel-planar rows become NHWC: pixel 0 of row 1 is (11, 21, 31)
      assert.deepEqual(Array.from(d.test.images.subarray(3072, 3072 + 3)), [11, 21, 31]);
      const some = await loadImagenet32({ dir: t.dir, trainBatches: [2, 3] });
      assert.equal(some.train.n, 4);
    } finally {
      t.done();
    }
  });
}

test("ImageNet32: missing files are listed with the exact expected paths", async () => {
  const t = tempDir();
  try {
    writeOfficial(t.dir, "pickle");
    const f = imagenet32Files(t.dir);
    assert.equal(f.missing.length, 0);
    rmSync(join(t.dir, "Imagenet32_train", "train_data_batch_7"));
    await assert.rejects(loadImagenet32({ dir: t.dir }), (e: Error) => {
      assert.match(e.message, /missing: Imagenet32_train\/train_data_batch_7/);
      assert.match(e.message, /Imagenet32_val\/val_data/); // instructions
      return true;
    });
  } finally {
    t.done();
  }
});

test("ImageNet32: a label outside 1..1000 names the file and row", async () => {
  const t = tempDir();
  try {
    writeOfficial(t.dir, "pickle");
    const bad = makeImagenetPickle(planar(2), 2, 3072, [5, 0], null);
    writeFileSync(join(t.dir, "Imagenet32_val", "val_data"), bad);
    await assert.rejects(
      loadImagenet32({ dir: t.dir, trainBatches: [1] }),
      /val_data: label 0 at row 1 not in 1\.\.1000/,
    );
  } finally {
    t.done();
  }
});

const py = pythonWithNumpy();

test(
  "ImageNet32: files written by Python's pickle and numpy.savez (all protocols)",
  { skip: py ? false : "python3 with numpy not found; cross-check skipped" },
  async () => {
    const t = tempDir();
    try {
      const script = `
import pickle, numpy as np, os, sys
d = sys.argv[1]
for sub in ["Imagenet32_train", "Imagenet32_val"]:
    os.makedirs(os.path.join(d, sub), exist_ok=True)
x = np.zeros((2, 3072), dtype=np.uint8); x[:, :1024] = 7; x[:, 1024:2048] = 8; x[:, 2048:] = 9
for i in range(1, 11):
    with open(os.path.join(d, "Imagenet32_train", "train_data_batch_%d" % i), "wb") as f:
        pickle.dump({"data": x, "labels": [i, 1000], "mean": x.mean(axis=0)}, f, protocol=2 + i % 4)
np.savez_compressed(os.path.join(d, "val_data"), data=x, labels=np.array([3, 4]))
`;
      const r = spawnSync(py!, ["-c", script, t.dir], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const d = await loadImagenet32({ dir: t.dir });
      assert.deepEqual(Array.from(d.train.labels.subarray(0, 4)), [0, 999, 1, 999]);
      assert.deepEqual(Array.from(d.test.labels), [2, 3]);
      assert.deepEqual(Array.from(d.train.images.subarray(0, 3)), [7, 8, 9]);
    } finally {
      t.done();
    }
  },
);
