import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../engine/project_root';
import { childNodeArgs, ChildSnapshotInputs, ensureChildSnapshot } from './code_cache_dir';
import { prepareSandbox } from './prepare_sandbox';
import { SandboxCommand } from './sandbox_command';
import { sandboxBase } from './sandbox_files';

describe("the sandboxed children's startup snapshot (child_snapshot.ts, code_cache_dir.ts)", function () {
  this.timeout(240000);
  let tmp: string;
  let inputs: ChildSnapshotInputs;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-childsnap-'));
    const base = sandboxBase(PROJECT_ROOT);
    // No OS wrappers: the child runs as this user, who owns tmp.
    const command: SandboxCommand = { prefix: [], dropsUser: false, isolation: { permissionModel: true, network: 'not isolated (test)', user: 'this user (test)', memory: 'heap', networkIsolated: false } };
    inputs = { projectRoot: PROJECT_ROOT, cacheDir: path.join(tmp, 'cache'), nodeModules: path.join(PROJECT_ROOT, 'node_modules'), readablePackages: base.readablePackages, command, memoryMb: 512, childSnapshotJs: base.files.get('child_snapshot.js')! };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Runs `script` (in a folder of its own) from `blob` as the sandbox starts a child; its stdout, parsed. */
  function runChild(blob: string | null, script: string, lib: string): Record<string, unknown> {
    const dir = fs.mkdtempSync(path.join(tmp, 'child-'));
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib', 'uses_tf.js'), lib);
    fs.writeFileSync(path.join(dir, 'main.js'), script);
    const args = childNodeArgs(512, [dir, ...inputs.readablePackages], blob, path.join(dir, 'main.js'));
    const r = spawnSync(args[0], args.slice(1), { cwd: dir, env: { NODE_PATH: inputs.nodeModules, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  const probe = `
const f = require.resolve('@tensorflow/tfjs');
const preloaded = require.cache[f] !== undefined;
const tf = require('@tensorflow/tfjs');
const denied = (g) => { try { g(); return 'allowed'; } catch (e) { return e.code ?? e.name; } };
process.stdout.write(JSON.stringify({
  preloaded,
  sameForTheLibrary: require('./lib/uses_tf').tf === tf,
  sum: tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0]),
  backend: tf.getBackend(),
  readOutside: denied(() => require('fs').readFileSync('/etc/hostname')),
  spawn: denied(() => require('child_process').execFileSync('/bin/true')),
  evalRefused: denied(() => (0, eval)('1')) !== 'allowed',
  wasm: typeof WebAssembly,
}));
`;

  it("is made once per environment in the grader's private folder, read-only to everyone else, and another V8 flag is another snapshot", () => {
    const blob = ensureChildSnapshot(inputs)!;
    assert.ok(blob !== null && blob.startsWith(`${inputs.cacheDir}${path.sep}child-snapshot-`), String(blob));
    const dir = path.dirname(blob);
    for (const f of ['.', ...fs.readdirSync(dir)]) {
      const st = fs.statSync(path.join(dir, f));
      assert.equal(st.uid, process.getuid!(), f);
      assert.equal(st.mode & 0o022, 0, `${f} is writable by others (mode ${(st.mode & 0o777).toString(8)})`);
    }
    const made = fs.statSync(path.join(dir, '.complete')).mtimeMs;
    assert.equal(ensureChildSnapshot(inputs), blob, 'the same environment finds it');
    assert.equal(fs.statSync(path.join(dir, '.complete')).mtimeMs, made, 'and does not make it again');
    assert.notEqual(ensureChildSnapshot({ ...inputs, memoryMb: 640 }), blob, 'other V8 flags: another snapshot');
  });

  it("a child started from it finds tfjs loaded, the library gets the same tfjs through Node's loader, and the permission model and the seal's V8 flags hold as without it", () => {
    const blob = ensureChildSnapshot(inputs)!;
    const lib = "exports.tf = require('@tensorflow/tfjs');\n";
    const from = runChild(blob, probe, lib);
    const plain = runChild(null, probe, lib);
    assert.equal(from.preloaded, true, 'from the snapshot, tfjs is in the module cache before the first require');
    assert.equal(plain.preloaded, false);
    for (const r of [from, plain]) {
      assert.deepEqual(
        { sameForTheLibrary: r.sameForTheLibrary, sum: r.sum, backend: r.backend, readOutside: r.readOutside, spawn: r.spawn, evalRefused: r.evalRefused, wasm: r.wasm },
        { sameForTheLibrary: true, sum: 12, backend: 'cpu', readOutside: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', evalRefused: true, wasm: 'undefined' },
      );
    }
  });

  it('a snapshot whose child does not find tfjs loaded is not used, and not made again in that environment', () => {
    const without = { ...inputs, childSnapshotJs: "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => require('node:module')._load(require('node:path').resolve(process.argv[1]), null, true));\n" };
    assert.equal(ensureChildSnapshot(without), null);
    const dir = fs.readdirSync(inputs.cacheDir).map((d) => path.join(inputs.cacheDir, d)).find((d) => /not used/.test(fs.readFileSync(path.join(d, '.complete'), 'utf8')))!;
    assert.ok(dir, 'the attempt is recorded');
    assert.equal(fs.existsSync(path.join(dir, 'child.blob')), false);
    const made = fs.statSync(path.join(dir, '.complete')).mtimeMs;
    assert.equal(ensureChildSnapshot(without), null);
    assert.equal(fs.statSync(path.join(dir, '.complete')).mtimeMs, made);
  });

  it('the sandbox set-up gives the children one on this machine (so the red-team and canary runs start from it)', () => {
    assert.notEqual(prepareSandbox(PROJECT_ROOT, 512).childSnapshot, null);
  });
});
