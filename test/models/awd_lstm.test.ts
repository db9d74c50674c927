import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  type AwdLstmConfig, awdLstm, type LanguageModel, numParams,
  type RecurrentState,
} from "../../lib/models";
import { sgdm } from "../../lib/optim";
import {
  assertSeeded, assertTrains, maxDiff, trainSteps, useWasm,
} from "./helpers";

before(useWasm);

/**
 * AWD-LSTM parameters by formula: embedding V*E; per layer (PyTorch's
 * nn.LSTM) W_ih 4h*in, W_hh 4h*h, b_ih and b_hh 4h each; decoder bias V
 * (and a V*h decoder matrix when untied). Tied: the last layer has E
 * units.
 */
function lstmCount(V: number, E: number, H: number, L: number,
  tied = true): number {
  let count = V * E + V;
  let inSize = E;
  for (let l = 0; l < L; l++) {
    const h = l === L - 1 && tied ? E : H;
    count += 4 * h * (inSize + h) + 8 * h;
    inSize = h;
  }
  return tied ? count : count + V * inSize;
}

const NO_DROPOUT = {
  inputDropout: 0, layerDropout: 0, outputDropout: 0,
  embeddingDropout: 0, weightDrop: 0,
} as const;

test("AWD-LSTM parameter counts match the formula (PTB: 24.2M, 13.6M)", () => {
  // Merity et al. 2018: the 3-layer PTB model has 24M parameters.
  assert.equal(lstmCount(10000, 400, 1150, 3), 24_221_600);
  assert.equal(lstmCount(10000, 400, 1150, 2), 13_632_400);
  for (const numLayers of [2, 3]) {
    const model = awdLstm({ numLayers });
    assert.equal(numParams(model), lstmCount(10000, 400, 1150, numLayers));
    assert.equal(model.vocabSize, 10000);
    model.dispose();
  }
  for (const [L, tieWeights] of [[1, true], [2, false], [3, false]] as const) {
    const model = awdLstm({ vocabSize: 50, embeddingSize: 6,
      hiddenSize: 10, numLayers: L, tieWeights });
    assert.equal(numParams(model), lstmCount(50, 6, 10, L, tieWeights));
    model.dispose();
  }
});

test("AWD-LSTM shapes: logits [B, T, V], state [B, h] per slot", () => {
  const model = awdLstm({ vocabSize: 40, embeddingSize: 8, hiddenSize: 12,
    numLayers: 3 });
  const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 39]], [2, 4], "int32");
  const state = model.initState(2);
  assert.deepEqual(state.map((s) => s.shape),
    [[2, 12], [2, 12], [2, 12], [2, 12], [2, 8], [2, 8]]);
  for (const training of [true, false]) {
    const out = model.apply(ids, state, training, { seed: 1 });
    assert.deepEqual(out.logits.shape, [2, 4, 40]);
    assert.deepEqual(out.state.map((s) => s.shape),
      state.map((s) => s.shape));
    // The carried state changes the next window's output.
    const again = model.apply(ids, out.state, false);
    const fresh = model.apply(ids, state, false);
    assert.ok(maxDiff(again.logits, fresh.logits) > 1e-6);
    tf.dispose([out.logits, out.state, again.logits, again.state,
      fresh.logits, fresh.state]);
  }
  tf.dispose([ids, state]);
  model.dispose();
});

