/**
 * The native engine (lib/engine/native): every kernel it registers, and
 * its gradient, against the pure-JS cpu backend on random shapes (odd
 * sizes, batch 1, stride 2, 'same' and 'valid', NCHW, broadcasts); that
 * the calls really ran natively; bit-identical repeats; no tensor or
 * native buffer growth over 1,000 steps (the out-of-memory error: memory.test.ts).
 * A failure prints its seed; ENGINE_TEST_SEED=<seed> reruns it.
 */
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {before, test} from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  batchNorm, hasFusedRecurrence, lstmCell, lstmRecurrence, sparseSoftmaxCrossEntropy,
} from '../../lib/engine/ops';
import {
  ADDON_PATH, loadAddon, NATIVE_KERNEL_NAMES, type NativeAddon,
} from '../../lib/engine/native';
import {broadcastOf, middleRepeat} from '../../lib/engine/native/kernels';
import {buildModel, type Model} from '../../lib/models';
import {
  ENGINE_UNDER_TEST, freshSeed, initWasm, normals, relErr, rng, runOn,
} from './helpers/backends';

const TOL = 1e-4;
const loaded = loadAddon();
const addon: NativeAddon | null = 'addon' in loaded ? loaded.addon : null;
const skip = ENGINE_UNDER_TEST !== 'native' ?
  `native engine not under test (${'reason' in loaded ? loaded.reason :
    'SGDL_BACKEND=wasm'})` : false;

before(initWasm);

test('the addon is built and loads wherever oneDNN is installed', () => {
  const hasOneDnn = existsSync('/usr/include/oneapi/dnnl/dnnl.hpp');
  if (!hasOneDnn) return;
  assert.ok(existsSync(ADDON_PATH),
    'libdnnl-dev is installed but the addon was not built (npm run setup)');
  assert.ok(addon !== null, `the addon failed to load: ${
    'reason' in loaded ? loaded.reason : ''}`);
  const info = addon.info();
  assert.match(info.onednn, /^\d+\.\d+\.\d+$/);
  assert.notEqual(info.isa, 'generic');
});

/** Random draws that are the same on both backends. */
function source(seed: number) {
  const next = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return {
    next, int, pick,
    normal(shape: number[], scale = 1): () => tf.Tensor {
      const v = normals(next, shape.reduce((a, b) => a * b, 1), scale);
      return () => tf.tensor(v, shape);
    },
    positive(shape: number[]): () => tf.Tensor {
      const v = normals(next, shape.reduce((a, b) => a * b, 1)).map(
        (x) => Math.abs(x) + 0.1);
      return () => tf.tensor(v, shape);
    },
  };
}

/**
 * Runs fn on cpu and on the native engine, asserts every output agrees,
 * and that the native run made at least `minCalls` addon calls (so a
 * kernel that silently fell back to wasm fails the test).
 */
async function agree(
  label: string, seed: number, fn: () => tf.Tensor[], minCalls = 1,
): Promise<void> {
  const ref = await runOn('cpu', fn);
  const before = addon!.info().calls;
  const got = await runOn('wasm', fn);
  const calls = addon!.info().calls - before;
  assert.ok(calls >= minCalls,
    `${label}: only ${calls} native calls (expected >= ${minCalls}), seed=${seed}`);
  assert.equal(got.length, ref.length);
  got.forEach((g, i) => {
    const e = relErr(g, ref[i]!);
    assert.ok(e < TOL, `${label}: output ${i} rel err ${e.toExponential(2)}, seed=${seed}`);
  });
}

/** Outputs and gradients of sum(f(inputs) * r) with respect to the inputs. */
function withGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: (() => tf.Tensor)[],
  r: (shape: number[]) => tf.Tensor,
): () => tf.Tensor[] {
  return () => {
    const xs = inputs.map((m) => m());
    const y = f(...xs);
    const w = r(y.shape);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
    return [y, ...grads];
  };
}

