#!/usr/bin/python3
"""PyTorch peer for bench/losses.ts: NT-Xent and InfoNCE forward+backward, one thread.

Run by `npm run bench:losses` (bench/losses.ts spawns it once per case, right after timing the
same case in tfjs, so both sides share one run and one machine load), or alone:
    /usr/bin/python3 bench/losses_torch.py --losses ntXent,infoNCE,infoNCEScores --sizes 256,1024 --dim 128
With --serve it reads "<loss> <n>" lines and answers each with {"ms": wall, "cpu_ms": process CPU time}
for ONE step, so
bench/losses.ts can alternate tfjs and torch repetitions under the same load. Otherwise prints one JSON object: {"torch": "<version>", "threads": 1, "results": [{"loss", "n", "ms"}...]}
with ms = median wall time of one forward+backward. Needs Debian's python3-torch (1.13).
Cases (lib/losses conventions):
  ntXent         z1, z2 [N, D] -> cosine / tau over 2N views, self masked, mean over 2N anchors
  infoNCE        x, y [N, D] -> scores x y^T [N, N] -> cross-entropy with the diagonal as targets
  infoNCEScores  scores [N, N] given -> the same cross-entropy (no matmul; overhead-bound)
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def nt_xent(z1, z2, tau):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], 0), dim=1)  # [2N, D]
    logits = z @ z.T / tau  # [2N, 2N]
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), -1e9)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, target)


def info_nce(scores):
    return F.cross_entropy(scores, torch.arange(scores.shape[0]))


def median_ms(fn, reps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--losses', default='ntXent,infoNCE,infoNCEScores', help='comma-separated cases')
    parser.add_argument('--sizes', default='256,1024', help='comma-separated N (pairs)')
    parser.add_argument('--dim', type=int, default=128)
    parser.add_argument('--reps', type=int, default=7)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--temperature', type=float, default=0.5)
    parser.add_argument('--serve', action='store_true',
                        help='read "<loss> <n>" lines on stdin, answer each with the ms of one step')
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if args.serve:
        serve(args)
        return
    results = []
    for n in [int(s) for s in args.sizes.split(',')]:
        for loss in args.losses.split(','):
            results.append({'loss': loss, 'n': n, 'ms': median_ms(make_step(loss, n, args), args.reps, args.warmup)})
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': results}))


def serve(args):
    """Interleaving mode for bench/losses.ts: one timed step per request, inputs cached per case."""
    steps = {}
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        loss, n = line.split()
        key = (loss, int(n))
        if key not in steps:
            steps[key] = make_step(loss, int(n), args)
        start, cpu_start = time.perf_counter(), time.process_time()
        steps[key]()
        cpu_ms = (time.process_time() - cpu_start) * 1000
        print(json.dumps({'ms': (time.perf_counter() - start) * 1000, 'cpu_ms': cpu_ms}), flush=True)


def make_step(loss, n, args):
    """One forward+backward of `loss` at N pairs, as a closure (inputs made once, grads reset)."""
    if loss in ('ntXent', 'infoNCE'):
        leaves = [torch.randn(n, args.dim, requires_grad=True) for _ in range(2)]
    elif loss == 'infoNCEScores':
        leaves = [torch.randn(n, n, requires_grad=True)]
    else:
        raise SystemExit(f'losses_torch.py: unknown loss {loss!r}; valid: ntXent, infoNCE, infoNCEScores')
    forward = {
        'ntXent': lambda: nt_xent(leaves[0], leaves[1], args.temperature),
        'infoNCE': lambda: info_nce(leaves[0] @ leaves[1].T),
        'infoNCEScores': lambda: info_nce(leaves[0]),
    }[loss]

    def step():
        for leaf in leaves:
            leaf.grad = None
        forward().backward()

    return step


if __name__ == '__main__':
    main()
