import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// npm puts node_modules/.bin first on PATH, and there `tsc` may be tslab's bundled TypeScript
// 5.0.4 (both packages declare a `tsc` bin; which one npm links is not up to us). The build and
// type-check must run the TypeScript this project pins, so the scripts call it by path.
const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const installed = (JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;

describe('package.json build and typecheck scripts', function () {
  this.timeout(60_000);

  for (const script of ['build', 'typecheck']) {
    it(`npm run ${script} -- --version prints the version package.json pins for typescript (${pkg.dependencies.typescript})`, () => {
      // `--version` is appended to the script's tsc command: tsc then prints its version and exits.
      const res = spawnSync('npm', ['run', '--silent', script, '--', '--version'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(res.status, 0, `${res.stdout}${res.stderr}`);
      assert.equal(res.stdout.trim(), `Version ${pkg.dependencies.typescript}`);
      assert.equal(installed, pkg.dependencies.typescript, 'node_modules/typescript is the pinned version (npm ci)');
    });
  }

  it('the build config (tsconfig.build.json: Node types only, no lib.dom) type-checks what it builds', () => {
    // tsconfig.json also covers scripts/ and bench/, whose imports bring lib.dom's globals
    // (WebAssembly, Blob, ...) into the check; a library file leaning on them passes there and
    // fails only in the build, where setup prints a warning and emits anyway.
    const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noEmit', '--incremental', 'false'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(res.status, 0, `tsc -p tsconfig.build.json:\n${res.stdout}${res.stderr}`);
  });

  it('build and typecheck name the project typescript package by path, not the tsc on PATH', () => {
    for (const script of ['build', 'typecheck']) {
      const words = pkg.scripts[script].split(/\s+/);
      assert.equal(words[0], 'node', `${script}: ${pkg.scripts[script]}`);
      assert.equal(path.resolve(ROOT, words[1]), path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'));
    }
  });
});
