import assert from "node:assert/strict";
import { test } from "node:test";
import {
  consoleProgress, type EpochMetrics, formatSeconds, type ProgressEvent,
} from "../../lib/train";

const metrics: EpochMetrics = {
  epoch: 1, lr: 0.1, steps: 4, trainLoss: 2.1, trainError: 0.8,
  trainTop5Error: null, trainPerplexity: null, testLoss: 2.0, testError: 0.75,
  testTop5Error: null, testPerplexity: null, examples: 100, unit: "images",
  epochSeconds: 1.5, evalSeconds: 0.1, wallSeconds: 1.6, throughput: 66.7,
};

function event(over: Partial<ProgressEvent>): ProgressEvent {
  return {
    runId: "abc", phase: "train", epoch: 1, epochs: 2, step: 4, steps: 4,
    loss: 2.1, lr: 0.1, throughput: 66.7, unit: "images", elapsedSeconds: 1,
    etaSeconds: 75, metrics: null, status: null, message: null, ...over,
  };
}

/** A stream that records what is written to it. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; out: string[] } {
  const out: string[] = [];
  const stream = { isTTY, columns: 120, write: (s: string) => out.push(s) };
  return { stream: stream as unknown as NodeJS.WriteStream, out };
}

test("a terminal gets a \\r-rewritten bar, then one line per epoch", () => {
  const { stream, out } = fakeStream(true);
  const show = consoleProgress(stream);
  show(event({ phase: "start", message: "training resnet8" }));
  show(event({ step: 4 }));
  show(event({ phase: "epoch", metrics }));
  assert.equal(out[0], "[abc] training resnet8\n");
  assert.match(out[1]!, /^\r\x1b\[K\[abc\] epoch 1\/2 step 4\/4 loss 2\.100 lr 0\.100 67 img\/s eta 1m15s$/);
  assert.equal(out[2], "\r\x1b[K");
  assert.match(out[3]!, /^\[abc\] epoch 1\/2, lr 0\.100, train loss 2\.100, train err 80\.00%, test loss 2\.000, test err 75\.00%, 67 img\/s, 1\.5 s\n$/);
});

test("not a terminal: no bar, one line per epoch", () => {
  const { stream, out } = fakeStream(false);
  const show = consoleProgress(stream);
  show(event({ step: 1 }));
  show(event({ phase: "eval" }));
  show(event({ phase: "epoch", metrics }));
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^\[abc\] epoch 1\/2, .*\n$/);
});

test("formatSeconds", () => {
  assert.equal(formatSeconds(12.4), "12s");
  assert.equal(formatSeconds(185), "3m05s");
  assert.equal(formatSeconds(3720), "1h02m");
});
