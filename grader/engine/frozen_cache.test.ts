import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { graderCacheDir } from '../sandbox/grader_cache';
import { courseSourcesKey, loadPublicTests } from './frozen_cache';
import { loadExercises } from './load_exercises';
import { PROJECT_ROOT } from './project_root';

describe('frozen tests kept per environment (frozen_cache.ts)', function () {
  this.timeout(300000);

  it("loadPublicTests: check's public tests, as the specs freeze them, and kept in the grader's cache", () => {
    const fromSpecs = JSON.parse(JSON.stringify(loadExercises(PROJECT_ROOT, ['public']).freeze())) as unknown;
    const loaded = loadPublicTests(PROJECT_ROOT);
    assert.deepEqual(loaded.freeze(), fromSpecs);
    assert.deepEqual(loadPublicTests(PROJECT_ROOT).freeze(), fromSpecs, 'read back from the cache');
    assert.ok(fs.existsSync(path.join(graderCacheDir()!, `public-tests-${courseSourcesKey(PROJECT_ROOT)}.json`)));
    assert.deepEqual(loaded.specs, []);
    assert.throws(() => loaded.freeze(() => 7), /the public tests frozen for check are frozen with their fixed seeds, and no other inputs can be made here/);
  });

  it('courseSourcesKey changes with a spec, a reference, a library file, the grader, package-lock.json; not with a test or an exercise file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-frozen-key-'));
    try {
      const files: Record<string, string> = {
        'grader/specs/ex01-triplet.ts': 'seed: 101',
        'grader/engine/freeze_exercise.ts': 'freeze',
        'solutions/ex01-triplet.ts': 'reference',
        'lib/losses/triplet.ts': 'library',
        'package-lock.json': '{"@tensorflow/tfjs": "4.22.0"}',
        'grader/specs/known_mistakes.test.ts': 'a test',
        'exercises/ex01-triplet.ts': "the student's file",
      };
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      fs.mkdirSync(path.join(dir, 'grader', 'bin'));
      fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', 'bin', 'compiled_grader.js'), path.join(dir, 'grader', 'bin', 'compiled_grader.js'));
      const seen = new Set([courseSourcesKey(dir, true)]);
      for (const rel of ['grader/specs/known_mistakes.test.ts', 'exercises/ex01-triplet.ts']) {
        fs.appendFileSync(path.join(dir, rel), ' edited');
        assert.ok(seen.has(courseSourcesKey(dir, true)), rel);
      }
      for (const rel of ['grader/specs/ex01-triplet.ts', 'grader/engine/freeze_exercise.ts', 'solutions/ex01-triplet.ts', 'lib/losses/triplet.ts', 'package-lock.json']) {
        fs.appendFileSync(path.join(dir, rel), ' edited');
        const key = courseSourcesKey(dir, true);
        assert.ok(!seen.has(key), rel);
        seen.add(key);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
