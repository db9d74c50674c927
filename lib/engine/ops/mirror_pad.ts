/**
 * Reflect / symmetric padding with a correct gradient.
 *
 * tfjs 4.22 registers MirrorPad's gradient as a plain slice of dy (see
 * tfjs-core gradients/MirrorPad_grad.js), which drops the gradient of
 * every padded copy of a border value, on every backend. This op runs
 * the same forward kernel and backpropagates with the adjoint: per axis,
 * the centre of dy plus the two border slices of dy reversed and added
 * onto the input values they copied.
 */
import * as tf from '@tensorflow/tfjs';

/** Padding modes of tf.mirrorPad. */
export type MirrorMode = 'reflect' | 'symmetric';

/** Adjoint of mirror-padding one axis by (before, after). */
function unpadAxis(
  dy: tf.Tensor, axis: number, n: number, before: number, after: number,
  mode: MirrorMode,
): tf.Tensor {
  const offset = mode === 'reflect' ? 1 : 0;
  const part = (start: number, size: number) => {
    const begin = dy.shape.map((_, i) => (i === axis ? start : 0));
    const sizes = dy.shape.map((s, i) => (i === axis ? size : s));
    return tf.slice(dy, begin, sizes);
  };
  // Places t (a reversed border) at [from, from + size) of the axis.
  const place = (t: tf.Tensor, from: number, size: number) => tf.pad(t,
    t.shape.map((_, i) => (i === axis ? [from, n - from - size] : [0, 0])) as
      Array<[number, number]>);
  let dx = part(before, n);
  if (before > 0) {
    dx = tf.add(dx, place(tf.reverse(part(0, before), axis), offset, before));
  }
  if (after > 0) {
    dx = tf.add(dx, place(tf.reverse(part(before + n, after), axis),
      n - after - offset, after));
  }
  return dx;
}

/**
 * tf.mirrorPad(x, paddings, mode) with the true gradient. As in tf,
 * 'reflect' needs pads < the axis size and 'symmetric' pads <= it.
 */
export function mirrorPad<T extends tf.Tensor>(
  x: T, paddings: Array<[number, number]>, mode: MirrorMode,
): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xi = args[0] as tf.Tensor;
    return {
      value: tf.mirrorPad(xi, paddings, mode),
      gradFunc: (dy: tf.Tensor) => {
        let dx = dy;
        paddings.forEach(([before, after], axis) => {
          if (before + after === 0) return;
          dx = unpadAxis(dx, axis, xi.shape[axis]!, before, after, mode);
        });
        return dx;
      },
    };
  });
  return op(x) as T;
}
