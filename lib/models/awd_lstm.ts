/**
 * Word-level LSTM language model with the AWD-LSTM recipe (Merity,
 * Keskar and Socher, "Regularizing and Optimizing LSTM Language Models",
 * ICLR 2018; code salesforce/awd-lstm-lm), as the paper's section 6.4
 * and A.3.3 use it on Penn Treebank with 2 and 3 layers.
 *
 * embedding (E = 400) -> numLayers LSTMs (hidden 1150; the last one has
 * E units so the decoder can share the embedding matrix, Inan et al.
 * 2016 / Press and Wolf 2017) -> decoder logits = h E^T + bias.
 *
 * Regularisers, mapped from the paper's "(0.4, 0.3, 0.4, 0.1, 0.5) on
 * word vector, output between LSTM layers, output of final LSTM layer,
 * embedded dropout and DropConnect" to AWD-LSTM's flags:
 *   inputDropout     = dropouti = 0.4  locked dropout on the word vectors
 *   layerDropout     = dropouth = 0.3  locked dropout between LSTM layers
 *   outputDropout    = dropout  = 0.4  locked dropout on the last output
 *   embeddingDropout = dropoute = 0.1  drops whole words (embedding rows)
 *   weightDrop       = wdrop    = 0.5  DropConnect on hidden-to-hidden
 * (these are awd-lstm-lm's main.py defaults; its README's PTB command
 * uses dropouth 0.25). Locked (variational, Gal and Ghahramani 2016)
 * masks are [B, 1, D]: one per sequence and unit, shared by all time
 * steps. Every mask is drawn once per forward call from `opts.seed`, and
 * all dropout is inverted (kept values scaled by 1 / (1 - p)), so
 * evaluation uses the weights as they are.
 *
 * The LSTM is PyTorch's (gate order i, f, g, o; two biases, b_ih and
 * b_hh, as in nn.LSTM, so counts and bias learning rates match
 * awd-lstm-lm), written with plain ops and a loop over time. Init as
 * awd-lstm-lm: embedding U(-0.1, 0.1), LSTM weights and biases
 * U(-1/sqrt(h), 1/sqrt(h)) (PyTorch's default), decoder bias 0. The
 * paper's Kaiming init is for its conv nets (A.3.1).
 *
 * Parameters: V E + sum over layers of 4h (in + h) + 8h, plus V for the
 * decoder bias (plus h_last V when untied). PTB (V = 10,000): 3 layers
 * 24,221,600 (Merity et al.: 24M), 2 layers 13,632,400.
 */
import * as tf from "@tensorflow/tfjs";
import { lstmRecurrence } from "../engine/ops";
import {
  callSeeds,
  dropoutMask,
  type LanguageModel,
  ParamStore,
  type RecurrentState,
  siteSeed,
} from "./layers";
import { checkInt, checkRate, checkSeed, withDefaults } from "./validate";

export interface AwdLstmConfig {
  /** Vocabulary size V (10,000 for Penn Treebank). */
  vocabSize?: number;
  /** LSTM layers (the paper: 2 and 3). */
  numLayers?: number;
  /** Word vector size E (400). */
  embeddingSize?: number;
  /** Hidden units of every LSTM but the last (1150). */
  hiddenSize?: number;
  /** Share embedding and decoder weights (default true). */
  tieWeights?: boolean;
  /** dropouti: locked dropout on the embedded words (0.4). */
  inputDropout?: number;
  /** dropouth: locked dropout between LSTM layers (0.3). */
  layerDropout?: number;
  /** dropout: locked dropout on the last LSTM's output (0.4). */
  outputDropout?: number;
  /** dropoute: whole-word dropout on the embedding (0.1). */
  embeddingDropout?: number;
  /** wdrop: DropConnect on the hidden-to-hidden weights (0.5). */
  weightDrop?: number;
  /** Seed of the initialisation (and of dropout without opts.seed). */
  seed?: number;
}

interface LstmLayer {
  inSize: number;
  size: number;
  wIh: tf.Variable; // [in, 4h]
  wHh: tf.Variable; // [h, 4h]
  bIh: tf.Variable; // [4h]
  bHh: tf.Variable; // [4h]
}

/** The defaults of every AwdLstmConfig field (awd-lstm-lm's for PTB); lib/train's config reads them. */
export const AWD_LSTM_DEFAULTS = {
  vocabSize: 10000, numLayers: 3, embeddingSize: 400, hiddenSize: 1150, tieWeights: true,
  inputDropout: 0.4, layerDropout: 0.3, outputDropout: 0.4, embeddingDropout: 0.1,
  weightDrop: 0.5, seed: 0,
} as const satisfies Required<AwdLstmConfig>;

