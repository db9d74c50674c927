/**
 * A whole LSTM layer's recurrence over time, with one gradient for all of
 * it: given the input projections xw [B, T, 4H] (x W_ih + biases), the
 * recurrent weights W_hh [H, 4H] and the initial states h0, c0 [B, H],
 *
 *   gates_t = xw_t + h_{t-1} W_hh,   (h_t, c_t) = lstmCell(gates_t, c_{t-1})
 *
 * returns y = [h_1 .. h_T] as [B, T, H] and the last states. Where the
 * native engine's fused cell kernels are registered the backward pass
 * walks the steps once (cell gradient, then d h_{t-1} = d gates_t W_hh^T)
 * and forms d W_hh as ONE matmul, H_prev^T [H, BT] x d gates [BT, 4H],
 * instead of tfjs's tape doing a small matmul and a [H, 4H] accumulation
 * per step. Elsewhere it is the plain per-step loop, whose gradient tfjs
 * derives; both give the same numbers within float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import {LSTM_CELL, LSTM_CELL_GRAD} from '../native/kernels/lstm';
import {lstmCell} from './lstm_cell';

export interface LstmRecurrenceResult {
  /** The hidden state after every step, [B, T, H]. */
  y: tf.Tensor3D;
  /** The last hidden and cell states, [B, H] each. */
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/** Steps of [B, T, K] as T tensors [B, K] (T = 1 without unstack: see below). */
function steps(x: tf.Tensor3D): tf.Tensor2D[] {
  const [b, t, k] = x.shape;
  // tfjs's gradient of a single-output unstack fails ("Argument tensors
  // passed to stack must be a Tensor[]"); a language model's variable-length
  // batch can be one token long.
  return t === 1 ? [tf.reshape(x, [b, k])] : tf.unstack(x, 1) as tf.Tensor2D[];
}

/** [B, K] x T -> [B, T, K]. */
function stackSteps(xs: tf.Tensor2D[]): tf.Tensor3D {
  return tf.stack(xs, 1) as tf.Tensor3D;
}

/** The per-step loop (tfjs derives its gradient). */
function loop(
  xw: tf.Tensor3D, wHh: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D,
): LstmRecurrenceResult {
  let h = h0;
  let c = c0;
  const ys: tf.Tensor2D[] = [];
  for (const xt of steps(xw)) {
    ({h, c} = lstmCell(tf.add(xt, tf.matMul(h, wHh)), c));
    ys.push(h);
  }
  return {y: stackSteps(ys), h, c};
}

/**
 * The recurrence with the one-pass backward (needs the fused cell
 * kernels). tf.customGrad has one output, so it returns [h_1 .. h_T, c_T]
 * as one [B, T+1, H] tensor; the caller slices y, h_T and c_T from it.
 */
function fusedForward(
  xw: tf.Tensor3D, wHh: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D,
  save: tf.GradSaveFunc,
): {value: tf.Tensor3D; gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[]} {
  const [b, t, g4] = xw.shape;
  const hs: tf.Tensor2D[] = [h0];        // h_0 .. h_T
  const cs: tf.Tensor2D[] = [c0];        // c_0 .. c_T
  const gates: tf.Tensor2D[] = [];
  const xs = steps(xw);
  for (let s = 0; s < t; s++) {
    const gs = tf.add(xs[s]!, tf.matMul(hs[s]!, wHh)) as tf.Tensor2D;
    const [hNew, cNew] = tf.engine().runKernel(LSTM_CELL, {gates: gs, c: cs[s]!}, {}) as
      tf.Tensor2D[];
    gates.push(gs);
    hs.push(hNew!);
    cs.push(cNew!);
  }
  save([wHh, stackSteps(hs.slice(0, t)), tf.stack(cs, 0), tf.stack(gates, 0)]);
  const value = stackSteps([...hs.slice(1), cs[t]!]);          // [B, T+1, H]
  const gradFunc = (dz: tf.Tensor, saved: tf.Tensor[]) => {
    // saved: W_hh, h_0..h_{T-1} [B, T, H], c_0..c_T [T+1, B, H], gates [T, B, 4H]
    const [w, hPrev, cSaved, gSaved] = saved as
      [tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const hSize = w.shape[0];
    const dzs = tf.unstack(dz, 1) as tf.Tensor2D[];           // T+1 x [B, H]
    const cStep = tf.unstack(cSaved, 0) as tf.Tensor2D[];
    const gStep = tf.unstack(gSaved, 0) as tf.Tensor2D[];
    let dh: tf.Tensor2D | null = null;
    let dc: tf.Tensor2D = dzs[t]!;
    const dgates = new Array<tf.Tensor2D>(t);
    for (let s = t - 1; s >= 0; s--) {
      const dhs = dh === null ? dzs[s]! : tf.add(dh, dzs[s]!) as tf.Tensor2D;
      const [dg, dcPrev] = tf.engine().runKernel(LSTM_CELL_GRAD,
        {dh: dhs, dc, gates: gStep[s]!, c: cStep[s]!, cNew: cStep[s + 1]!}, {}) as
        tf.Tensor2D[];
      dgates[s] = dg!;
      dc = dcPrev!;
      dh = tf.matMul(dg!, w, false, true) as tf.Tensor2D;
    }
    const dg3 = stackSteps(dgates);                                 // [B, T, 4H]
    const dW = tf.matMul(tf.reshape(hPrev, [b * t, hSize]) as tf.Tensor2D,
      tf.reshape(dg3, [b * t, g4]) as tf.Tensor2D, true, false);  // [H, 4H]
    return [dg3, dW, dh as tf.Tensor2D, dc];
  };
  return {value, gradFunc};
}
const fused = tf.customGrad(fusedForward as unknown as Parameters<typeof tf.customGrad>[0]) as
  unknown as (xw: tf.Tensor, wHh: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => tf.Tensor3D;

/** True where the one-pass backward is available (the fused cell kernels). */
export function hasFusedRecurrence(dtype: tf.DataType = 'float32'): boolean {
  const backend = tf.getBackend();
  return dtype === 'float32' && tf.getKernel(LSTM_CELL, backend) !== undefined &&
    tf.getKernel(LSTM_CELL_GRAD, backend) !== undefined;
}

export function lstmRecurrence(
  xw: tf.Tensor3D, wHh: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D,
): LstmRecurrenceResult {
  const [b, , g4] = xw.shape;
  const h = h0.shape[1];
  if (xw.rank !== 3 || wHh.rank !== 2 || wHh.shape[0] !== h || wHh.shape[1] !== g4 ||
    g4 !== 4 * h || h0.shape[0] !== b || c0.shape[0] !== b || c0.shape[1] !== h) {
    throw new Error(`lstmRecurrence: want xw [B, T, 4H], wHh [H, 4H], h0 and c0 [B, H]; got ` +
      `[${xw.shape}], [${wHh.shape}], [${h0.shape}], [${c0.shape}]`);
  }
  const t = xw.shape[1];
  const {y, h: hT, c: cT} = tf.tidy(() => {
    if (!hasFusedRecurrence(xw.dtype) || t === 0) return {...loop(xw, wHh, h0, c0)};
    const z = fused(xw, wHh, h0, c0);                               // [B, T+1, H]
    return {
      y: tf.slice(z, [0, 0, 0], [b, t, h]) as tf.Tensor3D,
      h: tf.reshape(tf.slice(z, [0, t - 1, 0], [b, 1, h]), [b, h]) as tf.Tensor2D,
      c: tf.reshape(tf.slice(z, [0, t, 0], [b, 1, h]), [b, h]) as tf.Tensor2D,
    };
  });
  return {y, h: hT, c: cT};
}
