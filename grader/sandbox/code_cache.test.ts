import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../engine/project_root';
import { childV8Flags, ensureCodeCache } from './code_cache_dir';
import { sandboxBase } from './sandbox_files';

describe("the sandboxed children's code cache (code_cache.ts, code_cache_dir.ts)", function () {
  this.timeout(240000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-codecache-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const codeCacheJs = (): string => sandboxBase(PROJECT_ROOT).files.get('code_cache.js')!;
  const nodeModules = path.join(PROJECT_ROOT, 'node_modules');

  /** Loads tfjs in a child with the sandbox's V8 flags, compiling package files from `dir`. */
  function loadTfjs(dir: string, memoryMb: number): { used: number; refused: number } {
    const script = path.join(tmp, `load-${process.pid}.js`);
    fs.writeFileSync(script, `${codeCacheJs()}
const use = module.exports.useCodeCache(${JSON.stringify(dir)}, 'use');
require('@tensorflow/tfjs');
use.restore();
process.stdout.write(JSON.stringify({ used: use.used, refused: use.refused }));
`);
    const r = spawnSync(process.execPath, [...childV8Flags(memoryMb), script], { env: { NODE_PATH: nodeModules, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  it("is made once per environment in the grader's private folder, read-only to everyone else, and the children's V8 takes it", () => {
    const cacheDir = path.join(tmp, 'cache');
    const inputs = { projectRoot: PROJECT_ROOT, cacheDir, nodeModules, memoryMb: 512, codeCacheJs: codeCacheJs() };
    const dir = ensureCodeCache(inputs)!;
    assert.ok(dir !== null && dir.startsWith(`${cacheDir}${path.sep}code-cache-`), String(dir));
    const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.bin'));
    assert.ok(entries.length > 0, 'entries were written');
    for (const f of ['.', ...fs.readdirSync(dir)]) {
      const st = fs.statSync(path.join(dir, f));
      assert.equal(st.uid, process.getuid!(), f);
      assert.equal(st.mode & 0o022, 0, `${f} is writable by others (mode ${(st.mode & 0o777).toString(8)})`);
    }
    const made = fs.statSync(path.join(dir, '.complete')).mtimeMs;
    assert.equal(ensureCodeCache(inputs), dir, 'the same environment finds it');
    assert.equal(fs.statSync(path.join(dir, '.complete')).mtimeMs, made, 'and does not make it again');
    assert.notEqual(ensureCodeCache({ ...inputs, memoryMb: 640 }), dir, 'other V8 flags: another cache (V8 would refuse this one)');

    const loaded = loadTfjs(dir, 512);
    assert.equal(loaded.refused, 0, 'made with the children’s flags: V8 takes every entry');
    assert.equal(loaded.used, entries.length);
  });

  it("the grader's own (mode fill): a first run writes an entry for each package file it compiled, a second compiles none of them", () => {
    const dir = path.join(tmp, 'fill');
    fs.mkdirSync(dir);
    const script = path.join(tmp, `fill-${process.pid}.js`);
    fs.writeFileSync(script, `${codeCacheJs()}
const use = module.exports.useCodeCache(${JSON.stringify(dir)}, 'fill');
require('typescript');
use.restore();
process.stdout.write(JSON.stringify({ used: use.used, refused: use.refused, written: use.write() }));
`);
    const run = (): { used: number; refused: number; written: number } => {
      const r = spawnSync(process.execPath, [script], { env: { NODE_PATH: nodeModules, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const first = run();
    assert.equal(first.used, 0);
    assert.ok(first.written > 0);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).length, first.written);
    assert.deepEqual(run(), { used: first.written, refused: 0, written: 0 });
  });

  it('an entry is found only by the exact source it was made from: a changed package file compiles from its source', () => {
    const dir = ensureCodeCache({ projectRoot: PROJECT_ROOT, cacheDir: path.join(tmp, 'cache'), nodeModules, memoryMb: 512, codeCacheJs: codeCacheJs() })!;
    const renamed = path.join(tmp, 'renamed');
    fs.mkdirSync(renamed);
    // Entries under other names (as if every package file had changed): none is used.
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.bin'))) fs.copyFileSync(path.join(dir, f), path.join(renamed, `${f[0] === '0' ? '1' : '0'}${f.slice(1)}`));
    assert.deepEqual(loadTfjs(renamed, 512), { used: 0, refused: 0 });
  });
});
