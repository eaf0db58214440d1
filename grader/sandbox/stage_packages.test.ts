import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stagePackages } from './stage_packages';

const isRoot = process.getuid?.() === 0;

describe('stagePackages(packages, nodeModules, cacheRoot) puts packages where the sandbox user can read them', () => {
  let tmp: string;
  let nm: string;
  let cache: string;
  let pkgs: string[];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-stage-')); // 0700, like the bug's checkout
    nm = path.join(tmp, 'checkout', 'node_modules');
    const a = path.join(nm, '@scope', 'a');
    const nested = path.join(nm, 'b', 'node_modules', 'c');
    fs.mkdirSync(a, { recursive: true });
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(path.join(a, 'package.json'), '{"version":"1.0.0"}', { mode: 0o644 });
    fs.writeFileSync(path.join(a, 'secret.js'), 'module.exports = 1;', { mode: 0o600 });
    fs.writeFileSync(path.join(a, 'cli.js'), '#!/usr/bin/env node', { mode: 0o700 });
    fs.writeFileSync(path.join(nm, 'b', 'package.json'), '{"version":"2.0.0"}', { mode: 0o644 });
    fs.writeFileSync(path.join(nested, 'index.js'), 'exports.c = 3;', { mode: 0o644 });
    fs.chmodSync(path.join(nm, 'b'), 0o700);
    pkgs = [path.join(nm, '@scope', 'a'), path.join(nm, 'b'), nested];
    cache = path.join(tmp, 'cache');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stagePackages mirrors the node_modules layout, every folder 0755, and the same bytes in every file', () => {
    const s = stagePackages(pkgs, nm, cache);
    assert.equal(s.reused, false);
    assert.deepEqual(s.packages, pkgs.map((p) => path.join(s.nodeModules, path.relative(nm, p))));
    for (const rel of ['@scope/a/package.json', '@scope/a/secret.js', '@scope/a/cli.js', 'b/package.json', 'b/node_modules/c/index.js']) {
      assert.equal(fs.readFileSync(path.join(s.nodeModules, rel), 'utf8'), fs.readFileSync(path.join(nm, rel), 'utf8'), rel);
    }
    for (const d of [path.dirname(s.nodeModules), s.nodeModules, ...s.packages, path.join(s.nodeModules, '@scope')]) {
      assert.equal(fs.statSync(d).mode & 0o777, 0o755, d);
    }
    assert.equal(s.linked + s.copied, 5);
  });

  it('a world-readable file is hard-linked (same inode); a private one is copied as 0644/0755 and the original keeps its mode', () => {
    const s = stagePackages(pkgs, nm, cache);
    const orig = (rel: string) => fs.statSync(path.join(nm, rel));
    const staged = (rel: string) => fs.statSync(path.join(s.nodeModules, rel));
    assert.equal(staged('@scope/a/package.json').ino, orig('@scope/a/package.json').ino);
    assert.notEqual(staged('@scope/a/secret.js').ino, orig('@scope/a/secret.js').ino);
    assert.equal(staged('@scope/a/secret.js').mode & 0o777, 0o644);
    assert.equal(staged('@scope/a/cli.js').mode & 0o777, 0o755);
    assert.equal(orig('@scope/a/secret.js').mode & 0o777, 0o600);
    assert.equal(orig('@scope/a/cli.js').mode & 0o777, 0o700);
    assert.equal(orig('@scope/a/package.json').mode & 0o777, 0o644);
    assert.deepEqual([s.linked, s.copied], [3, 2]);
  });

  it('a second call reuses the same copy; a changed file makes a new one', () => {
    const first = stagePackages(pkgs, nm, cache);
    const again = stagePackages(pkgs, nm, cache);
    assert.equal(again.reused, true);
    assert.equal(again.nodeModules, first.nodeModules);
    fs.writeFileSync(path.join(nm, 'b', 'package.json'), '{"version":"2.0.1"}');
    const changed = stagePackages(pkgs, nm, cache);
    assert.equal(changed.reused, false);
    assert.notEqual(changed.nodeModules, first.nodeModules);
    assert.equal(fs.readFileSync(path.join(changed.nodeModules, 'b', 'package.json'), 'utf8'), '{"version":"2.0.1"}');
  });

  it('half-made copies of other graders (.tmp-packages-*) are ignored, and only complete copies are reused', () => {
    fs.mkdirSync(path.join(cache, '.tmp-packages-1-abc', 'node_modules'), { recursive: true });
    const s = stagePackages(pkgs, nm, cache);
    assert.equal(s.reused, false);
    assert.ok(fs.existsSync(path.join(path.dirname(s.nodeModules), '.complete')));
  });

  it('refuses a cache folder that others can write to, naming it, its mode and the fix', () => {
    fs.mkdirSync(cache, { mode: 0o777 });
    fs.chmodSync(cache, 0o777);
    assert.throws(() => stagePackages(pkgs, nm, cache), /is not a folder owned by uid \d+ that only it can write \(mode 777, owner \d+\); remove it or set TMPDIR elsewhere/);
  });

  it('refuses a package outside node_modules (a linked package) instead of staging part of it', () => {
    assert.throws(() => stagePackages([...pkgs, tmp], nm, cache), /is not inside .*node_modules \(a linked package\?\); it cannot be staged/);
  });

  it('as root: the staged copy is readable by nobody although the checkout is not', function () {
    if (!isRoot) this.skip();
    const s = stagePackages(pkgs, nm, cache);
    // tmp is 0700: nobody cannot enter the checkout, but can read the staged copy when the cache sits in a 0755 folder.
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-stage-open-'));
    try {
      fs.chmodSync(open, 0o755);
      const s2 = stagePackages(pkgs, nm, path.join(open, 'cache'));
      const read = (p: string) => execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(p)}, 'utf8'))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(read(path.join(s2.nodeModules, 'b', 'node_modules', 'c', 'index.js')), 'exports.c = 3;');
      assert.throws(() => read(path.join(nm, 'b', 'node_modules', 'c', 'index.js')));
      assert.ok(s.nodeModules.startsWith(tmp));
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});
