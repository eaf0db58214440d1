"""PyTorch training loop of bench/train.ts: lib/train's SimCLR or MoCo run in torch, for images/s.

Same model (bench/torch_peer.py's MLP encoder 784-1024-512 and head 512-512-128, batch norm),
batch, losses (NT-Xent tau 0.2; MoCo tau 0.2, K = 4096, m = 0.99), Adam lr 4e-3, and the same
augmentation recipe as lib/augment's default (random resized crop scale 0.3-1 and ratio 3/4-4/3,
affine +-15 degrees, translate 0.1, scale 0.9-1.1, elastic 1.5 px on a 4 x 4 grid, noise std
0.1, clipped to [0, 1]), written the torch way: one affine_grid + grid_sample per view with the
elastic field added to the grid. The views are made by a DataLoader worker process (workers 1:
the second core, as lib/train's data worker) or in the loop (workers 0).

  python bench/torch_train.py '{"images": "x.f32", "n": 10000, "method": "simclr", "steps": 40,
                                "threads": 2, "workers": 1}'

Prints one JSON line: {"images_per_sec", "losses", "aug_ms", "threads", "workers", "torch"};
images/s counts from the first step's start as lib/train does (the worker's start included).
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_peer import head, mlp_encoder, moco, nt_xent, read_f32  # noqa: E402

BATCH = 256


def augment(x, gen):
    """Two-view-ready augmentation of x [B, 1, 28, 28] in [0, 1] (lib/augment's default recipe)."""
    b = x.shape[0]
    u = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    # random resized crop: area fraction s, aspect r -> half-sizes of the crop in [-1, 1] units
    s = 0.3 + 0.7 * u(b)
    r = torch.exp(math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * u(b))
    cw = torch.sqrt(s * r).clamp(max=1)
    ch = torch.sqrt(s / r).clamp(max=1)
    cx = (1 - cw) * (2 * u(b) - 1)
    cy = (1 - ch) * (2 * u(b) - 1)
    # affine: rotation, scale, translation
    a = math.radians(15) * (2 * u(b) - 1)
    k = 1 / (0.9 + 0.2 * u(b))
    tx, ty = 0.2 * (2 * u(b) - 1), 0.2 * (2 * u(b) - 1)
    cos, sin = torch.cos(a) * k, torch.sin(a) * k
    theta = torch.stack([
        torch.stack([cw * cos, -cw * sin, cx + tx * cw], 1),
        torch.stack([ch * sin, ch * cos, cy + ty * ch], 1),
    ], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # elastic: a 4 x 4 field of +-alpha pixels, upsampled bilinearly to 28 x 28
    field = (2 * u(b, 2, 4, 4) - 1) * (1.5 * 2 / 28)
    grid = grid + F.interpolate(field, size=(28, 28), mode='bilinear', align_corners=True).permute(0, 2, 3, 1)
    v = F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    return (v + 0.1 * torch.randn(v.shape, generator=gen)).clamp_(0, 1)


class Views(torch.utils.data.IterableDataset):
    """Each step's two views of a shuffled batch, made where the DataLoader runs it."""

    def __init__(self, images, steps):
        self.images, self.steps = images, steps

    def __iter__(self):
        torch.set_num_threads(1)
        gen = torch.Generator().manual_seed(0)
        n = self.images.shape[0]
        order = torch.randperm(n, generator=gen)
        for k in range(self.steps):
            start = (k * BATCH) % (n - n % BATCH)
            if start == 0 and k > 0:
                order = torch.randperm(n, generator=gen)
            x = self.images[order[start:start + BATCH]]
            yield augment(x, gen), augment(x, gen)


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg['threads'])
    images = read_f32(cfg['images'], [cfg['n'], 1, 28, 28])
    steps, method = cfg['steps'], cfg['method']
    f, g = mlp_encoder(), head(512)
    params = list(f.parameters()) + list(g.parameters())
    opt = torch.optim.Adam(params, lr=4e-3)
    if method == 'moco':
        fk, gk = mlp_encoder(), head(512)
        fk.load_state_dict(f.state_dict())
        gk.load_state_dict(g.state_dict())
        for p in list(fk.parameters()) + list(gk.parameters()):
            p.requires_grad_(False)
        queue = F.normalize(torch.randn(4096, 128), dim=1)
    target = None
    data = Views(images, steps)
    loader = torch.utils.data.DataLoader(data, batch_size=None, num_workers=cfg['workers'], prefetch_factor=2 if cfg['workers'] else None)
    # Augmentation cost on this thread, once (what a worker takes off the step).
    gen = torch.Generator().manual_seed(1)
    augment(images[:BATCH], gen)  # warm-up
    t0 = time.process_time()
    augment(images[:BATCH], gen), augment(images[:BATCH], gen)
    aug_ms = (time.process_time() - t0) * 1000
    losses = []
    start = time.perf_counter()
    for v1, v2 in loader:
        opt.zero_grad(set_to_none=True)
        if method == 'simclr':
            z = g(f(torch.cat([v1, v2])))
            z1, z2 = z.chunk(2)
            if target is None:
                n = z1.shape[0]
                target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
            loss = nt_xent(z1, z2, 0.2, target)
        else:
            q = F.normalize(g(f(v1)), dim=1)
            with torch.no_grad():
                k = F.normalize(gk(fk(v2)), dim=1)
            loss = moco(q, k, queue, 0.2)
        loss.backward()
        opt.step()
        if method == 'moco':
            with torch.no_grad():
                for pk, pq in zip(list(fk.parameters()) + list(gk.parameters()), params):
                    pk.mul_(0.99).add_(pq, alpha=0.01)
                queue = torch.cat([k, queue[:-BATCH]])
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    print(json.dumps({'images_per_sec': steps * BATCH / seconds, 'losses': losses, 'aug_ms': aug_ms,
                      'threads': torch.get_num_threads(), 'workers': cfg['workers'], 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
