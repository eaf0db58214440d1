#!/usr/bin/env node
// The Jupyter ecosystem's kernel conformance suite (jupyter_kernel_test) against the kernel set-up
// registers: `npm test`'s `kernel` step.
//
//   node scripts/kernel_conformance.mjs
//
// The suite is Debian's python3-jupyter-kernel-test (pip's index does not carry it), run with
// Debian's Python (/usr/bin/python3, or CLAB_KERNEL_TEST_PYTHON) and its jupyter_client. The test
// class with this kernel's samples is kernel/test/conformance.py. Set-up runs first (kernelspec,
// dist/). Exit code: 0 every test passed, 1 a test failed or the suite is missing.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KERNEL_NAME, ROOT, setupOrExit } from './setup.mjs';

const PYTHON = process.env.CLAB_KERNEL_TEST_PYTHON || '/usr/bin/python3';
const SUITE = path.join('kernel', 'test', 'conformance.py');

export async function main() {
  const jupyter = await setupOrExit({ quiet: true, backend: false });
  const probe = spawnSync(PYTHON, ['-c', 'import jupyter_kernel_test, jupyter_client; print(jupyter_kernel_test.__version__, jupyter_client.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.error(
      `kernel_conformance: ${PYTHON} cannot import jupyter_kernel_test (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}).\n` +
        '  Install Debian\'s package: sudo apt-get install python3-jupyter-kernel-test (CI\'s .ci/run does),\n' +
        '  or point CLAB_KERNEL_TEST_PYTHON at a Python that has jupyter_kernel_test and jupyter_client.',
    );
    return 1;
  }
  const [suiteVersion, clientVersion] = probe.stdout.trim().split(' ');
  console.log(`kernel_conformance: jupyter_kernel_test ${suiteVersion} (jupyter_client ${clientVersion}, ${PYTHON}) against the kernelspec ${KERNEL_NAME}`);
  const child = spawn(PYTHON, ['-m', 'unittest', '-v', SUITE], {
    cwd: ROOT,
    env: { ...jupyter.env, CLAB_KERNEL_NAME: KERNEL_NAME, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: 'inherit',
  });
  const stop = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => stop(signal));
  return new Promise((resolve) => child.on('close', (code) => resolve(code === 0 ? 0 : 1)));
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  process.exitCode = await main();
}