test("one LSTM layer computes PyTorch's equations, decoder tied", () => {
  const V = 5;
  const E = 3;
  const model = awdLstm({ vocabSize: V, embeddingSize: E, numLayers: 1,
    ...NO_DROPOUT, seed: 4 });
  const p = Object.fromEntries(Object.entries(model.params).map(
    ([k, v]) => [k, Array.from(v.dataSync())]));
  const emb = p["encoder/embedding"]!;
  const wIh = p["lstm0/kernel_ih"]!; // [E, 4E]
  const wHh = p["lstm0/kernel_hh"]!; // [E, 4E]
  const b = p["lstm0/bias_ih"]!.map((v, j) => v + p["lstm0/bias_hh"]![j]!);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const tokens = [2, 4];
  let h = [0, 0, 0];
  let c = [0, 0, 0];
  const expected: number[] = [];
  for (const w of tokens) {
    const x = emb.slice(w * E, (w + 1) * E);
    const z = b.map((bj, j) => bj +
      x.reduce((s, xi, i) => s + xi * wIh[i * 4 * E + j]!, 0) +
      h.reduce((s, hi, i) => s + hi * wHh[i * 4 * E + j]!, 0));
    const gate = (k: number, u: number) => z[k * E + u]!;
    c = c.map((cu, u) => sig(gate(1, u)) * cu +
      sig(gate(0, u)) * Math.tanh(gate(2, u)));
    h = c.map((cu, u) => sig(gate(3, u)) * Math.tanh(cu));
    for (let v = 0; v < V; v++) {
      expected.push(p["decoder/bias"]![v]! +
        h.reduce((s, hu, u) => s + hu * emb[v * E + u]!, 0));
    }
  }
  const ids = tf.tensor2d([tokens], [1, 2], "int32");
  const state = model.initState(1);
  const out = model.apply(ids, state, true, { seed: 1 });
  const got = Array.from(out.logits.dataSync());
  got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]!) < 1e-5,
    `logit ${i}: ${g} vs ${expected[i]}`));
  const hGot = Array.from(out.state[0]!.dataSync());
  hGot.forEach((g, u) => assert.ok(Math.abs(g - h[u]!) < 1e-5));
  tf.dispose([ids, state, out.logits, out.state]);
  model.dispose();
});

test("AWD-LSTM trains on wasm with dropouts on, state carried", async () => {
  const V = 30;
  const model = awdLstm({ vocabSize: V, embeddingSize: 16, hiddenSize: 32,
    numLayers: 2, seed: 1 });
  const B = 2;
  const T = 6;
  const seq = Array.from({ length: B * (T + 1) }, (_, i) => (i * 7) % V);
  const ids = tf.tensor2d(seq.filter((_, i) => i % (T + 1) < T), [B, T],
    "int32");
  const targets = tf.oneHot(tf.tensor1d(
    seq.filter((_, i) => i % (T + 1) > 0), "int32"), V);
  const loss = (logits: tf.Tensor3D): tf.Scalar =>
    tf.losses.softmaxCrossEntropy(targets, tf.reshape(logits, [B * T, V]));
  /** Loss without dropout, from a zero state. */
  const evalLoss = (): number => tf.tidy(() => loss(
    model.apply(ids, model.initState(B), false).logits).dataSync()[0]!);
  const before = evalLoss();
  let state: RecurrentState = model.initState(B);
  let next: RecurrentState = [];
  const trace = await trainSteps(model, (step) => {
    const out = model.apply(ids, state, true, { seed: step });
    // The next window starts from this state (no gradient across).
    next = out.state.map((s) => tf.keep(s));
    return loss(out.logits);
  }, 20, sgdm({ lr: 0.5, momentum: 0.9, clipNorm: 0.25 }), () => {
    tf.dispose(state);
    state = next;
  });
  const after = evalLoss();
  // From ln(30) towards ln(12), the unigram entropy of the 12 targets,
  // within 20 steps; the dropped-out training loss falls more noisily.
  assert.ok(after < 0.8 * before, `loss without dropout ${before} -> ${after}`);
  assertTrains(trace, 0.85);
  tf.dispose([ids, targets, state]);
  model.dispose();
});

test("AWD-LSTM: a one-token window has gradients (a variable-length batch can be 1 long)", () => {
  const model = awdLstm({ vocabSize: 20, embeddingSize: 8, hiddenSize: 12, numLayers: 2, seed: 3 });
  const grads = tf.tidy(() => {
    const ids = tf.tensor2d([[4], [7]], [2, 1], "int32");
    const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(
      model.apply(ids, model.initState(2), true, { seed: 1 }).logits)) as tf.Scalar);
    return Object.values(g).map((t) => tf.keep(t));
  });
  assert.ok(grads.length > 0);
  assert.ok(grads.every((g) => Array.from(g.dataSync()).every(Number.isFinite)));
  assert.ok(grads.some((g) => tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!) > 0));
  tf.dispose(grads);
  model.dispose();
});

/** Logits of one training-mode call with seed `seed`. */
function run(model: LanguageModel, seed: number | undefined,
  training = true): tf.Tensor {
  return tf.tidy(() => {
    const ids = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], [2, 5],
      "int32");
    const state = model.initState(2);
    const opts = seed === undefined ? {} : { seed };
    return model.apply(ids, state, training, opts).logits;
  });
}

