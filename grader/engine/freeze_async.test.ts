import assert from 'node:assert/strict';
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
