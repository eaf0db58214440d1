"""PyTorch peer of the tfjs benchmarks (bench/losses.ts, bench/simclr.ts): the same losses and
SimCLR steps in torch (one thread), and pytorch-metric-learning where it has the same loss.

bench/torch_peer.ts starts it with the newest torch it found (bench/find_torch.ts) and talks to
it in JSON lines on stdin/stdout, one request, one answer, so the two sides can ALTERNATE single
repetitions under the same machine load:

  start                         -> {"ready": true, "torch", "threads", "pml", "python"}
  {"op": "prepare", "id", "case", "impl", "dir", "inputs": {name: shape}, "params"}
                                -> {"ok": true} or {"skip": reason}; inputs are read from
                                   <dir>/<name>.f32 (float32, little-endian, row-major)
  {"op": "check", "id", "out", "float64"}
                                -> one forward+backward: {"value", "grads": [names]}, gradients
                                   written to <out>/<name>.f32 (for the max-difference check);
                                   with "float64": true on a float64 copy (the exact reference)
  {"op": "step", "id"}          -> one timed step: {"ms": wall, "cpu_ms": process CPU time}
  {"op": "drop", "id"}          -> {"ok": true}

Cases and their definitions (lib/losses conventions, float32):
  triplet   a, p, n [N, D]: mean relu(|a-p|^2 - |a-n|^2 + margin)
  nPair     a, p [N, D], neg [N, M, D]: cross-entropy over [a.p, a.neg_m] / tau, positive first
  infoNCE   x, y [N, D]: cross-entropy of the scores x y^T with the diagonal as targets
  ntXent    z1, z2 [N, D]: cosine / tau over the 2N views, self masked, mean over 2N anchors
  moco      q, k [N, D], queue [K, D] (unit rows): cross-entropy over [q.k, q queue^T] / tau
  simclr-mlp, simclr-cnn: one SimCLR training step (encoder + head on 2N views, NT-Xent, Adam)
impl "torch" is plain torch written for speed (1/tau on the thin side, masks made once, the
diagonal filled in place); impl "pml" is pytorch-metric-learning configured to the same
definition (see PML_NOTES); "pml-supcon" is its SupConLoss, which equals NT-Xent here.
"""
import copy
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import pytorch_metric_learning as pml
    from pytorch_metric_learning import distances as pml_distances
    from pytorch_metric_learning import losses as pml_losses
    from pytorch_metric_learning import reducers as pml_reducers
except ImportError:  # the Debian fallback has torch but no pml
    pml = None


def read_f32(path, shape):
    with open(path, 'rb') as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float32).reshape(shape).clone()


def write_f32(path, t):
    with open(path, 'wb') as f:
        f.write(t.detach().contiguous().to(torch.float32).numpy().tobytes())


# ---------------------------------------------------------------- losses (impl "torch")