/** A fixed weighting tensor per output shape (same on both backends). */
function weights(seed: number): (shape: number[]) => tf.Tensor {
  const cache = new Map<string, Float32Array>();
  return (shape) => {
    const key = shape.join('x');
    if (!cache.has(key)) {
      cache.set(key, normals(rng(seed + key.length), shape.reduce((a, b) => a * b, 1)));
    }
    return tf.tensor(cache.get(key)!, shape);
  };
}

test('conv2d forward and gradients on random shapes', {skip}, async () => {
  for (let i = 0; i < 24; i++) {
    const seed = freshSeed();
    const s = source(seed);
    const k = s.pick([1, 2, 3, 5]);
    const stride = s.pick([1, 2]);
    const pad = s.pick(['same', 'valid'] as const);
    const n = s.pick([1, 2, 3]);
    const h = s.int(k, 13);
    const w = s.int(k, 12);
    const ci = s.int(1, 20);
    const co = s.int(1, 19);
    const x = s.normal([n, h, w, ci]);
    const f = s.normal([k, k, ci, co], 0.3);
    await agree(`conv n${n} ${h}x${w} ${ci}->${co} k${k} s${stride} ${pad}`, seed,
      withGrads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad),
        [x, f], weights(seed)), 3);
  }
});

test('conv2d with dilation, NCHW, and fused bias + relu', {skip}, async () => {
  for (let i = 0; i < 8; i++) {
    const seed = freshSeed();
    const s = source(seed);
    const ci = s.int(1, 9);
    const co = s.int(1, 9);
    const x = s.normal([2, 11, 9, ci]);
    const f = s.normal([3, 3, ci, co], 0.3);
    const bias = s.normal([co]);
    const r = weights(seed);
    await agree(`dilated ${ci}->${co}`, seed, () => [tf.conv2d(
      x() as tf.Tensor4D, f() as tf.Tensor4D, 1, 'same', 'NHWC', 2)]);
    const stride = s.pick([1, 2]);
    await agree(`NCHW ${ci}->${co} s${stride}`, seed, withGrads(
      (a, b) => tf.conv2d(tf.transpose(a, [0, 3, 1, 2]) as tf.Tensor4D,
        b as tf.Tensor4D, stride, 'same', 'NCHW'), [x, f], r), 3);
    await agree(`fused ${ci}->${co}`, seed, withGrads(
      (a, b, c) => tf.fused.conv2d({x: a as tf.Tensor4D, filter: b as tf.Tensor4D,
        strides: stride, pad: 'same', bias: c, activation: 'relu'}),
      [x, f, bias], r), 1);
  }
});

test('fused batch norm (+ residual, + relu) and its gradients', {skip}, async () => {
  for (const [relu, residual] of [[false, false], [true, false], [true, true],
    [false, true]] as const) {
    for (const shape of [[3, 5, 7, 6], [1, 4, 4, 16], [9, 33]]) {
      const seed = freshSeed();
      const s = source(seed);
      const c = shape.at(-1)!;
      const x = s.normal(shape, 2);
      const g = s.normal([c]);
      const b = s.normal([c]);
      const res = s.normal(shape);
      const inputs = residual ? [x, g, b, res] : [x, g, b];
      const r = weights(seed);
      const f = (...a: tf.Tensor[]) => batchNorm(a[0] as tf.Tensor4D,
        a[1] as tf.Tensor1D, a[2] as tf.Tensor1D, 1e-5,
        {relu, ...(residual && {residual: a[3]!})});
      await agree(`bn relu=${relu} residual=${residual} [${shape}]`, seed, () => {
        const xs = inputs.map((m) => m());
        const out = f(...xs);
        const w = r(out.y.shape);
        const grads = tf.grads((...a: tf.Tensor[]) => {
          const o = f(...a);
          tf.dispose([o.mean, o.variance]);
          return tf.sum(tf.mul(o.y, w));
        })(xs);
        return [out.y, out.mean, out.variance, ...grads];
      }, 2);
    }
  }
});

