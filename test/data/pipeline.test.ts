import assert from "node:assert/strict";
import { test } from "node:test";
import {
  augmentInto,
  balancedSubset,
  batchify,
  bpttWindows,
  channelStats,
  classCounts,
  imageBatches,
  indexBatches,
  normLut,
  reflectPad,
  subsetImages,
  takeImages,
  unitStats,
} from "../../lib/data/pipeline";
import { Rng } from "../../lib/data/rng";
import type { ImageSplit } from "../../lib/data/types";

// A 3x3 one-channel image with values 1..9:
//   1 2 3
//   4 5 6
//   7 8 9
const IMG = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const identity = normLut({ mean: [0], std: [1 / 255] }); // v -> v

test("reflect padding matches numpy.pad(mode='reflect')", () => {
  // np.pad(img, 2, mode="reflect") row 0 is the reflection of row 2:
  // [9 8 7 8 9 8 7]; the edge pixel is not repeated.
  const p = reflectPad(IMG, 3, 3, 1, 2);
  const rows = Array.from({ length: 7 }, (_, i) => Array.from(p.subarray(i * 7, i * 7 + 7)));
  assert.deepEqual(rows[0], [9, 8, 7, 8, 9, 8, 7]);
  assert.deepEqual(rows[2], [3, 2, 1, 2, 3, 2, 1]);
  assert.deepEqual(rows[3], [6, 5, 4, 5, 6, 5, 4]);
  assert.deepEqual(rows[6], [3, 2, 1, 2, 3, 2, 1]);
});

test("every crop offset equals the crop of the padded image; flip mirrors it", () => {
  const pad = 2;
  const padded = reflectPad(IMG, 3, 3, 1, pad);
  const out = new Float32Array(9);
  for (let dy = 0; dy <= 2 * pad; dy++) {
    for (let dx = 0; dx <= 2 * pad; dx++) {
      const want: number[] = [];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) want.push(padded[(i + dy) * 7 + j + dx]!);
      }
      augmentInto(IMG, 0, out, 0, 3, 3, 1, pad, { dy, dx, flip: false }, identity);
      assert.deepEqual(Array.from(out, Math.round), want, `dy=${dy} dx=${dx}`);
      augmentInto(IMG, 0, out, 0, 3, 3, 1, pad, { dy, dx, flip: true }, identity);
      const flipped = [0, 1, 2].flatMap((i) => want.slice(i * 3, i * 3 + 3).reverse());
      assert.deepEqual(Array.from(out, Math.round), flipped);
    }
  }
  // the centre crop without flip is the image itself
  augmentInto(IMG, 0, out, 0, 3, 3, 1, pad, { dy: 2, dx: 2, flip: false }, identity);
  assert.deepEqual(Array.from(out, Math.round), Array.from(IMG));
});

test("flip of an RGB image keeps channels together", () => {
  // 1x2 image: pixel A = (1,2,3), pixel B = (4,5,6)
  const img = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  const lut = normLut({ mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] });
  const out = new Float32Array(6);
  augmentInto(img, 0, out, 0, 1, 2, 3, 0, { dy: 0, dx: 0, flip: true }, lut);
  assert.deepEqual(Array.from(out, Math.round), [4, 5, 6, 1, 2, 3]);
});

function toySplit(n: number, classes: number): ImageSplit {
  const images = new Uint8Array(n * 4 * 4 * 3);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37) % 256;
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  return { n, images, labels };
}

test("image batches: shapes, normalisation, determinism for a seed", () => {
  const split = toySplit(10, 3);
  const shape = { height: 4, width: 4, channels: 3 };
  const stats = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
  const run = (seed: number) =>
    [...imageBatches(split, shape, {
      batchSize: 4,
      rng: new Rng(seed),
      augment: { pad: 1, flip: true },
      stats,
    })];
  const a = run(11);
  const b = run(11);
  const c = run(12);
  assert.deepEqual(a.map((x) => x.shape), [[4, 4, 4, 3], [4, 4, 4, 3], [2, 4, 4, 3]]);
  assert.deepEqual(a.map((x) => Array.from(x.x)), b.map((x) => Array.from(x.x)));
  assert.notDeepEqual(a.map((x) => Array.from(x.x)), c.map((x) => Array.from(x.x)));
  // without augmentation or shuffling, batch 0 is images 0..3 normalised
  const [plain] = [...imageBatches(split, shape, { batchSize: 4, shuffle: false, stats })];
  assert.ok(plain);
  const v = split.images[5]!;
  assert.ok(Math.abs(plain.x[5]! - (v / 255 - 0.5) / 0.25) < 1e-6);
  assert.deepEqual(Array.from(plain.y), [0, 1, 2, 0]);
});

