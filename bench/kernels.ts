/**
 * Micro-benchmark of the kernel formulations in lib/engine/kernels on the
 * wasm backend, at ResNet-20 / CIFAR sizes (batch 128 unless BATCH is
 * set). Prints median milliseconds per call; the fastest formulation per
 * shape is what lib/engine/kernels picks.
 *
 *   npx tsx bench/kernels.ts            (REPS=5 BATCH=128 by default)
 *   ONLY=conv,bn,segsum,matmul,misc     (run some sections only)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  conv2dFilterGrad, type FilterGradMethod,
} from '../lib/engine/kernels/conv2d_backprop_filter';
import {
  conv2dInputGrad,
} from '../lib/engine/kernels/conv2d_backprop_input';
import {
  registerWasmKernels, restoreStockWasmKernels,
} from '../lib/engine/kernels';
import {batchNorm} from '../lib/engine/ops';

const REPS = Number(process.env['REPS'] ?? 5);
const BATCH = Number(process.env['BATCH'] ?? 128);
const ONLY = (process.env['ONLY'] ?? 'conv,bn,segsum,matmul,misc').split(',');

/** Median wall time of fn in ms, after one warm-up call. */
function time(fn: () => tf.Tensor | tf.Tensor[]): number {
  const run = (): number => {
    const t0 = performance.now();
    const out = fn();
    // Reading one value makes sure the work happened (wasm is sync).
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    const ms = performance.now() - t0;
    tf.dispose(out);
    return ms;
  };
  run();
  const times = Array.from({length: REPS}, run).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function row(label: string, cols: Record<string, number>): void {
  const cells = Object.entries(cols)
    .map(([k, v]) => `${k} ${v.toFixed(1).padStart(7)}`);
  console.log(`${label.padEnd(26)} ${cells.join('  ')}`);
}

/** One conv layer shape: spatial size, channels in/out, kernel, stride. */
interface ConvCase {hw: number; ci: number; co: number; k: number; s: number}

const CONV_CASES: ConvCase[] = [
  {hw: 32, ci: 16, co: 16, k: 3, s: 1},
  {hw: 16, ci: 32, co: 32, k: 3, s: 1},
  {hw: 8, ci: 64, co: 64, k: 3, s: 1},
  {hw: 32, ci: 16, co: 32, k: 3, s: 2},
  {hw: 16, ci: 32, co: 64, k: 3, s: 2},
  {hw: 32, ci: 3, co: 16, k: 3, s: 1},
  {hw: 32, ci: 16, co: 32, k: 1, s: 2},
  {hw: 16, ci: 32, co: 64, k: 1, s: 2},
  {hw: 16, ci: 32, co: 32, k: 1, s: 1},
  {hw: 16, ci: 32, co: 32, k: 5, s: 1},
];

function benchConv(): void {
  console.log('\n== conv2d at batch', BATCH, '(ms) ==');
  const methods: FilterGradMethod[] = ['swapped', 'im2col', 'taps'];
  for (const c of CONV_CASES) {
    const x = tf.randomNormal([BATCH, c.hw, c.hw, c.ci]) as tf.Tensor4D;
    const fs: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
    const w = tf.randomNormal(fs) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.s, 'same');
    const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
    const cols: Record<string, number> = {};
    cols['fwd'] = time(() => tf.conv2d(x, w, c.s, 'same'));
    for (const m of methods) {
      cols[`dW:${m}`] = time(
        () => conv2dFilterGrad(x, dy, fs, c.s, 'same', undefined, m));
    }
    restoreStockWasmKernels();
    cols['dX:stock'] = time(
      () => tf.conv2dTranspose(dy, w, x.shape, c.s, 'same'));
    registerWasmKernels();
    cols['dX:phases'] = time(() => conv2dInputGrad(
      dy, w, x.shape, c.s, 'same', undefined, 'phases'));
    cols['dX:dilated'] = time(() => conv2dInputGrad(
      dy, w, x.shape, c.s, 'same', undefined, 'dilated'));
    row(`${c.hw}x${c.hw} ${c.ci}->${c.co} k${c.k} s${c.s}`, cols);
    tf.dispose([x, w, y, dy]);
  }
}

function benchBatchNorm(): void {
  console.log('\n== batch norm forward+backward (ms) ==');
  for (const [hw, ch] of [[32, 16], [16, 32], [8, 64]] as const) {
    const x = tf.randomNormal([BATCH, hw, hw, ch]) as tf.Tensor4D;
    const g = tf.ones([ch]) as tf.Tensor1D;
    const b = tf.zeros([ch]) as tf.Tensor1D;
    const r = tf.randomNormal(x.shape);
    const stockLoss = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const {mean, variance} = tf.moments(xi, [0, 1, 2]);
      const y = tf.batchNorm(xi, mean, variance, bi as tf.Tensor1D,
        gi as tf.Tensor1D, 1e-5);
      return tf.sum(tf.mul(y, r));
    };
    const ourLoss = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const out = batchNorm(xi as tf.Tensor4D, gi as tf.Tensor1D,
        bi as tf.Tensor1D, 1e-5);
      return tf.sum(tf.mul(out.y, r));
    };
    // 'harness' is the shared loss part (mul, sum and their grads).
    row(`${hw}x${hw}x${ch}`, {
      stock: time(() => tf.grads(stockLoss)([x, g, b])),
      direct: time(() => tf.grads(ourLoss)([x, g, b])),
      harness: time(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, r)))(x)),
    });
    tf.dispose([x, g, b, r]);
  }
}

