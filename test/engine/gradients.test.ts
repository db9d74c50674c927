/**
 * Gradients on wasm (with lib/engine/kernels registered) against the
 * pure-JS cpu backend, for the building blocks of the paper's models.
 * Inputs are random per run; a failure prints its seed, and
 * ENGINE_TEST_SEED=<seed> reruns it. Error measure: see relErr
 * (max abs difference over max abs reference value), per gradient.
 */
import assert from 'node:assert/strict';
import {before, test} from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {batchNorm, mirrorPad} from '../../lib/engine/ops';
import {
  compareBackends, freshSeed, initWasm, ints, normals, relErr, rng, runOn,
} from './helpers/backends';

const TOL = 1e-4;

before(initWasm);

/** Asserts every output of fn agrees between cpu and wasm. */
async function agree(
  label: string, seed: number, fn: () => tf.Tensor[],
): Promise<void> {
  const {errors} = await compareBackends(fn);
  errors.forEach((e, i) => assert.ok(e < TOL,
    `${label}: output ${i} rel err ${e.toExponential(2)}, seed=${seed}`));
}

/** A random tensor source: the same values on every backend. */
function source(seed: number) {
  const next = rng(seed);
  return {
    /** Registers a normal draw of this shape; returns a tensor maker. */
    normal(shape: number[], scale = 1): () => tf.Tensor {
      const v = normals(next, shape.reduce((a, b) => a * b, 1), scale);
      return () => tf.tensor(v, shape);
    },
    next,
  };
}

test('conv2d gradients: strides 1/2, same/valid, kernels 1/3/5', async () => {
  for (const k of [1, 3, 5]) {
    for (const s of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        const seed = freshSeed();
        const src = source(seed);
        const x = src.normal([2, 9, 8, 3]);
        const w = src.normal([k, k, 3, 4], 0.3);
        const outShape = tf.tidy(() => tf.conv2d(
          x() as tf.Tensor4D, w() as tf.Tensor4D, s, pad).shape);
        const r = src.normal(outShape);
        await agree(`conv k${k} s${s} ${pad}`, seed, () => tf.grads(
          (xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(
            xi as tf.Tensor4D, wi as tf.Tensor4D, s, pad), r())),
        )([x(), w()]));
      }
    }
  }
});

test('fused conv2d (bias + relu) gradients', async () => {
  const seed = freshSeed();
  const src = source(seed);
  const x = src.normal([2, 8, 8, 3]);
  const w = src.normal([3, 3, 3, 5], 0.3);
  const b = src.normal([5], 0.1);
  const r = src.normal([2, 4, 4, 5]);
  await agree('fused conv', seed, () => tf.grads(
    (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(
      tf.fused.conv2d({
        x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, strides: 2,
        pad: 'same', bias: bi, activation: 'relu',
      }), r())),
  )([x(), w(), b()]));
});

/** Training-mode batch norm composed from tf ops, for cpu autodiff. */
function composedBatchNorm(
  x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number,
): tf.Tensor[] {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const {mean, variance} = tf.moments(x, axes);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return [tf.add(tf.mul(xhat, g), b), mean, variance];
}

