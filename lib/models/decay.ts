/**
 * Which parameters weight decay applies to.
 *
 * The paper's Table 1 sets weight decay gamma = 0.005 for SGD, SGDM and
 * SGDL; its experiments are PyTorch code, whose `weight_decay` decays
 * every parameter, biases and batch-norm gamma/beta included (so does
 * awd-lstm-lm's `--wdecay`). That is policy "all", the paper's setting.
 * Policy "weights" decays only conv, dense, LSTM and embedding weights,
 * the common modern alternative, for ablations.
 *
 *   sgdm({ lr, momentum, weightDecay: 0.005,
 *     excludeFromDecay: (name) => !decayFilter(name, "weights") })
 *
 * Names follow lib/models: "<layer>/kernel", "<layer>/bias",
 * "<bn>/gamma", "<bn>/beta", "lstm0/bias_ih", "encoder/embedding".
 */

export type DecayPolicy = "all" | "weights";

/** True for biases and batch-norm scales/shifts of lib/models. */
export function isBiasOrNormParam(name: string): boolean {
  const last = name.slice(name.lastIndexOf("/") + 1);
  return /^(bias(_ih|_hh)?|gamma|beta)$/.test(last);
}

/** True when weight decay applies to parameter `name` under `policy`. */
export function decayFilter(
  name: string,
  policy: DecayPolicy = "all",
): boolean {
  switch (policy) {
    case "all":
      return true;
    case "weights":
      return !isBiasOrNormParam(name);
    default:
      throw new Error(`decayFilter: policy must be "all" or "weights", ` +
        `got ${String(policy)}`);
  }
}