test("each dropout: same seed same output, other seed other output", () => {
  const sizes = { vocabSize: 12, embeddingSize: 6, hiddenSize: 8,
    numLayers: 2, seed: 3 };
  const rates: (keyof typeof NO_DROPOUT)[] = ["inputDropout",
    "layerDropout", "outputDropout", "embeddingDropout", "weightDrop"];
  const none = awdLstm({ ...sizes, ...NO_DROPOUT });
  const base = run(none, 1);
  const evalOut = run(none, undefined, false);
  assert.ok(maxDiff(base, evalOut) < 1e-6, "no dropout: train == eval");
  for (const rate of rates) {
    const cfg: AwdLstmConfig = { ...sizes, ...NO_DROPOUT, [rate]: 0.5 };
    const model = awdLstm(cfg);
    const a = run(model, 11);
    const b = run(model, 11);
    const c = run(model, 12);
    const e = run(model, 11, false);
    assert.equal(maxDiff(a, b), 0, `${rate}: same seed`);
    assert.ok(maxDiff(a, c) > 1e-6, `${rate}: another seed`);
    assert.ok(maxDiff(e, evalOut) < 1e-6, `${rate}: off at evaluation`);
    tf.dispose([a, b, c, e]);
    model.dispose();
  }
  tf.dispose([base, evalOut]);
  none.dispose();
});

test("embedding dropout drops whole words, not positions", () => {
  // Eight copies of one word: every copy is kept or every copy dropped.
  const model = awdLstm({ vocabSize: 6, embeddingSize: 4, hiddenSize: 5,
    numLayers: 1, ...NO_DROPOUT, embeddingDropout: 0.5 });
  const outcomes = new Set<string>();
  for (let seed = 0; seed < 8; seed++) {
    const logits = tf.tidy(() => model.apply(
      tf.fill([8, 1], 3, "int32") as tf.Tensor2D, model.initState(8), true,
      { seed }).logits);
    const rows = tf.tidy(() => tf.reshape(logits, [8, 6]).arraySync()) as
      number[][];
    rows.forEach((r) => assert.deepEqual(r, rows[0]));
    outcomes.add(rows[0]!.map((v) => v.toFixed(5)).join());
    logits.dispose();
  }
  assert.equal(outcomes.size, 2, "over 8 seeds, kept and dropped");
  model.dispose();
});

test("AWD-LSTM: same seed, same weights", () => {
  assertSeeded((seed) => awdLstm({ vocabSize: 20, embeddingSize: 4,
    hiddenSize: 6, numLayers: 2, seed }));
});

test("AWD-LSTM: invalid sizes, rates and inputs name the parameter", () => {
  assert.throws(() => awdLstm({ numLayers: 0 }), /awdLstm: numLayers/);
  assert.throws(() => awdLstm({ hiddenSize: 0 }), /awdLstm: hiddenSize/);
  assert.throws(() => awdLstm({ embeddingSize: 2.5 }),
    /awdLstm: embeddingSize/);
  assert.throws(() => awdLstm({ vocabSize: 0 }), /awdLstm: vocabSize/);
  assert.throws(() => awdLstm({ inputDropout: 1 }), /awdLstm: inputDropout/);
  assert.throws(() => awdLstm({ layerDropout: -0.1 }),
    /awdLstm: layerDropout/);
  assert.throws(() => awdLstm({ outputDropout: 2 }),
    /awdLstm: outputDropout/);
  assert.throws(() => awdLstm({ embeddingDropout: Number.NaN }),
    /awdLstm: embeddingDropout/);
  assert.throws(() => awdLstm({ weightDrop: 1 }), /awdLstm: weightDrop/);
  const model = awdLstm({ vocabSize: 10, embeddingSize: 4, hiddenSize: 6,
    numLayers: 2 });
  assert.throws(() => model.initState(0), /awdLstm: batchSize/);
  const state = model.initState(2);
  const floats = tf.zeros([2, 3]) as tf.Tensor2D;
  assert.throws(() => model.apply(floats, state, false),
    /awdLstm: ids must be int32/);
  const ids = tf.zeros([3, 2], "int32") as tf.Tensor2D;
  assert.throws(() => model.apply(ids, state, false),
    /awdLstm: state must be initState\(3\)/);
  assert.throws(() => model.apply(ids, state.slice(1), false),
    /awdLstm: state must/);
  tf.dispose([state, floats, ids]);
  model.dispose();
});