test('batch norm: forward and gradient match cpu autodiff', async () => {
  for (const shape of [[4, 5, 5, 3], [16, 6]]) {
    const seed = freshSeed();
    const src = source(seed);
    const c = shape[shape.length - 1]!;
    const x = src.normal(shape, 2);
    const g = src.normal([c]);
    const b = src.normal([c]);
    const r = src.normal(shape);
    const eps = 1e-3;
    const ref = await runOn('cpu', () => {
      const {value, grads} = tf.valueAndGrads(
        (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
          tf.sum(tf.mul(composedBatchNorm(xi, gi, bi, eps)[0]!, r())),
      )([x(), g(), b()]);
      return [...composedBatchNorm(x(), g(), b(), eps), value, ...grads];
    });
    const got = await runOn('wasm', () => {
      const {value, grads} = tf.valueAndGrads(
        (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(
          batchNorm(xi as tf.Tensor4D, gi as tf.Tensor1D,
            bi as tf.Tensor1D, eps).y, r())),
      )([x(), g(), b()]);
      const out = batchNorm(
        x() as tf.Tensor4D, g() as tf.Tensor1D, b() as tf.Tensor1D, eps);
      return [out.y, out.mean, out.variance, value, ...grads];
    });
    const names = ['y', 'mean', 'variance', 'loss', 'dx', 'dgamma', 'dbeta'];
    names.forEach((name, i) => {
      const e = relErr(got[i]!, ref[i]!);
      assert.ok(e < TOL, `batchNorm ${shape} ${name}: rel err ${e}, ` +
        `seed=${seed}`);
    });
  }
});

test('embedding gather gradient with repeated ids', async () => {
  const seed = freshSeed();
  const src = source(seed);
  const vocab = 11;
  const w = src.normal([vocab, 4]);
  const ids = ints(src.next, 15, vocab);
  ids[1] = ids[0]!;
  ids[7] = ids[0]!; // at least one id three times
  const r = src.normal([3, 5, 4]);
  await agree('gather', seed, () => tf.grads((wi: tf.Tensor) => {
    const e = tf.gather(wi, tf.tensor(ids, [3, 5], 'int32'));
    return tf.sum(tf.mul(e, r()));
  })([w()]));
});

test('LSTM steps: matMul, gates, concat/split/slice, dropout, clip, CE',
  async () => {
    const seed = freshSeed();
    const src = source(seed);
    const [batch, inp, hid, classes] = [3, 5, 4, 6];
    const xs = [src.normal([batch, inp]), src.normal([batch, inp])];
    const h0 = src.normal([batch, hid]);
    const c0 = src.normal([batch, hid]);
    const w = src.normal([inp + hid, 4 * hid], 0.5);
    const b = src.normal([4 * hid], 0.1);
    const wo = src.normal([hid, classes], 0.5);
    // A fixed dropout mask (keep 0.75): tf.dropout draws differently per
    // backend, so the mask is data here and the op under test is the mul.
    const mask = Float32Array.from(
      {length: batch * hid}, () => (src.next() < 0.75 ? 1 / 0.75 : 0));
    const labels = ints(src.next, batch, classes);
    const loss = (...p: tf.Tensor[]) => {
      const [wi, bi, woi, hi, ci] = p as tf.Tensor2D[];
      let h = hi!;
      let c = ci!;
      for (const x of xs) {
        const z = tf.add(tf.matMul(tf.concat([x(), h], 1), wi!), bi!);
        const [i, f, g] = tf.split(tf.slice(z, [0, 0], [-1, 3 * hid]), 3, 1);
        const o = tf.slice(z, [0, 3 * hid], [-1, hid]);
        c = tf.add(tf.mul(tf.sigmoid(f!), c),
          tf.mul(tf.sigmoid(i!), tf.tanh(g!)));
        c = tf.clipByValue(c, -1.5, 1.5);
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      }
      const dropped = tf.mul(h, tf.tensor(mask, [batch, hid]));
      const logits = tf.matMul(dropped, woi!);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
      const ce = tf.losses.softmaxCrossEntropy(onehot, logits);
      const nll = tf.neg(tf.mean(tf.sum(
        tf.mul(tf.logSoftmax(logits), onehot), 1)));
      return tf.add(ce, nll);
    };
    await agree('lstm', seed,
      () => tf.grads(loss)([w(), b(), wo(), h0(), c0()]));
  });

test('pooling, reflect padding and moments gradients', async () => {
  const seed = freshSeed();
  const src = source(seed);
  const x = src.normal([2, 6, 6, 3]);
  const r = src.normal([2, 4, 4, 3]);
  await agree('pool/pad', seed, () => tf.grads((xi: tf.Tensor) => {
    const p = tf.mirrorPad(xi as tf.Tensor4D,
      [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect');
    const m = tf.maxPool(p, 2, 2, 'valid');
    const a = tf.avgPool(p, 3, 2, 'same');
    const {mean, variance} = tf.moments(a, [0, 1, 2]);
    const n = tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-3)));
    return tf.sum(tf.mul(tf.add(m, n), r()));
  })([x()]));
});

/** Mirror padding built from slice/reverse/concat, whose grads are right. */
function composedMirrorPad(
  x: tf.Tensor, pads: Array<[number, number]>, mode: 'reflect' | 'symmetric',
): tf.Tensor {
  const offset = mode === 'reflect' ? 1 : 0;
  let y = x;
  pads.forEach(([before, after], axis) => {
    const n = y.shape[axis]!;
    const part = (start: number, size: number) => tf.reverse(tf.slice(y,
      y.shape.map((_, i) => (i === axis ? start : 0)),
      y.shape.map((s, i) => (i === axis ? size : s))), axis);
    const pieces = [part(offset, before), y, part(n - after - offset, after)];
    y = tf.concat(pieces.filter((t) => t.shape[axis]! > 0), axis);
  });
  return y;
}