def triplet(a, p, n, margin):
    return (((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + margin).clamp_min(0).mean()


def n_pair(a, p, neg, tau):
    s = a / tau
    logits = torch.cat([(s * p).sum(1, keepdim=True), torch.bmm(neg, s.unsqueeze(2)).squeeze(2)], 1)  # [N, 1+M]
    return F.cross_entropy(logits, torch.zeros(a.shape[0], dtype=torch.long))


def info_nce(x, y):
    return F.cross_entropy(x @ y.T, torch.arange(x.shape[0]))


def nt_xent(z1, z2, tau, target):
    z = F.normalize(torch.cat([z1, z2]), dim=1)  # [2N, D]
    logits = (z / tau) @ z.T  # [2N, 2N]
    logits.fill_diagonal_(-1e9)  # in place: the division's backward does not need its output
    return F.cross_entropy(logits, target)


def moco(q, k, queue, tau):
    s = q / tau
    logits = torch.cat([(s * k).sum(1, keepdim=True), s @ queue.T], 1)  # [N, 1+K]
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


# ---------------------------------------------------------------- pytorch-metric-learning

PML_NOTES = {
    'triplet': 'TripletMarginLoss(LpDistance(power=2, normalize_embeddings=False), MeanReducer), '
               'triplets as indices into [a; p; n]; it builds the full [3N, 3N] distance matrix',
    'infoNCE': 'NPairsLoss(DotProductSimilarity(normalize_embeddings=False)) on [x; y] with labels '
               '[0..N-1, 0..N-1]: the N-pair loss with batch negatives, i.e. cross-entropy of x y^T',
    'ntXent': 'NTXentLoss(temperature): a [2N, 2N(2N-2)] mask per call; -log(p + 1.2e-38) caps a '
              'pair\'s loss at 87.3 in float32',
    'ntXent/supcon': 'SupConLoss(temperature, MeanReducer) with labels [0..N-1, 0..N-1]: one positive '
                     'per anchor, so it equals NT-Xent',
    'moco': 'NTXentLoss(temperature, DotProductSimilarity(normalize_embeddings=False)) with ref_emb '
            '[k; queue] and pairs given as indices (positive k_b, negatives the K queue rows): a [N, N*K] '
            'mask per call',
}

PML_MAX_BYTES = float(os.environ.get('CLAB_PML_MAX_GB', '3')) * 2**30


def pml_step(case, n, x, params):
    """(forward, skip reason or None) for pml configured to our definition."""
    if pml is None:
        return None, 'pytorch-metric-learning is not installed beside this torch'
    ar = torch.arange(n)
    if case == 'triplet':
        loss = pml_losses.TripletMarginLoss(
            margin=params['margin'], distance=pml_distances.LpDistance(p=2, power=2, normalize_embeddings=False),
            reducer=pml_reducers.MeanReducer())
        idx = (ar, ar + n, ar + 2 * n)
        return (lambda: loss(torch.cat([x['a'], x['p'], x['n']]), indices_tuple=idx)), None
    if case == 'infoNCE':
        loss = pml_losses.NPairsLoss(distance=pml_distances.DotProductSimilarity(normalize_embeddings=False))
        labels = torch.cat([ar, ar])
        return (lambda: loss(torch.cat([x['x'], x['y']]), labels)), None
    if case == 'ntXent':
        two = 2 * n
        need = 3 * two * two * (two - 2) * 4  # the [2N, 2N(2N-2)] float mask and two products of its size
        if need > PML_MAX_BYTES:
            return None, f'needs ~{need / 2**30:.0f} GB for its [2N, 2N(2N-2)] masks (limit CLAB_PML_MAX_GB={PML_MAX_BYTES / 2**30:g})'
        loss = pml_losses.NTXentLoss(temperature=params['tau'])
        labels = torch.cat([ar, ar])
        return (lambda: loss(torch.cat([x['z1'], x['z2']]), labels)), None
    if case == 'ntXent/supcon':
        loss = pml_losses.SupConLoss(temperature=params['tau'], reducer=pml_reducers.MeanReducer())
        labels = torch.cat([ar, ar])
        return (lambda: loss(torch.cat([x['z1'], x['z2']]), labels)), None
    if case == 'moco':
        k = x['queue'].shape[0]
        need = 3 * n * n * k * 4
        if need > PML_MAX_BYTES:
            return None, f'needs ~{need / 2**30:.0f} GB for its [N, N*K] masks (limit CLAB_PML_MAX_GB={PML_MAX_BYTES / 2**30:g})'
        loss = pml_losses.NTXentLoss(temperature=params['tau'], distance=pml_distances.DotProductSimilarity(normalize_embeddings=False))
        kk = torch.arange(k)
        idx = (ar, ar, ar.repeat_interleave(k), n + kk.repeat(n))
        labels = ar  # only used for shape checks: pairs come from indices_tuple
        return (lambda: loss(x['q'], labels, indices_tuple=idx, ref_emb=torch.cat([x['k'], x['queue']]),
                             ref_labels=torch.cat([ar, n + kk]))), None
    return None, f'pytorch-metric-learning has no loss configured here for {case}'


# ---------------------------------------------------------------- SimCLR models (same as lib/models)

def mlp_encoder():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 1024, bias=False), nn.BatchNorm1d(1024), nn.ReLU(),
                         nn.Linear(1024, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU())


def cnn_encoder():
    # tfjs 'same' padding with stride 2 on 28x28 pads 0 before and 1 after (TensorFlow's rule);
    # torch's padding=1 would shift the sampling grid by a pixel, so pad explicitly.
    layers, cin = [], 1
    for i, cout in enumerate([32, 64, 128]):
        if i == 0:
            layers.append(nn.Conv2d(cin, cout, 3, stride=1, padding=1, bias=False))
        else:
            layers += [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(cin, cout, 3, stride=2, padding=0, bias=False)]
        layers += [nn.BatchNorm2d(cout), nn.ReLU()]
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def head(d):
    return nn.Sequential(nn.Linear(d, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 128))


def load_weights(f, g, weights, directory):
    """Copies lib/models variables (tfjs layouts) into the torch modules, in lib/models' order."""
    params = [m for m in list(f.modules()) + list(g.modules()) if isinstance(m, (nn.Linear, nn.Conv2d, nn.BatchNorm1d, nn.BatchNorm2d))]
    it = iter(weights)
    with torch.no_grad():
        for m in params:
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                w = next(it)
                t = read_f32(os.path.join(directory, w['file']), w['shape'])
                m.weight.copy_(t.T if isinstance(m, nn.Linear) else t.permute(3, 2, 0, 1))  # [in,out] / HWIO
                if m.bias is not None:
                    b = next(it)
                    m.bias.copy_(read_f32(os.path.join(directory, b['file']), b['shape']))
            else:
                for attr in ('weight', 'bias', 'running_mean', 'running_var'):
                    w = next(it)
                    getattr(m, attr).copy_(read_f32(os.path.join(directory, w['file']), w['shape']))


class SimCLRStep:
    def __init__(self, kind, directory, inputs, params, weights):
        self.f = mlp_encoder() if kind == 'mlp' else cnn_encoder()
        self.g = head(512 if kind == 'mlp' else 128)
        load_weights(self.f, self.g, weights, directory)
        self.f.train()
        self.g.train()
        self.params = list(self.f.parameters()) + list(self.g.parameters())
        self.opt = torch.optim.Adam(self.params, lr=params['lr'])
        self.views = read_f32(os.path.join(directory, 'views.f32'), inputs['views']).permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        self.n = self.views.shape[0] // 2
        self.tau = params['tau']
        self.target = torch.cat([torch.arange(self.n, 2 * self.n), torch.arange(0, self.n)])

    def loss(self):
        z = self.g(self.f(self.views))
        return nt_xent(z[:self.n], z[self.n:], self.tau, self.target)

    def check(self, float64=False):
        # Gradients at the shared initial weights, in lib/models' order (Linear weights as [in, out]).
        f, g, views = self.f, self.g, self.views
        if float64:
            f, g, views = copy.deepcopy(f).double(), copy.deepcopy(g).double(), views.double()
        for p in list(f.parameters()) + list(g.parameters()):
            p.grad = None
        z = g(f(views))
        loss = nt_xent(z[:self.n], z[self.n:], self.tau, self.target)
        loss.backward()
        grads = []
        for m in [m for m in list(f.modules()) + list(g.modules()) if isinstance(m, (nn.Linear, nn.Conv2d, nn.BatchNorm1d, nn.BatchNorm2d))]:
            if isinstance(m, nn.Linear):
                grads.append(m.weight.grad.T)
                if m.bias is not None:
                    grads.append(m.bias.grad)
            elif isinstance(m, nn.Conv2d):
                grads.append(m.weight.grad.permute(2, 3, 1, 0))
            else:
                grads += [m.weight.grad, m.bias.grad]
        return loss.item(), grads

    def step(self):
        loss = self.loss()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


# ---------------------------------------------------------------- the server

class LossStep:
    def __init__(self, case, impl, n, x, params):
        self.leaves = x
        for t in x.values():
            t.requires_grad_(case not in ('moco',) or t is x['q'])
        p = params
        if impl == 'torch':
            target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
            self.forward = {
                'triplet': lambda: triplet(x['a'], x['p'], x['n'], p['margin']),
                'nPair': lambda: n_pair(x['a'], x['p'], x['neg'], p['tau']),
                'infoNCE': lambda: info_nce(x['x'], x['y']),
                'ntXent': lambda: nt_xent(x['z1'], x['z2'], p['tau'], target),
                'moco': lambda: moco(x['q'], x['k'], x['queue'], p['tau']),
            }[case]
            self.skip = None
        else:
            self.forward, self.skip = pml_step(case + ('/supcon' if impl == 'pml-supcon' else ''), n, x, p)

    def run(self):
        for t in self.leaves.values():
            t.grad = None
        loss = self.forward()
        loss.backward()
        return loss

    def check(self, float64):
        """(value, {name: gradient}) of one forward+backward, on float64 copies if asked."""
        if not float64:
            value = self.run().item()
            return value, {k: t.grad for k, t in self.leaves.items() if t.grad is not None}
        saved = dict(self.leaves)
        try:
            for k, t in saved.items():
                self.leaves[k] = t.detach().double().requires_grad_(t.requires_grad)
            value = self.run().item()
            return value, {k: t.grad for k, t in self.leaves.items() if t.grad is not None}
        finally:
            self.leaves.update(saved)


def handle(req, steps):
    op = req['op']
    if op == 'prepare':
        directory = req['dir']
        x = {name: read_f32(os.path.join(directory, f'{name}.f32'), shape) for name, shape in req['inputs'].items() if name != 'views'}
        case = req['case']
        if case.startswith('simclr-'):
            steps[req['id']] = SimCLRStep(case.split('-')[1], directory, req['inputs'], req['params'], req['weights'])
            return {'ok': True}
        s = LossStep(case, req['impl'], req['n'], x, req['params'])
        if s.skip is not None:
            return {'skip': s.skip}
        steps[req['id']] = s
        return {'ok': True, 'note': PML_NOTES.get(case + ('/supcon' if req['impl'] == 'pml-supcon' else '')) if req['impl'] != 'torch' else None}
    s = steps[req['id']]
    if op == 'check':
        if isinstance(s, SimCLRStep):
            value, grads = s.check(req.get('float64', False))
            names = [f'g{i}' for i in range(len(grads))]
        else:
            value, by_name = s.check(req.get('float64', False))
            names, grads = list(by_name), list(by_name.values())
        for name, g in zip(names, grads):
            write_f32(os.path.join(req['out'], f'{name}.f32'), g)
        return {'value': value, 'grads': names}
    if op == 'step':
        start, cpu = time.perf_counter(), time.process_time()
        value = s.step() if isinstance(s, SimCLRStep) else s.run().item()
        return {'ms': (time.perf_counter() - start) * 1000, 'cpu_ms': (time.process_time() - cpu) * 1000, 'value': value}
    if op == 'drop':
        steps.pop(req['id'], None)
        return {'ok': True}
    raise ValueError(f'unknown op {op!r}; valid: prepare, check, step, drop')


def main():
    # As many threads as the tfjs side (bench passes it); one by default.
    torch.set_num_threads(int(os.environ.get('CLAB_PEER_THREADS', '1')))
    torch.manual_seed(0)
    capability = getattr(getattr(torch.backends, 'cpu', None), 'get_cpu_capability', lambda: None)()  # torch >= 2.0
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'pml': getattr(pml, '__version__', None), 'python': sys.executable,
                      'simd': capability}), flush=True)
    steps = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line), steps)
        except Exception as e:  # answer, so the client reports it instead of waiting forever
            reply = {'error': f'{type(e).__name__}: {e}'}
        print(json.dumps(reply), flush=True)


if __name__ == '__main__':
    main()
