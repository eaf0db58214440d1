#!/usr/bin/python3
"""Writes lib/losses/fixtures/torch_losses.json: PyTorch reference values and gradients for lib/losses.

Rerun (needs Debian's python3-torch; the `python3` on PATH has no torch):
    /usr/bin/python3 scripts/torch_fixtures.py            # rewrite the JSON
    /usr/bin/python3 scripts/torch_fixtures.py --check    # exit 1 if the committed JSON is stale
Then `npx mocha lib/losses/torch_fixtures.test.ts` compares tfjs against it; `npm test` reads the
committed JSON and never needs torch.

Inputs are seeded (torch.manual_seed per case), drawn in float64 and rounded to float32, so tfjs
(float32) receives exactly the values torch used. References are computed in float64 with the
conventions of lib/losses written out independently:
  tripletLoss  mean_b relu(|a-p|^2 - |a-n|^2 + margin)          (squared distances, mean)
  nPairLoss    cross-entropy over [a.p, a.n_1..a.n_M] / tau, positive first, mean
  infoNCE      cross_entropy(scores, arange(N)), mean
  ntXent       cosine sims / tau over 2N views, self excluded (-inf), positive i<->i+-N, mean over 2N
  mocoInfoNCE  cross-entropy over [q.k, q.queue^T] / tau, positive first, mean (no normalisation)
Sizes stay small (N <= 16, D <= 8) and temperatures moderate (>= 0.07) so float32 tfjs can agree
to 1e-5 relative: |value - ref| <= 1e-5 |ref|, and per gradient max|g - ref| <= 1e-5 max|ref|.
"""
import argparse
import json
import os
import re
import sys

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib', 'losses', 'fixtures', 'torch_losses.json')


def draw(shape, seed_gen, scale=1.0):
    x = torch.randn(*shape, generator=seed_gen, dtype=torch.float64) * scale
    return x.float().double()  # exactly representable in float32


def unit_rows(x):
    return F.normalize(x, dim=1).float().double()


def triplet(a, p, n, margin):
    d_pos = ((a - p) ** 2).sum(1)
    d_neg = ((a - n) ** 2).sum(1)
    return torch.relu(d_pos - d_neg + margin).mean()


def n_pair(a, p, negs, tau):
    pos = (a * p).sum(1, keepdim=True)
    neg = torch.einsum('bd,bmd->bm', a, negs)
    logits = torch.cat([pos, neg], 1) / tau
    return F.cross_entropy(logits, torch.zeros(a.shape[0], dtype=torch.long))


def info_nce(scores):
    return F.cross_entropy(scores, torch.arange(scores.shape[0]))


def nt_xent(z1, z2, tau):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], 0), dim=1, eps=1e-12)
    logits = (z @ z.T / tau).masked_fill(torch.eye(2 * n, dtype=torch.bool), float('-inf'))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, target)


def moco(q, k, queue, tau):
    pos = (q * k).sum(1, keepdim=True)
    logits = torch.cat([pos, q @ queue.T], 1) / tau
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


def case(loss, name, seed, fn, shapes, options, scale=1.0, unit=()):
    gen = torch.Generator().manual_seed(seed)
    inputs = {}
    for key, shape in shapes:
        x = draw(shape, gen, scale)
        inputs[key] = unit_rows(x) if key in unit else x
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    value = fn(*leaves.values(), *options.values())
    value.backward()
    tensor = lambda t: {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1)]}
    return {
        'loss': loss,
        'name': name,
        'seed': seed,
        'options': options,
        'inputs': {k: tensor(v) for k, v in inputs.items()},
        'value': float(value),
        'grads': {k: tensor(v.grad) for k, v in leaves.items()},
    }


def build():
    cases = [
        case('tripletLoss', 'B=5 D=4 margin 1', 1, triplet, [('anchor', (5, 4)), ('positive', (5, 4)), ('negative', (5, 4))], {'margin': 1.0}),
        case('tripletLoss', 'B=8 D=3 margin 2.5', 2, triplet, [('anchor', (8, 3)), ('positive', (8, 3)), ('negative', (8, 3))], {'margin': 2.5}),
        case('nPairLoss', 'B=4 M=3 D=5 tau 0.5', 3, n_pair, [('anchor', (4, 5)), ('positive', (4, 5)), ('negatives', (4, 3, 5))], {'temperature': 0.5}),
        case('nPairLoss', 'B=6 M=1 D=4 tau 1', 4, n_pair, [('anchor', (6, 4)), ('positive', (6, 4)), ('negatives', (6, 1, 4))], {'temperature': 1.0}),
        case('infoNCE', 'N=5', 5, info_nce, [('scores', (5, 5))], {}, scale=2.0),
        case('infoNCE', 'N=12', 6, info_nce, [('scores', (12, 12))], {}, scale=3.0),
        case('ntXent', 'N=4 D=3 tau 0.5', 7, nt_xent, [('z1', (4, 3)), ('z2', (4, 3))], {'temperature': 0.5}),
        case('ntXent', 'N=16 D=8 tau 0.1', 8, nt_xent, [('z1', (16, 8)), ('z2', (16, 8))], {'temperature': 0.1}),
        case('ntXent', 'N=8 D=8 tau 0.2, rows of norm ~5', 9, nt_xent, [('z1', (8, 8)), ('z2', (8, 8))], {'temperature': 0.2}, scale=5.0),
        case('mocoInfoNCE', 'B=4 K=10 D=8 tau 0.07', 10, moco, [('q', (4, 8)), ('k', (4, 8)), ('queue', (10, 8))], {'temperature': 0.07}, unit=('q', 'k', 'queue')),
        case('mocoInfoNCE', 'B=8 K=16 D=4 tau 0.2', 11, moco, [('q', (8, 4)), ('k', (8, 4)), ('queue', (16, 4))], {'temperature': 0.2}, unit=('q', 'k', 'queue')),
    ]
    return {
        'generator': 'scripts/torch_fixtures.py (rerun: /usr/bin/python3 scripts/torch_fixtures.py)',
        'torch': torch.__version__,
        'dtype': 'float64 reference on float32-representable inputs',
        'tolerance': 'value: 1e-5 relative; gradients: max abs diff <= 1e-5 * max abs reference gradient',
        'cases': cases,
    }


def main():
    parser = argparse.ArgumentParser(description='PyTorch reference fixtures for lib/losses')
    parser.add_argument('--check', action='store_true', help='exit 1 if the committed JSON differs')
    args = parser.parse_args()
    torch.set_num_threads(1)
    # One line per number list keeps the file short and its diffs readable.
    text = re.sub(r'\[\s*([-0-9.e,\s]*?)\s*\]', lambda m: '[' + ', '.join(m.group(1).split()).replace(',,', ',') + ']',
                  json.dumps(build(), indent=1)) + '\n'
    if args.check:
        with open(OUT) as f:
            same = f.read() == text
        print(f'torch_fixtures: {OUT} is {"up to date" if same else "STALE - rerun without --check"}')
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, OUT)
    print(f'torch_fixtures: wrote {len(build()["cases"])} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