test('mirrorPad op: true gradient on both backends', async () => {
  const pads: Array<[number, number]> = [[0, 0], [2, 1], [1, 2], [0, 0]];
  for (const mode of ['reflect', 'symmetric'] as const) {
    const seed = freshSeed();
    const src = source(seed);
    const x = src.normal([2, 5, 6, 3]);
    const r = src.normal([2, 8, 9, 3]);
    type Pad = (t: tf.Tensor, p: typeof pads, m: typeof mode) => tf.Tensor;
    const loss = (pad: Pad) => (xi: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(pad(xi, pads, mode)), r()));
    const ref = await runOn('cpu', () => [
      composedMirrorPad(x(), pads, mode),
      ...tf.grads(loss(composedMirrorPad))([x()])]);
    for (const backend of ['cpu', 'wasm'] as const) {
      const got = await runOn(backend, () => [
        mirrorPad(x(), pads, mode), ...tf.grads(loss(mirrorPad))([x()])]);
      ['value', 'grad'].forEach((what, i) => {
        const e = relErr(got[i]!, ref[i]!);
        assert.ok(e < TOL, `${mode} ${what} on ${backend}: rel err ${e}, ` +
          `seed=${seed}`);
      });
    }
  }
});

/** Parameter shapes of the small residual net below. */
const NET_SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 4], g0: [4], b0: [4],
  c1: [3, 3, 4, 4], g1: [4], b1: [4], c2: [3, 3, 4, 4], g2: [4], b2: [4],
  down: [3, 3, 4, 8], g3: [8], b3: [8], fc: [8, 5], fcb: [5],
};

/** conv-bn-relu, a residual block, a stride-2 block, pool, dense, CE. */
function residualLoss(
  p: Record<string, tf.Tensor>, x: tf.Tensor, labels: Int32Array,
): tf.Scalar {
  const conv = (h: tf.Tensor, w: string, s = 1) =>
    tf.conv2d(h as tf.Tensor4D, p[w] as tf.Tensor4D, s, 'same');
  const bn = (h: tf.Tensor, g: string, b: string) => batchNorm(
    h as tf.Tensor4D, p[g] as tf.Tensor1D, p[b] as tf.Tensor1D).y;
  let h: tf.Tensor = tf.relu(bn(conv(x, 'stem'), 'g0', 'b0'));
  const y = bn(conv(tf.relu(bn(conv(h, 'c1'), 'g1', 'b1')), 'c2'),
    'g2', 'b2');
  h = tf.relu(tf.add(y, h));
  // Downsampling block with the option-A shortcut (subsample, pad).
  const sub = tf.avgPool(h as tf.Tensor4D, 1, 2, 'valid');
  const shortcut = tf.pad(sub, [[0, 0], [0, 0], [0, 0], [2, 2]]);
  h = tf.relu(tf.add(bn(conv(h, 'down', 2), 'g3', 'b3'), shortcut));
  const pooled = tf.mean(h, [1, 2]);
  const logits = tf.add(
    tf.matMul(pooled as tf.Tensor2D, p['fc']!), p['fcb']!);
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 5);
  return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
}

test('small residual net: all parameter gradients match cpu', async () => {
  const seed = freshSeed();
  const src = source(seed);
  const names = Object.keys(NET_SHAPES);
  const makers = names.map((n) => src.normal(NET_SHAPES[n]!,
    n.startsWith('g') ? 1 : 0.3));
  const x = src.normal([4, 8, 8, 3]);
  const labels = ints(src.next, 4, 5);
  await agree('resnet', seed, () => tf.grads((...ps: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, ps[i]!]));
    return residualLoss(p, x(), labels);
  })(makers.map((m) => m())));
});

test('memory is flat over repeated training steps on wasm', async () => {
  await tf.setBackend('wasm');
  const src = source(freshSeed());
  const params = Object.fromEntries(Object.entries(NET_SHAPES).map(
    ([n, s]) => [n, tf.variable(src.normal(s, 0.3)(), true, `mem_${n}`)]));
  const x = src.normal([4, 8, 8, 3])();
  const labels = ints(src.next, 4, 5);
  const step = () => tf.tidy(() => {
    const {value, grads} = tf.variableGrads(
      () => residualLoss(params, x, labels));
    for (const [n, v] of Object.entries(params)) {
      v.assign(tf.sub(v, tf.mul(grads[`mem_${n}`]!, 0.1)));
    }
    return value.dataSync()[0]!;
  });
  step();
  const first = {...tf.memory(), ids: tf.backend().numDataIds()};
  const losses = [1, 2, 3, 4].map(step);
  const last = {...tf.memory(), ids: tf.backend().numDataIds()};
  assert.equal(last.numTensors, first.numTensors);
  assert.equal(last.numBytes, first.numBytes);
  assert.equal(last.ids, first.ids, 'backend data ids');
  assert.ok(losses.every(Number.isFinite));
  tf.dispose([x, ...Object.values(params)]);
});