test('batch norm at evaluation (FusedBatchNorm)', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const x = s.normal([2, 5, 3, 7]);
  const [m, v, o, g] = [s.normal([7]), s.positive([7]), s.normal([7]), s.normal([7])];
  await agree('batchNorm infer', seed, () => [
    tf.batchNorm(x(), m(), v(), o(), g(), 1e-3),
    tf.batchNorm(x(), m(), v(), undefined, undefined, 1e-5),
  ], 2);
});

test('element-wise ops with broadcasts, and their gradients', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const r = weights(seed);
  const pairs: Array<[number[], number[]]> = [
    [[2, 3, 4, 5], [2, 3, 4, 5]], [[2, 3, 4, 5], [5]], [[5], [2, 3, 4, 5]],
    [[6, 7], [6, 1]], [[6, 1], [6, 7]], [[2, 3, 4, 5], []], [[], [3, 1]],
    [[1, 4, 5], [3, 4, 5]], [[4, 6, 5], [4, 1, 5]], [[4, 1, 5], [4, 6, 5]],
    [[2, 3, 4, 5], [2, 1, 1, 5]], [[2, 3, 4, 5], [1]],
  ];
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['div', tf.div],
    ['maximum', tf.maximum], ['minimum', tf.minimum],
    ['squaredDifference', tf.squaredDifference],
  ];
  // The gradient of a broadcast operand is a sum over the broadcast axes:
  // positive inputs and weights keep it free of cancellation, which would
  // make any two summation orders differ by more than 1e-4 of a small sum.
  const positiveWeights = (shape: number[]) => tf.abs(r(shape));
  for (const [sa, sb] of pairs) {
    const broadcast = sa.join() !== sb.join();
    const a = broadcast ? s.positive(sa) : s.normal(sa);
    const b = s.positive(sb);
    for (const [name, op] of ops) {
      // tfjs's own gradients of these do not reduce broadcasts.
      const noBroadcastGrad = ['maximum', 'minimum', 'squaredDifference'].includes(name);
      const fn = noBroadcastGrad && broadcast ?
        () => [op(a(), b())] : withGrads(op, [a, b], broadcast ? positiveWeights : r);
      await agree(`${name} [${sa}] [${sb}]`, seed, fn, 1);
    }
  }
});

test('broadcast codes: same, scalar, inner, outer, middle, unsupported', () => {
  // [code, inner, mid]; codes as in src/eltwise.cc.
  assert.deepEqual(broadcastOf([4, 5], [4, 5], [4, 5]), [0, 20, 1]);
  assert.deepEqual(broadcastOf([4, 5], [], [4, 5]), [1, 1, 1]);       // scalar b
  assert.deepEqual(broadcastOf([], [4, 5], [4, 5]), [2, 1, 1]);       // scalar a
  assert.deepEqual(broadcastOf([4, 5], [5], [4, 5]), [1, 5, 1]);      // a bias
  assert.deepEqual(broadcastOf([4, 5], [4, 1], [4, 5]), [3, 5, 1]);   // per row
  // A mask shared over time: [B, 1, H] against [B, T, H].
  assert.deepEqual(broadcastOf([20, 35, 100], [20, 1, 100], [20, 35, 100]), [5, 100, 35]);
  assert.deepEqual(broadcastOf([2, 1, 1, 5], [2, 3, 4, 5], [2, 3, 4, 5]), [6, 5, 12]);
  assert.deepEqual(middleRepeat([3, 1, 5], [3, 4, 5]), {mid: 4, inner: 5});
  assert.equal(middleRepeat([1, 4, 1], [3, 4, 5]), null);
  assert.equal(broadcastOf([3, 1], [1, 4], [3, 4]), null);           // both broadcast
});

test('unary ops and their gradients', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const r = weights(seed);
  const x = s.normal([3, 17, 5]);
  const p = s.positive([3, 17, 5]);
  const ops: Array<[string, (t: tf.Tensor) => tf.Tensor, () => tf.Tensor]> = [
    ['relu', tf.relu, x], ['neg', tf.neg, x], ['square', tf.square, x],
    ['sqrt', tf.sqrt, p], ['rsqrt', tf.rsqrt, p], ['abs', tf.abs, x],
    ['exp', tf.exp, x], ['log', tf.log, p], ['sigmoid', tf.sigmoid, x],
    ['tanh', tf.tanh, x], ['step', (t) => tf.step(t, 0.25), x],
  ];
  for (const [name, op, input] of ops) {
    await agree(name, seed, withGrads(op, [input], r), 1);
  }
});

