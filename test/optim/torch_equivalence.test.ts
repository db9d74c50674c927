/**
 * Step-by-step agreement with torch.optim (optax
 * `equivalence_test.py`). Fixture: scripts/reference/torch_optim.py
 * ran torch 1.13 in float64 on the quadratic of helpers.ts and
 * stored params and state after each of 25 steps (10 cases).
 *
 * Tolerance: tfjs computes in float32 (unit roundoff 6e-8), torch
 * in float64, so the fixture is the exact trajectory and our error
 * is float32 rounding alone. Params stay in [1.5, 4.5] (far from
 * 0), so 1e-6 relative per element is ~8 float32 ulps: met with
 * room, yet a wrong rule (bias correction, eps placement, decay
 * order, Nesterov term) misses it by orders of magnitude.
 *
 * State slots (momentum buffers, Adam and AdaDelta accumulators) are
 * also compared, as vectors (max|diff| / max|ref|, since a buffer can
 * cross zero), within SLOT_TOL = 2e-6: they are sums of gradients
 * a (x - c), and the subtraction amplifies x's float32 rounding by
 * |x| / |x - c| (observed worst 1.1e-6, in adam_eps's v; params
 * stay under 3.2e-7). A wrong rule is off by >= 1e-3 here: eps
 * moved inside the sqrt fails adam_eps at step 1 with 1.2e-3.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  adadelta, adam, multiStep, sgd, sgdm, Stepper,
} from '../../lib/optim';
import type { Transform } from '../../lib/optim';
import {
  flat, makeVars, maxRelErr, normRelErr, quadraticGrads,
} from './helpers';
import type { Nested, Quadratic } from './helpers';

interface Hyper {
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  decoupled?: boolean;
  beta1?: number;
  beta2?: number;
  eps?: number;
  rho?: number;
  clipNorm?: number;
  milestones?: number[];
  gamma?: number;
}

interface Case {
  name: string;
  kind: 'sgd' | 'sgdm' | 'adam' | 'adadelta';
  hyper: Hyper;
  params: Record<string, Nested>[];
  state: Record<string, Record<string, Nested>>[];
}

interface Fixture {
  numSteps: number;
  problem: Quadratic;
  cases: Case[];
}

const PARAM_TOL = 1e-6;
const SLOT_TOL = 2e-6;

const fixture = JSON.parse(readFileSync(
  new URL('./fixtures/torch_optim.json', import.meta.url), 'utf8',
)) as Fixture;

/** Our named optimizer with the case's torch hyperparameters. */
function build(c: Case): Transform {
  const h = c.hyper;
  const lr = h.milestones
    ? multiStep(h.lr, h.milestones, h.gamma) : h.lr;
  const common = {
    weightDecay: h.weightDecay ?? 0,
    decoupled: h.decoupled ?? false,
    ...(h.clipNorm !== undefined && { clipNorm: h.clipNorm }),
  };
  switch (c.kind) {
    case 'sgd': return sgd({ lr, ...common });
    case 'sgdm': return sgdm({
      lr, momentum: h.momentum ?? 0, nesterov: h.nesterov ?? false,
      ...common,
    });
    case 'adam': return adam({
      lr, beta1: h.beta1 ?? 0.9, beta2: h.beta2 ?? 0.999,
      eps: h.eps ?? 1e-8, ...common,
    });
    case 'adadelta': return adadelta({
      lr, rho: h.rho ?? 0.9, eps: h.eps ?? 1e-6, ...common,
    });
  }
}

describe('torch.optim equivalence (float64 reference)', () => {
  it('has the cases the acceptance asks for', () => {
    const names = fixture.cases.map((c) => c.name);
    for (const n of ['sgd', 'sgdm_wd', 'nesterov_wd', 'adam_wd',
      'adadelta']) assert.ok(names.includes(n), n);
    assert.ok(fixture.numSteps >= 20);
  });

  for (const c of fixture.cases) {
    it(`${c.name} matches step by step within 1e-6`, () => {
      const vars = makeVars(fixture.problem.x0);
      const opt = new Stepper(build(c));
      let worstParam = 0;
      let worstSlot = 0;
      for (let k = 0; k < fixture.numSteps; k++) {
        const grads = quadraticGrads(fixture.problem, vars);
        opt.step(vars, grads);
        tf.dispose(Object.values(grads));
        const want = c.params[k] as Record<string, Nested>;
        for (const [n, v] of Object.entries(vars)) {
          const err = maxRelErr(Array.from(v.dataSync()),
            flat(want[n] as Nested));
          worstParam = Math.max(worstParam, err);
          assert.ok(err <= PARAM_TOL,
            `step ${k + 1} param ${n}: rel err ${err}`);
        }
        const slots = opt.state?.slots ?? {};
        const wantState = c.state[k] ?? {};
        assert.deepEqual(Object.keys(wantState).sort(),
          Object.keys(slots).sort(), 'slot names');
        for (const [slot, byParam] of Object.entries(wantState)) {
          for (const [n, w] of Object.entries(byParam)) {
            const got = slots[slot]?.[n];
            assert.ok(got, `slot ${n}/${slot}`);
            const err = normRelErr(Array.from(got.dataSync()), flat(w));
            worstSlot = Math.max(worstSlot, err);
            assert.ok(err <= SLOT_TOL,
              `step ${k + 1} slot ${n}/${slot}: rel err ${err}`);
          }
        }
      }
      opt.dispose();
      tf.dispose(Object.values(vars));
      if (process.env['OPTIM_VERBOSE']) {
        console.log(`${c.name}: worst param ${worstParam.toExponential(
          2)}, worst slot ${worstSlot.toExponential(2)}`);
      }
    });
  }
});
