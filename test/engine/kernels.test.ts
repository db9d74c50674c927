/**
 * The wasm kernels of lib/engine/kernels, called directly and compared
 * with the pure-JS cpu backend's kernels on random inputs; registration
 * and memory behaviour. Seeds are printed on failure; rerun one with
 * ENGINE_TEST_SEED=<seed>.
 */
import assert from 'node:assert/strict';
import {before, test} from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  WASM_KERNEL_NAMES, installedWasmKernels, registerWasmKernels,
} from '../../lib/engine/kernels';
import {
  type FilterGradMethod, conv2dFilterGrad,
} from '../../lib/engine/kernels/conv2d_backprop_filter';
import {
  type InputGradMethod, conv2dInputGrad,
} from '../../lib/engine/kernels/conv2d_backprop_input';
import {
  freshSeed, initWasm, ints, normals, relErr, rng, runOn,
} from './helpers/backends';

const TOL = 1e-4;

before(initWasm);

type Pad = 'same' | 'valid' | number;
type Shape4 = [number, number, number, number];
/** x shape, kernel size, out channels, stride, pad. */
type ConvCase = [Shape4, number, number, number | [number, number], Pad];

const CONV_CASES: ConvCase[] = [
  [[2, 8, 8, 3], 3, 4, 1, 'same'], [[2, 8, 8, 3], 3, 4, 2, 'same'],
  [[2, 9, 7, 3], 3, 4, 2, 'valid'], [[2, 9, 9, 3], 1, 4, 1, 'valid'],
  [[2, 9, 9, 3], 1, 4, 2, 'same'], [[2, 7, 8, 2], 5, 3, 1, 'same'],
  [[2, 9, 8, 2], 5, 3, 2, 'valid'], [[1, 7, 7, 2], 3, 3, 2, 1],
  [[1, 6, 6, 2], 3, 3, 1, 3], [[1, 7, 6, 2], 2, 3, 2, 'same'],
  [[2, 8, 9, 3], 3, 4, [2, 1], 'same'], [[1, 7, 8, 2], 3, 3, [1, 3], 'valid'],
];

/** Random data for one conv case, shared by both backends. */
function convData(seed: number, c: ConvCase) {
  const [xs, k, co, s, pad] = c;
  const next = rng(seed);
  const fs: [number, number, number, number] = [k, k, xs[3], co];
  const ys = tf.tidy(() => tf.conv2d(
    tf.zeros(xs) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, s, pad).shape);
  const size = (sh: number[]) => sh.reduce((a, b) => a * b, 1);
  return {
    xs, fs, ys, s, pad,
    x: normals(next, size(xs)), w: normals(next, size(fs)),
    dy: normals(next, size(ys)),
  };
}

