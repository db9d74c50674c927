import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  buildModel, decayFilter, isBiasOrNormParam, isLanguageModelSpec,
  MODEL_KINDS, type ModelSpec, numParams,
} from "../../lib/models";
import { isBiasOrNorm } from "../../lib/optim";
import { useWasm } from "./helpers";

before(useWasm);

test("buildModel builds every kind from its spec", () => {
  const specs: ModelSpec[] = [
    { kind: "resnet", n: 3 },
    { kind: "vgg16", width: 0.125 },
    { kind: "densenet", depth: 10, growthRate: 4 },
    { kind: "audio", hidden: [8] },
    { kind: "awd-lstm", vocabSize: 20, embeddingSize: 4, hiddenSize: 6 },
  ];
  assert.deepEqual(specs.map((s) => s.kind), [...MODEL_KINDS]);
  for (const spec of specs) {
    const model = buildModel(spec);
    assert.ok(numParams(model) > 0);
    assert.equal("vocabSize" in model, isLanguageModelSpec(spec));
    model.dispose();
  }
  const r20 = buildModel({ kind: "resnet", n: 3 });
  assert.equal(numParams(r20), 269722);
  r20.dispose();
  const lm = buildModel({ kind: "awd-lstm", vocabSize: 20,
    embeddingSize: 4, hiddenSize: 6 });
  assert.equal(lm.vocabSize, 20);
  lm.dispose();
});

test("buildModel rejects unknown kinds and options, passes on checks", () => {
  assert.throws(() => buildModel({ kind: "lenet" } as unknown as ModelSpec),
    new RegExp("buildModel: kind must be one of resnet, vgg16, " +
      'densenet, audio, awd-lstm; got "lenet"'));
  assert.throws(() => buildModel(null as unknown as ModelSpec),
    /buildModel: spec must be an object/);
  assert.throws(() => buildModel(
    { kind: "resnet", n: 3, depth: 20 } as unknown as ModelSpec),
    /buildModel: resnet has no option "depth"/);
  assert.throws(() => buildModel({ kind: "resnet", n: 0 }),
    /resnet: n must/);
  assert.throws(() => buildModel({ kind: "densenet", depth: 41 }),
    /densenet: depth must/);
});

test("decayFilter: the paper decays all; 'weights' spares bias, BN", () => {
  const model = buildModel({ kind: "resnet", n: 1 });
  const names = Object.keys(model.params);
  assert.ok(names.every((n) => decayFilter(n)));
  const decayed = names.filter((n) => decayFilter(n, "weights"));
  assert.ok(decayed.length > 0);
  assert.ok(decayed.every((n) => n.endsWith("/kernel")), `${decayed}`);
  // Agrees with lib/optim's isBiasOrNorm on conv-net names.
  for (const n of names) assert.equal(isBiasOrNormParam(n), isBiasOrNorm(n));
  model.dispose();
  const lm = buildModel({ kind: "awd-lstm", vocabSize: 20,
    embeddingSize: 4, hiddenSize: 6 });
  const spared = Object.keys(lm.params).filter((n) => !decayFilter(n,
    "weights"));
  assert.deepEqual(spared, ["lstm0/bias_ih", "lstm0/bias_hh",
    "lstm1/bias_ih", "lstm1/bias_hh", "lstm2/bias_ih", "lstm2/bias_hh",
    "decoder/bias"]);
  lm.dispose();
  assert.throws(() => decayFilter("x", "none" as "all"),
    /decayFilter: policy must be/);
});
