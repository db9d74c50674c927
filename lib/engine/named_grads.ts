/**
 * Gradients keyed by our parameter names.
 *
 * tf.variableGrads keys its result by each tf.Variable's engine-wide
 * name, which must be unique per process; models therefore let tfjs name
 * their variables and keep their readable names as record keys. This
 * maps the gradients back to those keys.
 */
import * as tf from "@tensorflow/tfjs";

export function namedGrads(
  f: () => tf.Scalar,
  vars: Record<string, tf.Variable>,
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const names = Object.keys(vars);
  const list = names.map((n) => vars[n]!);
  const { value, grads: byVar } = tf.variableGrads(f, list);
  const grads: Record<string, tf.Tensor> = {};
  names.forEach((n, i) => {
    grads[n] = byVar[list[i]!.name]!;
  });
  return { value, grads };
}
