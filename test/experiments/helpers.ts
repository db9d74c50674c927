/**
 * Hand-made run records for the analysis, verdict and claim tests: a
 * record is what `train()` writes, with a history of the metrics given
 * here and nothing trained.
 */
import type { OptimizerName } from "../../lib/optim";
import {
  type EpochMetrics, parseConfig, RECORD_SCHEMA_VERSION, type RunRecord, type RunStatus,
} from "../../lib/train";

export interface FakeRun {
  optimizer: OptimizerName;
  lr?: number;
  seed?: number;
  status?: RunStatus;
  /** Test errors by epoch (null: not evaluated that epoch). */
  test?: Array<number | null>;
  /** Train errors by epoch (default: test + 0.01 or 0.5). */
  train?: number[];
  /** Top-5 test errors by epoch. */
  top5?: Array<number | null>;
  /** Test perplexities by epoch (a language model record). */
  ppl?: Array<number | null>;
  /** Seconds per training epoch (default 10) and per evaluation (default 2). */
  epochSeconds?: number;
  evalSeconds?: number;
  profile?: "smoke" | "cpu" | "paper";
  commit?: string | null;
  dirty?: boolean;
  standIn?: boolean;
}

/** A record as `train()` would write it, from per-epoch metrics. */
export function fakeRecord(f: FakeRun): RunRecord {
  const lm = f.ppl !== undefined;
  const lr = f.lr ?? ({ sgd: 0.1, sgdm: 0.1, adam: 0.001, adadelta: 1, sgdl: 1 } as const)[f.optimizer];
  const epochs = (lm ? f.ppl : f.test)?.length ?? 0;
  const config = parseConfig({
    profile: f.profile ?? "cpu",
    model: lm ? { kind: "awd-lstm", numLayers: 2, hiddenSize: 8, embeddingSize: 8 } : { kind: "resnet", n: 1 },
    dataset: lm ? { name: "brown-ptb" } : { name: "cifar10", trainPerClass: 10 },
    optimizer: { name: f.optimizer, lr },
    epochs: Math.max(1, epochs),
    seed: f.seed ?? 0,
    backend: "wasm",
  });
  const epochSeconds = f.epochSeconds ?? 10;
  let wall = 0;
  const history: EpochMetrics[] = [];
  for (let i = 0; i < epochs; i++) {
    const test = lm ? null : f.test![i] ?? null;
    const ppl = lm ? f.ppl![i] ?? null : null;
    const evalSeconds = test !== null || ppl !== null ? f.evalSeconds ?? 2 : 0;
    wall += epochSeconds + evalSeconds;
    history.push({
      epoch: i + 1, lr, steps: 8,
      trainLoss: 1, trainError: lm ? null : f.train?.[i] ?? (test === null ? 0.5 : test - 0.01),
      trainTop5Error: null, trainPerplexity: lm ? (ppl ?? 100) * 0.9 : null,
      testLoss: test === null && ppl === null ? null : 1,
      testError: test, testTop5Error: f.top5?.[i] ?? null, testPerplexity: ppl,
      examples: 1000, unit: lm ? "tokens" : "images",
      epochSeconds, evalSeconds, wallSeconds: wall, throughput: 1000 / epochSeconds,
    });
  }
  const status = f.status ?? "completed";
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    id: `fake-${f.optimizer}-${lr}-${f.seed ?? 0}-${status}`,
    status,
    config,
    profile: config.profile,
    seed: config.seed,
    engine: { backend: "wasm", threads: 2, versions: {}, skipped: [], notes: [] },
    code: { commit: f.commit === undefined ? "0123456789abcdef0123456789abcdef01234567" : f.commit, dirty: f.dirty ?? false },
    dataset: {
      name: lm ? "brown-ptb" : "cifar10",
      label: f.standIn === true || lm ? "Brown corpus, PTB-style (stand-in for Penn Treebank)" : "CIFAR-10 (real data)",
      standIn: f.standIn === true || lm ? { for: "ptb", label: "Brown", reason: "test" } : null,
      source: "test", train: 100, test: 40, numClasses: lm ? null : 10, vocabSize: lm ? 10000 : null,
    },
    model: { name: lm ? "awd-lstm2" : "resnet8", params: 1 },
    history,
    diverged: status === "diverged"
      ? { epoch: epochs + 1, step: 3, globalStep: 8 * epochs + 3, loss: null, reason: "loss is NaN" }
      : null,
    final: history.at(-1) ?? null,
    resumedAt: [],
  };
}

/** Several seeds of one optimizer with final test errors `finals` (2 epochs each). */
export function seeds(optimizer: OptimizerName, finals: number[], lr?: number): RunRecord[] {
  return finals.map((x, seed) => fakeRecord({
    optimizer, seed, test: [x + 0.1, x], ...(lr !== undefined && { lr }),
  }));
}
