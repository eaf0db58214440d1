import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Mocha's own tsx hook loads single modules; a user's script loads lib/index.ts as a whole, in
// strict-mode CommonJS (esbuild), where a namespace named `eval` or `arguments` does not compile.
describe('lib/index.ts', () => {
  it('imports through tsx as a script would, and exports one namespace per lib folder', function () {
    this.timeout(90_000); // a fresh tsx compiles the whole library
    const script = `import * as clab from ${JSON.stringify(path.join(__dirname, 'index'))};\n` +
      `console.log(JSON.stringify(Object.keys(clab).filter((k) => /^[a-z]+$/.test(k) && typeof (clab as any)[k] === 'object').sort()));`;
    const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), '--eval', script], { encoding: 'utf8', timeout: 60_000 });
    const namespaces = JSON.parse(out.trim().split('\n').pop() as string) as string[];
    // every lib/ folder with an index.ts is a namespace, except backend (its exports are spread: clab.initBackend)
    const folders = fs.readdirSync(__dirname).filter((d) => fs.existsSync(path.join(__dirname, d, 'index.ts')) && d !== 'backend');
    assert.deepEqual(namespaces, [...folders, 'tf'].sort());
  });
});
