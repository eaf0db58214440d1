import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Python interpreter that imports torch, and what it has. */
export interface TorchPython {
  /** The interpreter to run. */
  python: string;
  /** Where it came from: `--python`, `CLAB_TORCH_PYTHON`, `bench/.venv`, `Debian python3-torch`, `PATH`. */
  source: string;
  /** torch.__version__, e.g. `2.13.0+cpu`. */
  torch: string;
  /** pytorch_metric_learning.__version__, or null when it is not installed there. */
  pml: string | null;
}

/** The project-local virtualenv `npm run bench:setup` makes. */
export const BENCH_VENV = path.join(__dirname, '.venv');

const PROBE = [
  'import json, sys, torch',
  'try:\n import pytorch_metric_learning as p; v = p.__version__\nexcept ImportError:\n v = None',
  "print(json.dumps({'torch': torch.__version__, 'pml': v}))",
].join('\n');

function probe(python: string, source: string): TorchPython | string {
  if (path.isAbsolute(python) && !fs.existsSync(python)) return `${source} (${python}): not there`;
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${source} (${python}): ${r.error.message}`;
  if (r.status !== 0) return `${source} (${python}): ${(r.stderr || '').trim().split('\n').pop()}`;
  const info = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; pml: string | null };
  return { python, source, ...info };
}

/** Numeric (major, minor, patch) of a torch version string, for ordering. */
function versionKey(v: string): number[] {
  return (v.match(/^\d+(\.\d+)*/)?.[0] ?? '0').split('.').map(Number);
}

function newer(a: TorchPython, b: TorchPython): boolean {
  const [x, y] = [versionKey(a.torch), versionKey(b.torch)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
}

/**
 * Finds the newest PyTorch this machine has, for the benchmarks' peer: `explicit` (a --python
 * flag) or `CLAB_TORCH_PYTHON` if given (used as is, or an error), else the newest torch among
 * `bench/.venv` (made by `npm run bench:setup`: pip's torch 2.x and pytorch-metric-learning),
 * Debian's `/usr/bin/python3` (`apt-get install python3-torch`, 1.13) and the `python3` on PATH.
 * @returns the interpreter, or a message listing every candidate and why it failed
 */
export function findTorch(explicit?: string): TorchPython | string {
  const forced = explicit ?? process.env.CLAB_TORCH_PYTHON;
  if (forced !== undefined && forced !== '') {
    const r = probe(forced, explicit !== undefined ? '--python' : 'CLAB_TORCH_PYTHON');
    return typeof r === 'string' ? `no torch in ${r}` : r;
  }
  const candidates: [string, string][] = [
    [path.join(BENCH_VENV, 'bin', 'python'), 'bench/.venv'],
    ['/usr/bin/python3', 'Debian python3-torch'],
    ['python3', 'PATH'],
  ];
  const failures: string[] = [];
  let best: TorchPython | null = null;
  for (const [python, source] of candidates) {
    const r = probe(python, source);
    if (typeof r === 'string') failures.push(r);
    else if (best === null || newer(r, best)) best = r;
  }
  if (best !== null) return best;
  return `no Python with torch found: ${failures.join('; ')}. Run \`npm run bench:setup\` (pip: torch 2.x and pytorch-metric-learning into bench/.venv) or \`apt-get install python3-torch\` (Debian, torch 1.13)`;
}
