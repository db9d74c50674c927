/**
 * The element-wise part of an LSTM step (PyTorch's equations, gates in
 * the order i, f, g, o):
 *
 *   c' = sigmoid(f) c + sigmoid(i) tanh(g),   h' = sigmoid(o) tanh(c')
 *
 * from the gate pre-activations [B, 4H] and the cell state [B, H]. Where
 * the native engine's fused kernels are registered it is one kernel
 * forward and one backward (lib/engine/native/src/lstm.cc) instead of
 * about a dozen tfjs ops each way per time step; elsewhere it is those
 * ops, with the same result.
 */
import * as tf from '@tensorflow/tfjs';
import {LSTM_CELL, LSTM_CELL_GRAD} from '../native/kernels/lstm';

/** The new hidden and cell states, each [B, H]. */
export interface LstmCellResult {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

export function lstmCell(gates: tf.Tensor2D, c: tf.Tensor2D): LstmCellResult {
  if (gates.rank !== 2 || c.rank !== 2 || gates.shape[0] !== c.shape[0] ||
    gates.shape[1] !== 4 * c.shape[1]) {
    throw new Error(`lstmCell: gates must be [B, 4H] for c [B, H], got ` +
      `[${gates.shape}] and [${c.shape}]`);
  }
  if (tf.getKernel(LSTM_CELL, tf.getBackend()) !== undefined && gates.dtype === 'float32') {
    const [h2, c2] = tf.engine().runKernel(LSTM_CELL, {gates, c}, {}) as tf.Tensor2D[];
    return {h: h2!, c: c2!};
  }
  return tf.tidy(() => {
    const [i, f, g, o] = tf.split(gates, 4, 1);
    const c2 = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
    return {h: tf.mul(tf.sigmoid(o!), tf.tanh(c2)) as tf.Tensor2D, c: c2};
  });
}

// The fused kernel's gradient, for every backend that registers the
// kernel (the native engine's wasm): d(gates) and d(c) from d(h'), d(c').
tf.registerGradient({
  kernelName: LSTM_CELL,
  inputsToSave: ['gates', 'c'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [dh, dc] = dys as tf.Tensor[];
    const [gates, c, cNew] = saved;
    const [dgates, dcPrev] = tf.engine().runKernel(LSTM_CELL_GRAD,
      {dh: dh!, dc: dc!, gates: gates!, c: c!, cNew: cNew!}, {}) as tf.Tensor[];
    return {gates: () => dgates!, c: () => dcPrev!};
  },
});
