"""PyTorch peer of bench/simclr.ts: SimCLR training images/s, same architectures, batch and
augmentation-free input. Run by bench/simclr.ts with /usr/bin/python3 (Debian python3-torch);
prints one JSON line per encoder. Usage: simclr_torch.py <batch> <seconds> <encoders,comma-separated>"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


def mlp_encoder():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 1024, bias=False), nn.BatchNorm1d(1024), nn.ReLU(),
                         nn.Linear(1024, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU())


def cnn_encoder():
    layers, cin = [], 1
    for i, cout in enumerate([32, 64, 128]):
        layers += [nn.Conv2d(cin, cout, 3, stride=1 if i == 0 else 2, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def head(d):
    return nn.Sequential(nn.Linear(d, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 128))


def nt_xent(z1, z2, tau=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = z1.shape[0]
    sim = z @ z.t() / tau
    sim = sim - torch.eye(2 * n) * 1e9
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def bench(kind, batch, seconds):
    f = mlp_encoder() if kind == 'mlp' else cnn_encoder()
    g = head(512 if kind == 'mlp' else 128)
    params = list(f.parameters()) + list(g.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(batch, 1, 28, 28)

    def step():
        v = torch.cat([x, x])
        z = g(f(v))
        loss = nt_xent(z[:batch], z[batch:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    step()
    step()
    steps, t0 = 0, time.time()
    while steps < 3 or time.time() - t0 < seconds:
        step()
        steps += 1
    dt = time.time() - t0
    return {'encoder': kind, 'steps': steps, 'seconds': dt, 'images_per_sec': steps * batch / dt, 'torch': torch.__version__}


if __name__ == '__main__':
    batch, seconds, kinds = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3].split(',')
    for kind in kinds:
        print(json.dumps(bench(kind, batch, seconds)), flush=True)