test('pooling and gradients, ties included (zeros after relu)', {skip}, async () => {
  for (let i = 0; i < 16; i++) {
    const seed = freshSeed();
    const s = source(seed);
    const k = s.int(1, 3);
    const stride = s.int(1, 3);
    const pad = s.pick(['same', 'valid'] as const);
    const shape = [s.int(1, 3), s.int(k, 9), s.int(k, 8), s.int(1, 9)];
    const x = s.normal(shape);
    const relu = () => tf.relu(x());
    const r = weights(seed);
    for (const pool of [tf.maxPool, tf.avgPool]) {
      await agree(`${pool === tf.maxPool ? 'max' : 'avg'} [${shape}] k${k} s${stride} ${pad}`,
        seed, withGrads((t) => pool(t as tf.Tensor4D, k, stride, pad), [relu], r), 2);
    }
  }
});

test('matMul with transposes and batches, and gradients', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const r = weights(seed);
  for (const [sa, sb, ta, tb] of [
    [[7, 5], [5, 3], false, false], [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true], [[5, 7], [3, 5], true, true],
    [[4, 7, 5], [4, 5, 3], false, false], [[4, 7, 5], [5, 3], false, false],
    [[1, 7, 5], [4, 5, 3], false, false], [[1, 1], [1, 9], false, false],
  ] as Array<[number[], number[], boolean, boolean]>) {
    const [a, b] = [s.normal(sa), s.normal(sb)];
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb);
    // tfjs's own matMul gradient does not reduce a broadcast batch.
    const fn = sa.length === sb.length && sa[0] === sb[0] || sa.length === 2 ?
      withGrads(f, [a, b], r) : () => [f(a(), b())];
    await agree(`matMul [${sa}]${ta ? "'" : ''} [${sb}]${tb ? "'" : ''}`, seed, fn, 1);
  }
});

test('sum, mean and max over axes, and gradients', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const r = weights(seed);
  // Positive: a sum of mixed signs can cancel to a small number that two
  // summation orders cannot agree on to 1e-4 of itself.
  const x = s.positive([3, 4, 5, 6]);
  for (const axes of [[0], [3], [1, 2], [0, 1], [2, 3], [0, 1, 2, 3]]) {
    for (const keep of [false, true]) {
      for (const [name, op] of [['sum', tf.sum], ['mean', tf.mean], ['max', tf.max]] as const) {
        await agree(`${name} ${axes} keepDims=${keep}`, seed,
          withGrads((t) => op(t, axes, keep), [x], r), 1);
      }
    }
  }
});

test('slice, pad, concat, split, stack and unstack, and gradients', {skip}, async () => {
  const seed = freshSeed();
  const s = source(seed);
  const r = weights(seed);
  const x = s.normal([2, 5, 6, 7]);
  const y = s.normal([2, 5, 6, 3]);
  await agree('slice', seed, withGrads((t) => tf.slice(t, [1, 1, 2, 3], [1, 3, 3, 4]), [x], r), 1);
  await agree('pad', seed, withGrads((t) => tf.pad(t, [[0, 0], [1, 2], [0, 1], [3, 1]], 0.5), [x], r), 1);
  await agree('concat', seed, withGrads((a, b) => tf.concat([a, b, a], 3), [x, y], r), 1);
  await agree('concat axis 1', seed, withGrads((a) => tf.concat([a, a], 1), [x], r), 1);
  await agree('split', seed, withGrads((a) => tf.concat(tf.split(a, [2, 1, 4], 3).map(
    (t, i) => tf.mul(t, i + 1)), 3), [x], r), 2);
  for (const axis of [0, 1, 3]) {
    await agree(`unstack and stack, axis ${axis}`, seed, withGrads((a) => tf.stack(
      tf.unstack(a, axis).map((t, i) => tf.mul(t, i + 1)), axis), [x], r), 2);
  }
});

