"""Reference trajectories of torch.optim for test/optim.

Runs each optimizer of the paper (SGD, SGD with momentum and weight
decay, Nesterov, Adam with L2, AdamW, Adadelta, clipped SGD, SGDM
with MultiStepLR) for NUM_STEPS steps on a fixed quadratic and writes
the parameters and optimizer state after every step to
test/optim/fixtures/torch_optim.json. The TypeScript tests replay the
same problem in float32 and compare (no Python needed there).

Problem: two named params, w (2x3) and b (3), loss
    f(x) = 1/2 * sum(a * (x - c)^2),  grad = a * (x - c),
computed identically on both sides. a, c, x0 and every
hyperparameter are float32-representable (hyperparameters are
rounded to float32 here), so both sides start from the same numbers
and differ only by float32 rounding in tfjs. Torch runs in float64:
the fixture is the exact trajectory to ~1e-16.

Run: /usr/bin/python3 scripts/reference/torch_optim.py
"""
import json
import os
import struct

import torch

NUM_STEPS = 25
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test',
                   'optim', 'fixtures', 'torch_optim.json')

# |x0 - c| >= 1.5 and c >= 2.5: params stay far from 0 (relative
# error is meaningful) and Adam (steps ~lr) never crosses c in 25
# steps.
PROBLEM = {
    'a': {'w': [[0.5, 1.0, 1.5], [0.75, 1.25, 0.25]],
          'b': [1.0, 0.5, 1.75]},
    'c': {'w': [[2.5, 3.0, 2.75], [3.5, 2.5, 4.0]],
          'b': [2.75, 3.25, 2.5]},
    'x0': {'w': [[4.0, 4.5, 4.25], [1.75, 4.0, 2.25]],
           'b': [4.5, 1.5, 4.0]},
}


def f32(v):
    """v rounded to the nearest float32, as a Python float."""
    return struct.unpack('f', struct.pack('f', v))[0]


# kind: which of our named optimizers replays it.
CASES = [
    {'name': 'sgd', 'kind': 'sgd', 'hyper': {'lr': 0.1}},
    {'name': 'sgdm_wd', 'kind': 'sgdm',
     'hyper': {'lr': 0.01, 'momentum': 0.9, 'weightDecay': 0.005}},
    {'name': 'nesterov_wd', 'kind': 'sgdm',
     'hyper': {'lr': 0.01, 'momentum': 0.9, 'nesterov': True,
               'weightDecay': 0.005}},
    {'name': 'adam_wd', 'kind': 'adam',
     'hyper': {'lr': 0.05, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8,
               'weightDecay': 0.005}},
    # a large eps and other betas: eps placement and bias
    # correction both show at 1e-6
    {'name': 'adam_eps', 'kind': 'adam',
     'hyper': {'lr': 0.05, 'beta1': 0.8, 'beta2': 0.99, 'eps': 0.1}},
    {'name': 'adamw', 'kind': 'adam',
     'hyper': {'lr': 0.05, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8,
               'weightDecay': 0.1, 'decoupled': True}},
    {'name': 'adadelta', 'kind': 'adadelta',
     'hyper': {'lr': 1.0, 'rho': 0.9, 'eps': 1e-6}},
    {'name': 'adadelta_custom', 'kind': 'adadelta',
     'hyper': {'lr': 0.5, 'rho': 0.95, 'eps': 1e-4,
               'weightDecay': 0.005}},
    {'name': 'sgd_clip', 'kind': 'sgd',
     'hyper': {'lr': 0.5, 'clipNorm': 0.25}},
    {'name': 'sgdm_multistep', 'kind': 'sgdm',
     'hyper': {'lr': 0.01, 'momentum': 0.9, 'weightDecay': 0.005,
               'milestones': [10, 20], 'gamma': 0.1}},
]

# torch state key -> our slot name
SLOTS = {'momentum_buffer': 'momentum', 'exp_avg': 'm',
         'exp_avg_sq': 'v', 'square_avg': 'square_avg',
         'acc_delta': 'acc_delta'}


def make_optimizer(kind, h, params):
    wd = h.get('weightDecay', 0.0)
    if kind == 'sgd':
        return torch.optim.SGD(params, lr=h['lr'], weight_decay=wd)
    if kind == 'sgdm':
        return torch.optim.SGD(params, lr=h['lr'],
                               momentum=h['momentum'],
                               nesterov=h.get('nesterov', False),
                               weight_decay=wd)
    if kind == 'adam':
        cls = torch.optim.AdamW if h.get('decoupled') else \
            torch.optim.Adam
        return cls(params, lr=h['lr'], betas=(h['beta1'], h['beta2']),
                   eps=h['eps'], weight_decay=wd)
    if kind == 'adadelta':
        return torch.optim.Adadelta(params, lr=h['lr'], rho=h['rho'],
                                    eps=h['eps'], weight_decay=wd)
    raise ValueError(kind)


def run(case):
    h = {k: (f32(v) if isinstance(v, float) else v)
         for k, v in case['hyper'].items()}
    case['hyper'] = h
    t = {k: {n: torch.tensor(v, dtype=torch.float64)
             for n, v in PROBLEM[k].items()} for k in PROBLEM}
    names = ['w', 'b']
    params = [t['x0'][n].clone().requires_grad_(True) for n in names]
    opt = make_optimizer(case['kind'], h, params)
    sched = None
    if 'milestones' in h:
        sched = torch.optim.lr_scheduler.MultiStepLR(
            opt, milestones=h['milestones'], gamma=h['gamma'])
    traj, states = [], []
    for _ in range(NUM_STEPS):
        opt.zero_grad()
        for n, p in zip(names, params):
            p.grad = t['a'][n] * (p.detach() - t['c'][n])
        if 'clipNorm' in h:
            torch.nn.utils.clip_grad_norm_(params, h['clipNorm'])
        opt.step()
        if sched is not None:
            sched.step()
        traj.append({n: p.detach().tolist()
                     for n, p in zip(names, params)})
        st = {}
        for n, p in zip(names, params):
            for key, val in opt.state[p].items():
                if key in SLOTS and val is not None:
                    st.setdefault(SLOTS[key], {})[n] = val.tolist()
        states.append(st)
    return {**case, 'params': traj, 'state': states}


def main():
    torch.set_default_dtype(torch.float64)
    out = {
        'generator': 'scripts/reference/torch_optim.py',
        'torch': torch.__version__,
        'dtype': 'float64',
        'numSteps': NUM_STEPS,
        'problem': PROBLEM,
        'cases': [run(dict(c)) for c in CASES],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    print(f'wrote {len(out["cases"])} cases x {NUM_STEPS} steps '
          f'to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
