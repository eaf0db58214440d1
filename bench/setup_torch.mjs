#!/usr/bin/env node
// npm run bench:setup - the PyTorch peer for bench/ (never needed by npm test): a project-local
// virtualenv bench/.venv with pip's newest torch (CPU) and pytorch-metric-learning, installed
// with pip as this machine configures it (no index URL here). `--retries 0`: when the default
// index cannot be reached, pip moves on to the configured one at once instead of retrying it
// five times per package. A finished venv is marked by bench/.venv/.clab-ready; an unfinished
// one (interrupted, or pip failed) is removed and made again on the next run.
//
//   npm run bench:setup            # make it if missing, then print what the benchmarks will use
//   npm run bench:setup -- --force # remove and remake it
//
// If pip cannot install torch here, the benchmarks fall back to Debian's torch 1.13
// (`apt-get install python3-torch`, run by /usr/bin/python3), without pytorch-metric-learning.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const venv = path.join(here, '.venv');
const marker = path.join(venv, '.clab-ready');
const python = path.join(venv, 'bin', 'python');
const packages = ['torch', 'pytorch_metric_learning'];

function run(cmd, args) {
  console.log(`[bench:setup] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r.status === 0;
}

function versions() {
  const code = "import torch\ntry:\n import pytorch_metric_learning as p; v = p.__version__\nexcept ImportError:\n v = 'not installed'\nprint(f'torch {torch.__version__}, pytorch-metric-learning {v}')";
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

if (process.argv.includes('--force') || (fs.existsSync(venv) && !fs.existsSync(marker))) {
  console.log(`[bench:setup] removing ${fs.existsSync(marker) ? '' : 'unfinished '}${path.relative(process.cwd(), venv)}`);
  fs.rmSync(venv, { recursive: true, force: true });
}
if (!fs.existsSync(marker)) {
  const t0 = Date.now();
  const base = process.env.CLAB_PYTHON_FOR_VENV ?? 'python3';
  const ok =
    run(base, ['-m', 'venv', venv]) &&
    run(python, ['-m', 'pip', 'install', '--retries', '0', '--disable-pip-version-check', ...packages]);
  if (!ok || versions() === null) {
    fs.rmSync(venv, { recursive: true, force: true });
    console.error('[bench:setup] pip could not install torch here. The benchmarks can use Debian\'s torch 1.13 instead:');
    console.error('[bench:setup]   apt-get install python3-torch      (then npm run bench:losses finds /usr/bin/python3)');
    process.exit(1);
  }
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`[bench:setup] made in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`[bench:setup] ready: ${path.relative(process.cwd(), python)}: ${versions()}`);