export function awdLstm(cfg: AwdLstmConfig = {}): LanguageModel {
  const {
    vocabSize: V, numLayers, embeddingSize: E, hiddenSize, tieWeights, inputDropout,
    layerDropout, outputDropout, embeddingDropout, weightDrop, seed,
  } = withDefaults(AWD_LSTM_DEFAULTS, cfg);
  const m = "awdLstm";
  checkInt(m, "vocabSize", V);
  checkInt(m, "numLayers", numLayers);
  checkInt(m, "embeddingSize", E);
  checkInt(m, "hiddenSize", hiddenSize);
  checkRate(m, "inputDropout", inputDropout);
  checkRate(m, "layerDropout", layerDropout);
  checkRate(m, "outputDropout", outputDropout);
  checkRate(m, "embeddingDropout", embeddingDropout);
  checkRate(m, "weightDrop", weightDrop);
  checkSeed(m, seed);

  const store = new ParamStore(seed);
  const embedding = store.uniform("encoder/embedding", [V, E], 0.1);
  const layers: LstmLayer[] = [];
  for (let l = 0; l < numLayers; l++) {
    const inSize = l === 0 ? E : hiddenSize;
    const last = l === numLayers - 1;
    const size = last && tieWeights ? E : hiddenSize;
    const r = 1 / Math.sqrt(size);
    layers.push({
      inSize,
      size,
      wIh: store.uniform(`lstm${l}/kernel_ih`, [inSize, 4 * size], r),
      wHh: store.uniform(`lstm${l}/kernel_hh`, [size, 4 * size], r),
      bIh: store.uniform(`lstm${l}/bias_ih`, [4 * size], r),
      bHh: store.uniform(`lstm${l}/bias_hh`, [4 * size], r),
    });
  }
  const outSize = layers[numLayers - 1]!.size;
  const decoderW = tieWeights
    ? embedding                                       // [V, E]
    : store.uniform("decoder/kernel", [V, outSize], 0.1);
  const decoderB = store.constant("decoder/bias", [V], 0);
  const nextSeed = callSeeds(seed);

  /** Locked dropout: one [B, 1, D] mask for all time steps. */
  const locked = (x: tf.Tensor3D, rate: number, s: number): tf.Tensor3D => {
    const [B, , D] = x.shape;
    return tf.mul(x, dropoutMask([B, 1, D], rate, s));
  };

  return {
    name: `awd-lstm${numLayers}`,
    vocabSize: V,
    params: store.params,
    buffers: store.buffers,
    initState(batchSize) {
      checkInt(m, "batchSize", batchSize);
      return layers.flatMap(({ size }) => [
        tf.zeros([batchSize, size]),                  // h [B, h]
        tf.zeros([batchSize, size]),                  // c [B, h]
      ]);
    },
    apply(ids, state, training, opts = {}) {
      const [B, T] = ids.shape;
      if (ids.rank !== 2 || ids.dtype !== "int32" || T < 1) {
        throw new Error(`${m}: ids must be int32 [B, T] with T >= 1, ` +
          `got ${ids.dtype} [${ids.shape}]`);
      }
      checkState(state, B);
      const call = nextSeed(opts.seed);
      const drop = (rate: number) => training && rate > 0;

      let x = tf.gather(embedding, ids) as tf.Tensor3D; // [B, T, E]
      if (drop(embeddingDropout)) {
        // Drop words: a row mask of the embedding, looked up per token.
        const rows = dropoutMask([V, 1], embeddingDropout,
          siteSeed(call, 0));                             // [V, 1]
        x = tf.mul(x, tf.gather(rows, ids));              // [B, T, E]
      }
      if (drop(inputDropout)) x = locked(x, inputDropout, siteSeed(call, 1));

      const next: RecurrentState = [];
      layers.forEach((layer, l) => {
        const wHh = drop(weightDrop)
          ? tf.mul(layer.wHh, dropoutMask(layer.wHh.shape, weightDrop,
            siteSeed(call, 3 + 2 * l)))                      // [h, 4h]
          : layer.wHh;
        const out = runLstm(layer, x, wHh, state[2 * l]!, state[2 * l + 1]!);
        next.push(out.h, out.c);                          // [B, h] each
        x = out.y;                                        // [B, T, h]
        if (l < layers.length - 1 && drop(layerDropout)) {
          x = locked(x, layerDropout, siteSeed(call, 4 + 2 * l));
        }
      });
      if (drop(outputDropout)) x = locked(x, outputDropout, siteSeed(call, 2));

      const flat = tf.reshape(x, [B * T, outSize]) as tf.Tensor2D;
      const logits = tf.add(
        tf.matMul(flat, decoderW as tf.Tensor2D, false, true), // [BT, V]
        decoderB);
      return {
        logits: tf.reshape(logits, [B, T, V]) as tf.Tensor3D, // [B, T, V]
        state: next,
      };
    },
    dispose: () => store.dispose(),
  };

  function checkState(state: RecurrentState, B: number): void {
    const ok = state.length === 2 * numLayers && state.every((s, i) =>
      s.rank === 2 && s.shape[0] === B &&
      s.shape[1] === layers[Math.floor(i / 2)]!.size);
    if (!ok) {
      throw new Error(`${m}: state must be initState(${B}) or a returned ` +
        `state (${2 * numLayers} tensors [B, h]), got ` +
        `[${state.map((s) => `[${s.shape}]`).join(", ")}]`);
    }
  }
}

/**
 * One LSTM layer over a sequence (PyTorch's equations):
 *   i, f, g, o = split(x_t W_ih + b_ih + h W_hh + b_hh)
 *   c' = sigmoid(f) c + sigmoid(i) tanh(g);  h' = sigmoid(o) tanh(c')
 * The input projection is one matMul for all time steps.
 */
function runLstm(
  layer: LstmLayer,
  x: tf.Tensor3D,
  wHh: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): { y: tf.Tensor3D; h: tf.Tensor2D; c: tf.Tensor2D } {
  const [B, T] = x.shape;
  const g4 = 4 * layer.size;
  const bias = tf.add(layer.bIh, layer.bHh);                  // [4h]
  const xw = tf.add(tf.matMul(
    tf.reshape(x, [B * T, layer.inSize]) as tf.Tensor2D,
    layer.wIh as tf.Tensor2D), bias);                         // [BT, 4h]
  // The recurrence, with one backward pass for all steps where the native
  // engine's fused cell is there (lib/engine/ops/lstm_recurrence.ts).
  return lstmRecurrence(tf.reshape(xw, [B, T, g4]) as tf.Tensor3D, wHh as tf.Tensor2D,
    h0 as tf.Tensor2D, c0 as tf.Tensor2D);
}
