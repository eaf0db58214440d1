import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KERNEL_ENV, KERNEL_NAME, registerKernel } from './kernelspec.mjs';

// Set-up's kernelspec step, in a temp folder standing in for .jupyter-local.
describe('scripts/setup/kernelspec.mjs registerKernel', () => {
  let dir: string;
  const dataDir = () => path.join(dir, 'share', 'jupyter');
  const configDir = () => path.join(dir, 'etc', 'jupyter');
  const read = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(...p), 'utf8')) as Record<string, unknown>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-kernelspec-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes clab-typescript ("TypeScript"): this Node running the checkout\'s dist/kernel/main.js, interrupts by message, polling file watches', () => {
    const line = registerKernel({ root: '/checkout', dataDir: dataDir(), configDir: configDir(), node: '/opt/node/bin/node' });
    assert.match(line, /^registered \(clab-typescript, /);
    const spec = read(dataDir(), 'kernels', KERNEL_NAME, 'kernel.json');
    assert.deepEqual(spec.argv, ['/opt/node/bin/node', '/checkout/dist/kernel/main.js', '{connection_file}']);
    assert.equal(spec.display_name, 'TypeScript');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.deepEqual(spec.env, KERNEL_ENV);
    assert.ok(fs.existsSync(path.join(dataDir(), 'kernels', KERNEL_NAME, 'logo-svg.svg')));
  });

  it("writes JupyterLab's defaults for the checkout: no news prompt, no update check", () => {
    registerKernel({ root: '/checkout', dataDir: dataDir(), configDir: configDir() });
    assert.deepEqual(read(configDir(), 'labconfig', 'default_setting_overrides.json'), {
      '@jupyterlab/apputils-extension:notification': { fetchNews: 'false', checkForUpdates: false },
    });
  });

  it('removes the tslab and jslab kernelspecs earlier set-ups registered, and says so', () => {
    for (const old of ['tslab', 'jslab']) {
      fs.mkdirSync(path.join(dataDir(), 'kernels', old), { recursive: true });
      fs.writeFileSync(path.join(dataDir(), 'kernels', old, 'kernel.json'), '{}');
    }
    const line = registerKernel({ root: '/checkout', dataDir: dataDir(), configDir: configDir() });
    assert.match(line, /removed the old tslab, jslab kernelspecs/);
    assert.deepEqual(fs.readdirSync(path.join(dataDir(), 'kernels')), [KERNEL_NAME]);
  });

  it('is idempotent: a second call changes nothing and says ok; another Node or checkout registers again', () => {
    registerKernel({ root: '/checkout', dataDir: dataDir(), configDir: configDir(), node: '/a/node' });
    assert.match(registerKernel({ root: '/checkout', dataDir: dataDir(), configDir: configDir(), node: '/a/node' }), /^ok /);
    assert.match(registerKernel({ root: '/moved', dataDir: dataDir(), configDir: configDir(), node: '/a/node' }), /^registered /);
    assert.equal((read(dataDir(), 'kernels', KERNEL_NAME, 'kernel.json').argv as string[])[1], '/moved/dist/kernel/main.js');
  });
});