function benchSegmentSum(): void {
  console.log('\n== UnsortedSegmentSum (embedding grad) (ms) ==');
  for (const [rows, dim, vocab] of [[700, 200, 10000], [700, 650, 10000],
    [4096, 64, 1000]] as const) {
    const x = tf.randomNormal([rows, dim]);
    const ids = tf.randomUniform(
      [rows], 0, vocab, 'int32') as tf.Tensor1D;
    row(`${rows}x${dim} into ${vocab}`, {
      scatter: time(() => tf.unsortedSegmentSum(x, ids, vocab)),
      oneHotMatMul: time(() => tf.matMul(
        tf.oneHot(ids, vocab), x, true, false)),
    });
    tf.dispose([x, ids]);
  }
}

function benchMatMul(): void {
  console.log('\n== matMul gradient products (ms) ==');
  for (const [m, k, n] of [[20, 1300, 2600], [700, 650, 10000],
    [128, 256, 256]] as const) {
    const a = tf.randomNormal([m, k]) as tf.Tensor2D;
    const b = tf.randomNormal([k, n]) as tf.Tensor2D;
    const dy = tf.randomNormal([m, n]) as tf.Tensor2D;
    // Fresh copies per call defeat XNNPACK's packed-weights cache, as in
    // training where weights change every step; 'copies' is their cost.
    const fresh = <T extends tf.Tensor>(t: T) => tf.mul(t, 1) as T;
    const products = () => ({
      'a.b': time(() => tf.matMul(fresh(a), fresh(b))),
      'dy.bT': time(() => tf.matMul(fresh(dy), fresh(b), false, true)),
      'aT.dy': time(() => tf.matMul(fresh(a), fresh(dy), true, false)),
    });
    restoreStockWasmKernels();
    const stockCols = products();
    registerWasmKernels();
    const ourCols = products();
    const label = `[${m},${k}]x[${k},${n}]`;
    row(`${label} stock`, stockCols);
    row(`${label} explicit`, ourCols);
    row(`${label} copies`, {
      copies: time(() => [fresh(a), fresh(b), fresh(dy)]),
    });
    tf.dispose([a, b, dy]);
  }
}

/** Forward+backward of f at x with a random upstream gradient. */
function fwdBwd(x: tf.Tensor4D, f: (t: tf.Tensor4D) => tf.Tensor): number {
  const r = tf.randomNormal(tf.tidy(() => f(x).shape));
  const ms = time(() => tf.grad((t: tf.Tensor) =>
    tf.sum(tf.mul(f(t as tf.Tensor4D), r)))(x));
  r.dispose();
  return ms;
}

function benchPoolAndMisc(): void {
  console.log('\n== other training ops, stock wasm, fwd+bwd (ms) ==');
  const x = tf.randomNormal([BATCH, 32, 32, 16]) as tf.Tensor4D;
  const x8 = tf.randomNormal([BATCH, 8, 8, 64]) as tf.Tensor4D;
  row('32x32x16', {
    maxPool2: fwdBwd(x, (t) => tf.maxPool(t, 2, 2, 'valid')),
    avgPool2: fwdBwd(x, (t) => tf.avgPool(t, 2, 2, 'valid')),
    sub2: fwdBwd(x, (t) => tf.avgPool(t, 1, 2, 'valid')),
    relu: fwdBwd(x, (t) => tf.relu(t)),
    harness: fwdBwd(x, (t) => t),
  });
  restoreStockWasmKernels();
  const stockMax = fwdBwd(x, (t) => tf.maxPool(t, 2, 2, 'valid'));
  registerWasmKernels();
  row('32x32x16 maxPool2', {
    stockWrong: stockMax,
    js: fwdBwd(x, (t) => tf.maxPool(t, 2, 2, 'valid')),
  });
  row('8x8x64', {
    meanHW: fwdBwd(x8, (t) => tf.mean(t, [1, 2])),
    meanViaAvgPool: fwdBwd(x8, (t) => tf.avgPool(t, 8, 1, 'valid')),
  });
  tf.dispose([x, x8]);
}

await tf.setBackend('wasm');
await tf.ready();
registerWasmKernels();
console.log(`wasm backend, ${REPS} reps, median ms`);
const sections: Record<string, () => void> = {
  conv: benchConv, bn: benchBatchNorm, segsum: benchSegmentSum,
  matmul: benchMatMul, misc: benchPoolAndMisc,
};
for (const name of ONLY) sections[name]?.();