test('fused LSTM cell and its gradients (both outputs used, or only h)', {skip}, async () => {
  for (const [b, h] of [[1, 3], [5, 17], [20, 64]] as const) {
    const seed = freshSeed();
    const s = source(seed);
    const gates = s.normal([b, 4 * h], 2);
    const c = s.normal([b, h]);
    const r = weights(seed);
    await agree(`lstmCell ${b}x${h}`, seed, () => {
      const [g0, c0] = [gates(), c()];
      const out = lstmCell(g0 as tf.Tensor2D, c0 as tf.Tensor2D);
      const both = tf.grads((g: tf.Tensor, cc: tf.Tensor) => {
        const o = lstmCell(g as tf.Tensor2D, cc as tf.Tensor2D);
        return tf.add(tf.sum(tf.mul(o.h, r([b, h]))), tf.sum(tf.mul(o.c, tf.square(r([b, h])))));
      })([g0, c0]);
      const onlyH = tf.grads((g: tf.Tensor, cc: tf.Tensor) =>
        tf.sum(tf.mul(lstmCell(g as tf.Tensor2D, cc as tf.Tensor2D).h, r([b, h]))))([g0, c0]);
      return [out.h, out.c, ...both, ...onlyH];
    }, 3);
  }
});

test('LSTM recurrence: the one-pass backward equals the per-step gradient; memory stays flat', {skip}, async () => {
  for (const [b, t, h] of [[1, 1, 3], [3, 5, 8], [20, 35, 32]] as const) {
    const seed = freshSeed();
    const s = source(seed);
    const r = weights(seed);
    const inputs = [s.normal([b, t, 4 * h]), s.normal([h, 4 * h], 0.5), s.normal([b, h]),
      s.normal([b, h])];
    const f = (xw: tf.Tensor, w: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => lstmRecurrence(
      xw as tf.Tensor3D, w as tf.Tensor2D, h0 as tf.Tensor2D, c0 as tf.Tensor2D);
    const step = () => {
      const xs = inputs.map((m) => m()) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const out = f(...xs);
      const all = tf.grads((...a: tf.Tensor[]) => {
        const o = f(a[0]!, a[1]!, a[2]!, a[3]!);
        return tf.addN([tf.sum(tf.mul(o.y, r([b, t, h]))), tf.sum(tf.mul(o.h, r([b, h]))),
          tf.sum(tf.mul(o.c, tf.square(r([b, h]))))]);
      })(xs);
      const onlyY = tf.grads((...a: tf.Tensor[]) =>
        tf.sum(tf.mul(f(a[0]!, a[1]!, a[2]!, a[3]!).y, r([b, t, h]))))(xs);
      return [out.y, out.h, out.c, ...all, ...onlyY];
    };
    // cpu: the per-step loop and tfjs's gradient; wasm: the native one-pass backward.
    await agree(`lstmRecurrence ${b}x${t}x${h}`, seed, step, 2 * t);
    await tf.setBackend('wasm');
    assert.ok(hasFusedRecurrence());
    const once = () => tf.tidy(() => { step(); });
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    assert.equal(tf.memory().numTensors, before, `lstmRecurrence ${b}x${t}x${h} leaks tensors`);
  }
});

test('sparse softmax cross-entropy and its gradient; labels out of range are refused', {skip}, async () => {
  for (const [n, c] of [[1, 2], [7, 33], [70, 1000]] as const) {
    const seed = freshSeed();
    const s = source(seed);
    // Logits of scale 1: a row's loss is log-sum-exp minus the label's
    // logit, so a tiny loss (one dominant logit) carries the rounding of
    // its O(1) operands and is not comparable to 1e-4 of itself.
    const logits = s.normal([n, c], 1);
    const labels = Int32Array.from({length: n}, (_, i) => (i * 7919 + seed) % c);
    const r = weights(seed);
    await agree(`sparse xent ${n}x${c}`, seed, () => {
      const x = logits();
      const y = tf.tensor1d(labels, 'int32');
      const loss = sparseSoftmaxCrossEntropy(x as tf.Tensor2D, y);
      const [g] = tf.grads((t: tf.Tensor) =>
        tf.sum(tf.mul(sparseSoftmaxCrossEntropy(t as tf.Tensor2D, y), r([n]))))([x]);
      return [loss, g!];
    }, 2);
  }
  await tf.setBackend('wasm');
  assert.throws(() => tf.tidy(() => sparseSoftmaxCrossEntropy(tf.zeros([2, 3]),
    tf.tensor1d([0, 3], 'int32')).dataSync()), /label 3 of row 1 is not in 0\.\.2/);
});

test('every registered kernel is exercised by these tests', {skip}, () => {
  // A reminder to extend the tests when a kernel is added.
  assert.deepEqual([...NATIVE_KERNEL_NAMES].sort(), [
    'Abs', 'Add', 'AvgPool', 'AvgPoolGrad', 'BatchMatMul', 'Concat', 'Conv2D',
    'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Exp', 'FusedBatchNorm',
    'FusedConv2D', 'Log', 'Max', 'MaxPool', 'MaxPoolGrad', 'Maximum', 'Mean',
    'Minimum', 'Multiply', 'Neg', 'Pack', 'PadV2', 'RealDiv', 'Relu', 'Rsqrt',
    'SgdlBatchNormTrain', 'SgdlBatchNormTrainGrad', 'SgdlLstmCell', 'SgdlLstmCellGrad',
    'SgdlSparseXent', 'SgdlSparseXentGrad', 'Sigmoid', 'Slice', 'SplitV', 'Sqrt',
    'Square', 'SquaredDifference', 'Step', 'Sub', 'Sum', 'Tanh', 'Unpack',
  ]);
});

/** A small ResNet's training step (SGD by hand, so only the engine counts). */
function trainer(model: Model, x: tf.Tensor, y: tf.Tensor) {
  const params = Object.values(model.params);
  return () => tf.tidy(() => {
    const {value, grads} = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(
      y, model.apply(x, true)) as tf.Scalar, params);
    for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name]!, 0.05)));
    return value.dataSync()[0]!;
  });
}

