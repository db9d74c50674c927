/**
 * The fused LSTM cell (src/lstm.cc), kernels of our own used by
 * lib/engine/ops/lstm_cell.ts when they are registered.
 *   cell block: B, H, gates, c, h', c'
 *   grad block: B, H, dh', dc'|-1, gates, c, c', dgates, dc
 */
import type * as tf from "@tensorflow/tfjs";
import { invoke, offset, output } from "./heap";
import type { NativeKernel } from "./kernel";

export const LSTM_CELL = "SgdlLstmCell";
export const LSTM_CELL_GRAD = "SgdlLstmCellGrad";

function sizes(c: tf.TensorInfo): [number, number] {
  return [c.shape[0]!, c.shape[1]!];
}

const cell: NativeKernel = {
  kernelName: LSTM_CELL,
  run(addon, { inputs, backend }) {
    const { gates, c } = inputs as { gates: tf.TensorInfo; c: tf.TensorInfo };
    const [b, h] = sizes(c);
    const hOut = output(backend, [b, h]);
    const cOut = output(backend, [b, h]);
    invoke(addon.lstmCell, backend, [b, h, offset(backend, gates), offset(backend, c),
      offset(backend, hOut), offset(backend, cOut)]);
    return [hOut, cOut];
  },
};

const cellGrad: NativeKernel = {
  kernelName: LSTM_CELL_GRAD,
  run(addon, { inputs, backend }) {
    const { dh, dc, gates, c, cNew } = inputs;
    const [b, h] = sizes(c!);
    const dgates = output(backend, [b, 4 * h]);
    const dcPrev = output(backend, [b, h]);
    invoke(addon.lstmCellGrad, backend, [b, h, offset(backend, dh), offset(backend, dc),
      offset(backend, gates), offset(backend, c), offset(backend, cNew),
      offset(backend, dgates), offset(backend, dcPrev)]);
    return [dgates, dcPrev];
  },
};

export const LSTM_KERNELS: readonly NativeKernel[] = [cell, cellGrad];
