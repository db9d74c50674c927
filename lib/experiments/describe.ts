/**
 * One-line descriptions of configs and the split sizes they train on, for
 * the cost estimate (budget.ts) and the paper-vs-ours table (settings.ts);
 * the datasets' own sizes are lib/data's DATASET_FACTS.
 */
import { DATASET_FACTS } from "../data/facts";
import type { TrainConfig } from "../train";

/** Examples (or tokens) per epoch and in the test split, as configured. */
export function splitSizes(cfg: TrainConfig): { train: number; test: number } {
  const d = cfg.dataset;
  const size = DATASET_FACTS[d.name];
  if (d.name === "synthetic-text") {
    return {
      train: d.trainTokens ?? d.tokens,
      test: d.testTokens ?? Math.max(2, Math.floor(d.tokens / 4)),
    };
  }
  if ("bptt" in d) {
    return {
      train: Math.min(size.train, d.trainTokens ?? size.train),
      test: Math.min(size.test, d.testTokens ?? size.test),
    };
  }
  const classes = d.name === "cifar100" && d.labels === "coarse" ? 20 : size.classes ?? 1;
  let train = size.train;
  if ("trainBatches" in d && d.trainBatches !== null && size.perBatchFile !== null) {
    train = Math.min(train, d.trainBatches.length * size.perBatchFile);
  }
  if (d.trainPerClass !== null) train = Math.min(train, d.trainPerClass * classes);
  const test = d.testPerClass === null
    ? size.test
    : Math.min(size.test, d.testPerClass * classes);
  return { train, test };
}

const int = (x: number) => x.toLocaleString("en-US");

/** "ResNet-8", "VGG-16 (BN) at 1/8 width", "2-layer AWD-LSTM (200 hidden, 100 embedding)". */
export function describeModel(m: TrainConfig["model"]): string {
  switch (m.kind) {
    case "resnet":
      return `ResNet-${6 * m.n + 2}${m.width === 1 ? "" : ` with ${m.width}x channels`}`;
    case "vgg16":
      return `VGG-16 (BN)${m.width === 1 ? "" : ` at ${fraction(m.width)} width`}`;
    case "densenet":
      return `DenseNet${m.bottleneck ? "-BC" : ""} (L=${m.depth}, k=${m.growthRate})`;
    case "audio":
      return `audio net (2 conv x ${m.channels} ch, 2D dropout ${m.dropout2d}, ` +
        `dense ${[...m.hidden, "classes"].join("-")})`;
    case "awd-lstm":
      return `${m.numLayers}-layer AWD-LSTM (${m.hiddenSize} hidden, ` +
        `${m.embeddingSize} embedding)`;
    case "custom":
      return `custom model "${m.name}"`;
  }
}

function fraction(w: number): string {
  const inv = 1 / w;
  return w < 1 && Number.isInteger(inv) ? `1/${inv}` : `${w}x`;
}

/** "CIFAR-10: 1,000 train (100 per class, class-balanced), 10,000 test". */
export function describeData(cfg: TrainConfig): string {
  const d = cfg.dataset;
  const { train, test } = splitSizes(cfg);
  const label = DATASET_FACTS[d.name].label;
  if ("bptt" in d) {
    const bptt = `BPTT ${d.bptt}${d.variableBptt ? " (random lengths)" : ""}`;
    return `${label}: ${int(train)} train tokens, ${int(test)} test tokens, ${bptt}`;
  }
  const per = (n: number | null) => (n === null ? "" : ` (${n} per class, class-balanced)`);
  const all = (n: number, full: number) => (n === full ? " (all)" : "");
  const size = DATASET_FACTS[d.name];
  const files = "trainBatches" in d && d.trainBatches !== null
    ? ` from batch file${d.trainBatches.length > 1 ? "s" : ""} ${d.trainBatches.join(", ")}`
    : "";
  const crop = "crop" in d && d.crop !== null ? `, ${d.crop}x${d.crop} centre crops` : "";
  const unit = size.side === null ? "clips" : "images";
  return `${label}: ${int(train)} train ${unit}${per(d.trainPerClass)}${files}, ` +
    `${int(test)} test${per(d.testPerClass)}${all(test, size.test)}${crop}`;
}

/** "÷10 at epochs 50, 100", "÷10 every 30 epochs", "constant". */
export function describeSchedule(cfg: TrainConfig): string {
  const s = cfg.schedule;
  switch (s.kind) {
    case "constant":
      return "constant";
    case "multistep": {
      const at = s.unit === "epoch"
        ? s.at
        : [...new Set(s.at.map((f) => Math.max(1, Math.round(f * cfg.epochs))))];
      return `x${s.gamma} at epoch${at.length > 1 ? "s" : ""} ${at.join(", ")}`;
    }
    case "step":
      return `x${s.gamma} every ${s.every} epochs`;
    case "cosine":
      return `cosine to ${s.lrMin}`;
  }
}

/** "every epoch", "every 3 epochs and the last". */
export function describeEval(cfg: TrainConfig): string {
  const k = cfg.eval.every;
  if (k === 1) return "every epoch";
  if (k >= cfg.epochs) return "after the last epoch only";
  return `every ${k} epochs${cfg.epochs % k === 0 ? "" : " and after the last"}`;
}

/** The optimizer's hyperparameters besides lr: "momentum 0.9, wd 0.005". */
export function describeOptimizer(o: TrainConfig["optimizer"]): string {
  const parts: string[] = [];
  if (o.name === "sgdm") parts.push(`momentum ${o.momentum}${o.nesterov ? " (Nesterov)" : ""}`);
  if (o.name === "adam") parts.push(`betas (${o.beta1}, ${o.beta2})`);
  if (o.name === "adadelta") parts.push(`rho ${o.rho}`);
  parts.push(`weight decay ${o.weightDecay}`);
  if (o.clipNorm !== null) parts.push(`clip ${o.clipNorm}`);
  return parts.join(", ");
}