test('registering twice is harmless and installs every kernel', () => {
  const warn = console.warn;
  const warnings: unknown[] = [];
  console.warn = (...a: unknown[]) => { warnings.push(a); };
  try {
    registerWasmKernels();
    registerWasmKernels();
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
  assert.deepEqual(installedWasmKernels(), WASM_KERNEL_NAMES);
  const configs = WASM_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm'));
  registerWasmKernels();
  assert.deepEqual(
    WASM_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')), configs);
});

test('BatchMatMul matches cpu for every transpose and batch layout',
  async () => {
    const seed = freshSeed();
    const next = rng(seed);
    const cases: [number[], number[]][] = [
      [[5, 7], [7, 3]], [[2, 5, 7], [2, 7, 3]], [[2, 5, 7], [1, 7, 3]],
      [[3, 2, 4, 6], [3, 2, 6, 5]],
    ];
    for (const [as, bs] of cases) {
      const av = normals(next, as.reduce((p, q) => p * q, 1));
      const bv = normals(next, bs.reduce((p, q) => p * q, 1));
      const swap = (s: number[]) =>
        [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const run = () => {
            // Same values, stored transposed when the flag is set.
            let a = tf.tensor(av, as);
            let b = tf.tensor(bv, bs);
            if (ta) a = tf.reshape(tf.tensor(av, as), swap(as));
            if (tb) b = tf.reshape(tf.tensor(bv, bs), swap(bs));
            return [tf.matMul(a, b, ta, tb)];
          };
          const ref = await runOn('cpu', run);
          const got = await runOn('wasm', run);
          assert.ok(relErr(got[0]!, ref[0]!) < TOL,
            `${as} x ${bs} tA=${ta} tB=${tb} seed=${seed}`);
        }
      }
    }
  });

test('Conv2DBackpropFilter and Input kernels match cpu', async () => {
  for (const c of CONV_CASES) {
    const seed = freshSeed();
    const d = convData(seed, c);
    const run = () => {
      const x = tf.tensor4d(d.x, d.xs);
      const w = tf.tensor4d(d.w, d.fs);
      const dy = tf.tensor(d.dy, d.ys);
      const attrs = {strides: d.s, pad: d.pad, dataFormat: 'NHWC'};
      const e = tf.engine();
      return [
        e.runKernel(tf.Conv2DBackpropFilter, {x, dy},
          {...attrs, filterShape: d.fs}) as tf.Tensor,
        e.runKernel(tf.Conv2DBackpropInput, {dy, filter: w},
          {...attrs, inputShape: d.xs}) as tf.Tensor,
      ];
    };
    const ref = await runOn('cpu', run);
    const got = await runOn('wasm', run);
    const msg = `seed=${seed} case=${JSON.stringify(c)}`;
    assert.ok(relErr(got[0]!, ref[0]!) < TOL, `dW ${msg}`);
    assert.ok(relErr(got[1]!, ref[1]!) < TOL, `dX ${msg}`);
  }
});

test('every conv gradient formulation matches cpu', async () => {
  const filterMethods: FilterGradMethod[] = ['swapped', 'im2col', 'taps'];
  const inputMethods: InputGradMethod[] = ['phases', 'dilated'];
  for (const c of CONV_CASES) {
    const seed = freshSeed();
    const d = convData(seed, c);
    const ref = await runOn('cpu', () => {
      const x = tf.tensor4d(d.x, d.xs);
      const dy = tf.tensor4d(d.dy, d.ys as [number, number, number, number]);
      return [
        tf.engine().runKernel(tf.Conv2DBackpropFilter, {x, dy}, {
          strides: d.s, pad: d.pad, dataFormat: 'NHWC', filterShape: d.fs,
        }) as tf.Tensor,
        tf.conv2dTranspose(dy, tf.tensor4d(d.w, d.fs), d.xs, d.s, d.pad),
      ];
    });
    const got = await runOn('wasm', () => {
      const x = tf.tensor4d(d.x, d.xs);
      const dy = tf.tensor4d(d.dy, d.ys as [number, number, number, number]);
      const w = tf.tensor4d(d.w, d.fs);
      return [
        ...filterMethods.map((m) => conv2dFilterGrad(
          x, dy, d.fs, d.s, d.pad, undefined, m)),
        ...inputMethods.map((m) => conv2dInputGrad(
          dy, w, d.xs, d.s, d.pad, undefined, m)),
      ];
    });
    const msg = `seed=${seed} case=${JSON.stringify(c)}`;
    filterMethods.forEach((m, i) => assert.ok(
      relErr(got[i]!, ref[0]!) < TOL, `dW ${m} ${msg}`));
    inputMethods.forEach((m, i) => assert.ok(
      relErr(got[filterMethods.length + i]!, ref[1]!) < TOL,
      `dX ${m} ${msg}`));
  }
});

test('Conv2DBackpropFilter accepts NCHW', async () => {
  const seed = freshSeed();
  const d = convData(seed, [[2, 7, 7, 3], 3, 4, 2, 'same']);
  const run = () => {
    const x = tf.transpose(tf.tensor4d(d.x, d.xs), [0, 3, 1, 2]);
    const dy = tf.transpose(tf.tensor(d.dy, d.ys), [0, 3, 1, 2]);
    return [tf.engine().runKernel(tf.Conv2DBackpropFilter, {x, dy}, {
      strides: d.s, pad: d.pad, dataFormat: 'NCHW', filterShape: d.fs,
    }) as tf.Tensor];
  };
  const ref = await runOn('cpu', run);
  const got = await runOn('wasm', run);
  assert.ok(relErr(got[0]!, ref[0]!) < TOL, `seed=${seed}`);
});

test('UnsortedSegmentSum matches cpu, with repeated ids', async () => {
  const seed = freshSeed();
  const next = rng(seed);
  const rows = 12;
  const segments = 5;
  const x = normals(next, rows * 3 * 2);
  // Ids in [-1, segments]: repeats, plus out-of-range ids that must drop.
  const ids = ints(next, rows, segments + 2).map((v) => v - 1);
  const run = () => [
    tf.unsortedSegmentSum(tf.tensor(x, [rows, 3, 2]), ids, segments),
    tf.unsortedSegmentSum(
      tf.tensor(x.map(Math.round), [rows, 6], 'int32'), ids, segments),
  ];
  const ref = await runOn('cpu', run);
  const got = await runOn('wasm', run);
  assert.ok(relErr(got[0]!, ref[0]!) < TOL, `float seed=${seed}`);
  assert.deepEqual(got[1], ref[1], `int32 seed=${seed}`);
});

test('UnsortedSegmentSum takes multi-dimensional ids', async () => {
  const seed = freshSeed();
  const next = rng(seed);
  const x = normals(next, 2 * 3 * 4);
  const ids = ints(next, 6, 4);
  const [got] = await runOn('wasm', () => [tf.engine().runKernel(
    tf.UnsortedSegmentSum, {
      x: tf.tensor(x, [2, 3, 4]),
      segmentIds: tf.tensor(ids, [2, 3], 'int32'),
    }, {numSegments: 4}) as tf.Tensor]);
  const want = new Float32Array(16);
  ids.forEach((s, r) => {
    for (let k = 0; k < 4; k++) want[s * 4 + k] += x[r * 4 + k]!;
  });
  assert.ok(relErr(got!, want) < TOL, `seed=${seed}`);
});

test('pooling gradients match cpu, also with ties (zeros after relu)',
  async () => {
    const seed = freshSeed();
    const next = rng(seed);
    const shape = [2, 7, 6, 3];
    const x = normals(next, 2 * 7 * 6 * 3).map((v) => Math.max(v, 0));
    const r = normals(next, 2 * 7 * 6 * 3);
    for (const k of [1, 2, 3]) {
      for (const s of [1, 2, 3]) {
        for (const pad of ['same', 'valid'] as const) {
          const run = () => [tf.maxPool, tf.avgPool].map((pool) =>
            tf.grad((t: tf.Tensor) => {
              const y = pool(t as tf.Tensor4D, k, s, pad);
              return tf.sum(tf.mul(y, tf.tensor(r.slice(0, y.size), y.shape)));
            })(tf.tensor(x, shape)));
          const ref = await runOn('cpu', run);
          const got = await runOn('wasm', run);
          const msg = `k${k} s${s} ${pad} seed=${seed}`;
          assert.ok(relErr(got[0]!, ref[0]!) < TOL, `maxPool ${msg}`);
          assert.ok(relErr(got[1]!, ref[1]!) < TOL, `avgPool ${msg}`);
        }
      }
    }
  });

test('the kernels leave no tensors or buffers behind', async () => {
  await tf.setBackend('wasm');
  const d = convData(freshSeed(), CONV_CASES[1]!);
  const x = tf.tensor4d(d.x, d.xs);
  const w = tf.tensor4d(d.w, d.fs);
  const dy = tf.tensor(d.dy, d.ys);
  const ids = tf.tensor1d([0, 2, 2, 1], 'int32');
  const rows = tf.ones([4, 3]);
  const step = () => {
    const e = tf.engine();
    const attrs = {strides: d.s, pad: d.pad, dataFormat: 'NHWC'};
    const outs = [
      e.runKernel(tf.Conv2DBackpropFilter, {x, dy},
        {...attrs, filterShape: d.fs}) as tf.Tensor,
      e.runKernel(tf.Conv2DBackpropInput, {dy, filter: w},
        {...attrs, inputShape: d.xs}) as tf.Tensor,
      tf.unsortedSegmentSum(rows, ids, 3),
      tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2,
        'same')))(x),
    ];
    outs.forEach((t) => t.dataSync());
    tf.dispose(outs);
  };
  step();
  const before = {...tf.memory(), ids: tf.backend().numDataIds()};
  for (let i = 0; i < 3; i++) step();
  const after = {...tf.memory(), ids: tf.backend().numDataIds()};
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numDataBuffers, before.numDataBuffers);
  assert.equal(after.numBytes, before.numBytes);
  assert.equal(after.ids, before.ids, 'backend data ids');
  tf.dispose([x, w, dy, ids, rows]);
});
