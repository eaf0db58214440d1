import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from './project_root';
import { compileSubmission } from './compile_submission';
import { FreezeWorkerGone, startFreezeWorker } from './freeze_async';
import { freshSeeds } from './fresh_seeds';
import { loadExercises } from './load_exercises';

const SECRET = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('the freeze worker (freeze_async.ts): fresh inputs frozen and files compiled off the main thread', function () {
  this.timeout(180000);

  it('gives, for each submission, exactly what freezing and compiling in this thread give (inputs, references, known mistakes: every number; the compiled files)', async () => {
    const worker = startFreezeWorker(PROJECT_ROOT, ['public', 'hidden'], SECRET);
    assert.ok(worker, 'a worker thread starts here');
    try {
      const here = loadExercises(PROJECT_ROOT, ['public', 'hidden']);
      const submissions = [new Map([['ex04-nt-xent.ts', '// one\n']]), new Map([['ex04-nt-xent.ts', '// two\n'], ['ex01-triplet.ts', 'x']])];
      const [a, b] = await Promise.all(submissions.map((files) => worker.prepare(files)));
      for (const [files, got] of [[submissions[0], a], [submissions[1], b]] as const) {
        const frozen = here.freeze(freshSeeds(SECRET, files));
        assert.deepStrictEqual(got.exercises, frozen);
        assert.deepStrictEqual(got.compiled, compileSubmission(files, frozen));
      }
      assert.notDeepStrictEqual(a.exercises[0].tests[0].seed, b.exercises[0].tests[0].seed, 'other files: other seeds');
      assert.deepEqual([...b.compiled.keys()].sort(), ['ex01-triplet.ts', 'ex04-nt-xent.ts'], 'each file the submission holds, compiled');
    } finally {
      await worker.stop();
    }
  });

  it('an idle worker never keeps the process alive: a process that starts one and asks nothing ends', () => {
    const child = `
      const { startFreezeWorker } = require(${JSON.stringify(require.resolve('./freeze_async'))});
      const w = startFreezeWorker(${JSON.stringify(PROJECT_ROOT)}, ['public'], Buffer.alloc(16, 1));
      process.stdout.write(w === null ? 'none' : 'started');`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', child], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.stdout, 'started', r.stderr);
    assert.equal(r.signal, null, 'still running after 60 s: the idle worker kept it alive');
    assert.equal(r.status, 0, r.stderr);
  });

  it('after the worker is gone, prepare says so (FreezeWorkerGone), so the session freezes in its own thread', async () => {
    const worker = startFreezeWorker(PROJECT_ROOT, ['public'], SECRET)!;
    await worker.stop();
    await assert.rejects(worker.prepare(new Map([['ex04-nt-xent.ts', '']])), FreezeWorkerGone);
  });

  it('a secret too short is refused in the worker as in this thread (an Error, not FreezeWorkerGone)', async () => {
    const worker = startFreezeWorker(PROJECT_ROOT, ['public'], new Uint8Array(4))!;
    try {
      await assert.rejects(worker.prepare(new Map([['ex04-nt-xent.ts', '']])), (e: Error) => !(e instanceof FreezeWorkerGone) && /at least 16 random bytes/.test(e.message));
    } finally {
      await worker.stop();
    }
  });
});
