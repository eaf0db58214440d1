"""Independent cross-check of lib/mi's InfoNCE bound grid, in numpy.

Same settings as bench/mi.ts (dim 20, MI {2,4,6,8,10}, N {64,128,256,512}, 100 trials), but its
own random numbers (numpy PCG64) and its own formula for the optimal critic: the log density
ratio log N(y_j; rho x_i, (1 - rho^2) I) - log N(y_j; 0, I) from squared distances, and
scipy-free log-sum-exp in float64. Compares with the TypeScript rows when given their JSON:

    npm run bench:mi -- --json out/mi_bench.json
    /usr/bin/python3 bench/mi_crosscheck.py out/mi_bench.json

(`python3` on PATH may be a Python without numpy; Debian's /usr/bin/python3 has it.)
With torch importable (Debian python3-torch), every batch is also scored a second way - torch
float64, torch.cdist distances and torch.logsumexp - and the largest per-batch difference from
the numpy value is printed.
"""
import json
import math
import sys
import time

import numpy as np

try:
    import torch
except ImportError:  # the numpy check still runs
    torch = None

DIM, MIS, NS, TRIALS, SEED = 20, [2, 4, 6, 8, 10], [64, 128, 256, 512], 100, 12345


def torch_estimate(x, y, rho):
    """The same bound from torch: cdist for |y_j - rho x_i|, logsumexp over each row."""
    s2 = 1 - rho * rho
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    d2 = torch.cdist(rho * xt, yt) ** 2  # [i, j]
    scores = -0.5 * DIM * math.log(s2) - d2 / (2 * s2) + 0.5 * (yt**2).sum(-1)[None, :]
    loss = (torch.logsumexp(scores, 1) - torch.diagonal(scores)).mean()
    return math.log(x.shape[0]) - loss.item()


TORCH_DIFF = [0.0]


def bound_estimates(mi, n, trials, rng):
    rho = math.sqrt(1 - math.exp(-2 * mi / DIM))
    s2 = 1 - rho * rho
    out = np.empty(trials)
    for t in range(trials):
        x = rng.standard_normal((n, DIM))
        y = rho * x + math.sqrt(s2) * rng.standard_normal((n, DIM))
        # d2[i, j] = |y_j - rho x_i|^2, via broadcasting (no expansion trick)
        d2 = ((y[None, :, :] - rho * x[:, None, :]) ** 2).sum(-1)
        log_cond = -0.5 * DIM * math.log(2 * math.pi * s2) - d2 / (2 * s2)
        log_marg = -0.5 * DIM * math.log(2 * math.pi) - 0.5 * (y**2).sum(-1)
        scores = log_cond - log_marg[None, :]
        m = scores.max(1, keepdims=True)
        lse = (m[:, 0] + np.log(np.exp(scores - m).sum(1)))
        loss = (lse - np.diag(scores)).mean()
        out[t] = math.log(n) - loss
        if torch is not None:
            TORCH_DIFF[0] = max(TORCH_DIFF[0], abs(torch_estimate(x, y, rho) - out[t]))
    return out


def main():
    ts_rows = {}
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            for r in json.load(f)["rows"]:
                ts_rows[(r["trueMI"], r["batchSize"])] = r
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    print(f"{'MI':>4} {'N':>4} {'logN':>7} {'numpy mean':>11} {'se':>7} {'max-logN':>9}"
          + (f" {'tfjs mean':>10} {'se':>7} {'diff':>8} {'z':>6}" if ts_rows else ""))
    worst = 0.0
    for mi in MIS:
        for n in NS:
            est = bound_estimates(mi, n, TRIALS, rng)
            mean, se = est.mean(), est.std(ddof=1) / math.sqrt(TRIALS)
            line = f"{mi:>4} {n:>4} {math.log(n):>7.4f} {mean:>11.4f} {se:>7.4f} {est.max() - math.log(n):>9.2e}"
            assert est.max() <= math.log(n) + 1e-12, "numpy estimate above log N"
            r = ts_rows.get((mi, n))
            if r:
                diff = r["mean"] - mean
                z = diff / math.sqrt(r["stderr"] ** 2 + se**2)
                worst = max(worst, abs(z))
                line += f" {r['mean']:>10.4f} {r['stderr']:>7.4f} {diff:>8.4f} {z:>6.2f}"
            print(line, flush=True)
    print(f"numpy time {time.time() - t0:.1f} s")
    if torch is not None:
        print(f"torch {torch.__version__} (cdist + logsumexp, float64) vs numpy, largest per-batch difference: {TORCH_DIFF[0]:.1e} nat")
    if ts_rows:
        print(f"largest |z| between tfjs and numpy means: {worst:.2f} (|z| < 3 expected for 20 cells)")


if __name__ == "__main__":
    main()