function snapshot(model: Model): Float32Array[] {
  return [...Object.values(model.params), ...Object.values(model.buffers)]
    .map((v) => Float32Array.from(v.dataSync()));
}

test('training is bit-identical when repeated with the same threads', {skip}, async () => {
  await tf.setBackend('wasm');
  const run = () => {
    const model = buildModel({kind: 'resnet', n: 1, width: 1, seed: 3});
    const x = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', 5);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const step = trainer(model, x, y);
    const losses = [0, 1, 2, 3, 4].map(step);
    const out = {losses, values: snapshot(model)};
    model.dispose();
    tf.dispose([x, y]);
    return out;
  };
  const a = run();
  const b = run();
  assert.deepEqual(b.losses, a.losses);
  a.values.forEach((v, i) => assert.ok(
    Buffer.from(v.buffer).equals(Buffer.from(b.values[i]!.buffer)), `tensor ${i} differs`));
});

test('no tensor, heap or native buffer growth over 1,000 steps', {skip}, async () => {
  await tf.setBackend('wasm');
  const model = buildModel({kind: 'resnet', n: 1, width: 0.5, seed: 1});
  const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 2);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
  const step = trainer(model, x, y);
  for (let i = 0; i < 10; i++) step();
  const state = () => ({
    tensors: tf.memory().numTensors, bytes: tf.memory().numBytes,
    ids: tf.backend().numDataIds(), scratch: addon!.info().scratchBytes,
    primitives: addon!.info().cachedPrimitives,
  });
  const first = state();
  const calls = addon!.info().calls;
  for (let i = 0; i < 1000; i++) step();
  assert.deepEqual(state(), first);
  assert.ok(addon!.info().calls - calls > 1000 * 20, 'the steps ran natively');
  model.dispose();
  tf.dispose([x, y]);
});