test("indexBatches covers each index once; dropLast drops the short batch", () => {
  const all = indexBatches(10, { batchSize: 4, rng: new Rng(1) });
  const seen = all.flatMap((b) => Array.from(b)).sort((x, y) => x - y);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(indexBatches(10, { batchSize: 4, rng: new Rng(1), dropLast: true }).length, 2);
  assert.throws(() => indexBatches(10, { batchSize: 4 }), /needs an rng/);
});

test("channel statistics and LUT", () => {
  const images = Uint8Array.from([0, 255, 0, 255]);
  const split: ImageSplit = { n: 1, images, labels: new Int32Array(1) };
  const s = channelStats(split, 2); // channel 0: 0,0 ; channel 1: 255,255
  assert.deepEqual(s.mean, [0, 1]);
  assert.deepEqual(s.std, [0, 0]);
  assert.equal(normLut(unitStats(1))[255], 1);
  assert.throws(() => normLut({ mean: [0], std: [0] }), /std\[0\] must be > 0/);
});

test("class-balanced subset: counts, seeded, errors name the class", () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => i % 4); // 25 each
  const idx = balancedSubset(labels, 7, new Rng(3));
  assert.equal(idx.length, 28);
  assert.deepEqual(classCounts(Int32Array.from(idx, (i) => labels[i]!)), [7, 7, 7, 7]);
  assert.deepEqual(Array.from(idx), Array.from(balancedSubset(labels, 7, new Rng(3))));
  assert.equal(new Set(idx).size, 28);
  assert.throws(() => balancedSubset(labels, 26, new Rng(3)), /class 0 has 25 examples/);
  const sub = takeImages(toySplit(100, 4), idx, 48);
  assert.equal(sub.n, 28);
  assert.deepEqual(classCounts(sub.labels), [7, 7, 7, 7]);
  const ds = {
    name: "toy", standIn: null, height: 4, width: 4, channels: 3, numClasses: 4,
    classNames: ["a", "b", "c", "d"], train: toySplit(100, 4), test: toySplit(40, 4),
    source: "memory",
  };
  const small = subsetImages(ds, { trainPerClass: 5, testPerClass: 2, seed: 1 });
  assert.deepEqual(classCounts(small.train.labels), [5, 5, 5, 5]);
  assert.deepEqual(classCounts(small.test.labels), [2, 2, 2, 2]);
  assert.equal(small.train.images.length, 20 * 48);
});

test("batchify into [batchSize, T] and BPTT windows", () => {
  const ids = Int32Array.from({ length: 26 }, (_, i) => i);
  const b = batchify(ids, 4); // T = 6, tokens 24, 25 dropped
  assert.equal(b.steps, 6);
  assert.deepEqual(Array.from(b.data.subarray(6, 12)), [6, 7, 8, 9, 10, 11]);
  const w = [...bpttWindows(b, 3)];
  assert.deepEqual(w.map((x) => [x.start, x.len]), [[0, 3], [3, 2]]);
  // row 1 of the first window: inputs 6 7 8, targets 7 8 9
  assert.deepEqual(Array.from(w[0]!.x.subarray(3, 6)), [6, 7, 8]);
  assert.deepEqual(Array.from(w[0]!.y.subarray(3, 6)), [7, 8, 9]);
  assert.equal(w[1]!.x.length, 4 * 2);
  assert.deepEqual(Array.from(w[1]!.y.subarray(0, 2)), [4, 5]);
  assert.throws(() => batchify(ids, 20), /too few/);
});
