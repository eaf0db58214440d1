import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from './project_root';

// The type-check worker is unref'ed while idle so it never keeps a finished command alive. A
// check's answer that was already queued when the command stopped the worker (a verb that fails
// while the warm-up check finishes) must not unref it again while terminate() waits: the event
// loop would empty, and the process end with code 0 before the caller set its exit code.
const CHILD = `
const { typecheckAsync, stopTypecheckWorker } = require(${JSON.stringify(path.join(__dirname, 'typecheck_async.ts'))});
const root = ${JSON.stringify(PROJECT_ROOT)};
const files = new Map([['probe.ts', 'export const x: number = 1;\\n']]);
(async () => {
  await typecheckAsync(root, files); // the worker is up and has parsed the typings
  const t0 = Date.now();
  await typecheckAsync(root, files);
  const oneCheck = Date.now() - t0;
  void typecheckAsync(root, files);
  // Block this thread (no event loop turn) long enough for the worker to answer: its answer
  // waits in the queue while stopTypecheckWorker starts terminating the worker.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(2000, 20 * oneCheck));
  await stopTypecheckWorker();
  process.stdout.write('stopped\\n');
  process.exitCode = 3;
})();
`;

describe('typecheckAsync / stopTypecheckWorker', function () {
  this.timeout(120000);

  it('stopTypecheckWorker() keeps the process alive until the worker has stopped, even when a queued answer arrives meanwhile (the exit code set after it survives)', () => {
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 100000 });
    assert.equal(r.stdout, 'stopped\n', r.stderr);
    assert.equal(r.status, 3, r.stderr);
  });
});
