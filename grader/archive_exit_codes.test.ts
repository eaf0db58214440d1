import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './engine';
import { HOSTILE_ARCHIVES } from './fixtures/archive_fixtures';

function grade(zip: string, out: string, json = false) {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'grade', zip, '--out', out, ...(json ? ['--json'] : [])], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 240000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A broken or refused archive must end `clab-grade grade` with exit 3 and one line naming the
// archive and the reason, every time, with the type-check on: a CI job that grades such a file
// must go red. Five refused kinds, three runs each (every refused kind's message is checked
// in-process by engine/read_submission.test.ts; the exit code lost while the type-check worker
// stopped, by engine/typecheck_async.test.ts).
const KINDS = [/^corrupt/, /^truncated/, /^over 50 MB/, /^a symbolic link to a zip/, /^an unsupported compression method/];

describe('clab-grade grade <refused archive> (type-check on)', function () {
  this.timeout(600000);
  let dir: string;
  const refused = KINDS.map((k) => HOSTILE_ARCHIVES.find((h) => k.test(h.name) && 'refused' in h.expect)!);
  const made = new Map<string, string>();
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-exit3-'));
    for (const [i, h] of refused.entries()) made.set(h.name, h.make(path.join(dir, `refused-${i}.zip`), path.join(dir, `work-${i}`)));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [i, kind] of KINDS.entries()) {
    it(`${kind.source.slice(1)}: exit 3 and one stderr line naming the archive and the reason, in each of 3 runs`, () => {
      const h = refused[i];
      const zip = made.get(h.name)!;
      for (let k = 0; k < 3; k++) {
        const r = grade(zip, path.join(dir, 'out'));
        assert.equal(r.code, 3, `run ${k + 1}: exit ${r.code}\n${r.err}`);
        const lines = r.err.trimEnd().split('\n');
        assert.equal(lines.length, 1, r.err);
        assert.ok(lines[0].startsWith(`clab-grade grade: ${zip}`), lines[0]);
        assert.match(lines[0], (h.expect as { refused: RegExp }).refused);
      }
    });
  }

  it('--json prints the error document with exitCode 3 and the reason, and exits 3', () => {
    const h = refused[KINDS.findIndex((k) => k.test('over 50 MB'))];
    const r = grade(made.get(h.name)!, path.join(dir, 'out'), true);
    assert.equal(r.code, 3, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.format, 'clab-grade/error@1');
    assert.equal(doc.exitCode, 3);
    assert.match(doc.error, /too large: 52(\.\d)? MB, the limit is 50 MB/);
  });
});
