import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { PROJECT_ROOT } from '../engine';
import { buildReleaseManifest, releaseManifestText } from '../engine/course_files';
import { exitCodeOf } from '../exit_codes';
import { TEST_LIMITS, TEST_SECRET } from '../fixtures/grade_fixture';
import { gradeAll } from '../grade_all/grade_all';
import type { ShardManifest } from '../report/shard_manifest';
import { mergeShards } from './merge';

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** A report with its timings blanked: results.json's execution_time, JUnit's time="..." and wall properties, each exercise's time line. */
function untimed(text: string): string {
  return text
    .replace(/"execution_time": \d+/g, '"execution_time": 0')
    .replace(/ time="[\d.]+"/g, ' time="0"')
    .replace(/<property name="wall" value="[\d.]+"\/>/g, '<property name="wall" value="0"/>')
    .replace(/[\d.]+ s of its ([\d.]+ s) budget \(wall [\d.]+ s\)/g, '0 s of its $1 budget (wall 0 s)');
}

describe('grade-all --shard K/N on N machines, then merge, equals one grade-all run', function () {
  this.timeout(300000);
  let root: string;
  const N = 3;
  const subs = () => path.join(root, 'subs');
  const fixture = (name: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'grader', 'fixtures', 'mistakes', name, 'ex04-nt-xent.ts.txt'), 'utf8');
  const run = (out: string, shard?: { index: number; count: number }) =>
    gradeAll({ dir: subs(), out: path.join(root, out), jobs: 2, force: false, progress: false, shard, secret: TEST_SECRET, grade: { ...TEST_LIMITS, only: ['ex04'] } });

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-merge-'));
    const reference = fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex04-nt-xent.ts'), 'utf8');
    fs.mkdirSync(path.join(subs(), 'alice'), { recursive: true });
    fs.writeFileSync(path.join(subs(), 'alice', 'ex04-nt-xent.ts'), reference);
    fs.writeFileSync(path.join(subs(), 'bob.zip'), zipSync({ 'repo/exercises/ex04-nt-xent.ts': strToU8(fixture('ex04-sum')) }));
    fs.writeFileSync(path.join(subs(), 'carol.zip'), 'not a zip');
    fs.mkdirSync(path.join(subs(), 'dave'));
    fs.writeFileSync(path.join(subs(), 'dave', 'ex04-nt-xent.ts'), fixture('ex04-no-temperature'));
    fs.mkdirSync(path.join(subs(), 'erin', 'exercises'), { recursive: true });
    fs.writeFileSync(path.join(subs(), 'erin', 'exercises', 'ex04-nt-xent.ts'), reference);
    await run('one');
    for (let k = 1; k <= N; k++) await run(`shard${k}`, { index: k, count: N });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('shard K of 3 gets submission i (sorted: alice, bob.zip, carol.zip, dave, erin) when i mod 3 = K - 1', () => {
    const rowsOf = (k: number) => (JSON.parse(fs.readFileSync(path.join(root, `shard${k}`, `shard-${k}-of-${N}.json`), 'utf8')) as ShardManifest).rows.map((r) => r.submission);
    assert.deepEqual(rowsOf(1), ['alice', 'dave']); // i = 0, 3
    assert.deepEqual(rowsOf(2), ['bob.zip', 'erin']); // i = 1, 4
    assert.deepEqual(rowsOf(3), ['carol.zip']); // i = 2
    for (let k = 1; k <= N; k++) assert.equal(fs.existsSync(path.join(root, `shard${k}`, 'gradebook.csv')), false, 'a shard writes no partial gradebook');
  });

  it('merge(shard1, shard2, shard3) writes the same files as the one-machine run, byte for byte apart from timings', () => {
    const r = mergeShards({ inputs: [1, 2, 3].map((k) => path.join(root, `shard${k}`)), out: path.join(root, 'merged') });
    assert.equal(r.code, 3); // carol.zip is not a zip: not graded, as in the one-machine run
    const one = path.join(root, 'one');
    const merged = path.join(root, 'merged');
    assert.deepEqual(tree(merged), tree(one));
    assert.ok(tree(one).length >= 1 + 4 * 4 + 1, tree(one).join(' ')); // gradebook, 4 graded x 4 files, carol's grade.json
    for (const f of tree(one)) assert.equal(untimed(fs.readFileSync(path.join(merged, f), 'utf8')), untimed(fs.readFileSync(path.join(one, f), 'utf8')), f);
    assert.equal(fs.readFileSync(path.join(merged, 'gradebook.csv'), 'utf8'), fs.readFileSync(path.join(one, 'gradebook.csv'), 'utf8'));
  });

  it('merge takes the parent folder download-artifact makes (one subfolder per shard)', () => {
    const parent = path.join(root, 'artifacts');
    for (let k = 1; k <= N; k++) fs.cpSync(path.join(root, `shard${k}`), path.join(parent, `grades-shard-${k}`), { recursive: true });
    const r = mergeShards({ inputs: [parent], out: path.join(root, 'merged2') });
    assert.deepEqual(r.rows.map((x) => x.submission), ['alice', 'bob.zip', 'carol.zip', 'dave', 'erin']);
    assert.equal(fs.readFileSync(path.join(root, 'merged2', 'gradebook.csv'), 'utf8'), fs.readFileSync(path.join(root, 'one', 'gradebook.csv'), 'utf8'));
  });

  it('merge refuses a missing shard, naming it and the shards it found', () => {
    assert.throws(() => mergeShards({ inputs: [path.join(root, 'shard1'), path.join(root, 'shard3')], out: path.join(root, 'x') }), /shard 2 of 3 is missing \(found shards 1, 3\); give every shard's folder/);
    assert.equal(fs.existsSync(path.join(root, 'x', 'gradebook.csv')), false);
  });

  it('merge refuses shards of different runs, and inputs without any manifest', () => {
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    const m = JSON.parse(fs.readFileSync(path.join(root, 'shard2', `shard-2-of-${N}.json`), 'utf8')) as ShardManifest;
    fs.writeFileSync(path.join(other, `shard-2-of-${N}.json`), JSON.stringify({ ...m, all: [...m.all, 'zed'] }));
    assert.throws(() => mergeShards({ inputs: [path.join(root, 'shard1'), other, path.join(root, 'shard3')], out: path.join(root, 'x') }), /is not from the same run as .* \(different shard count, submissions or exercises\)/);
    assert.throws(() => mergeShards({ inputs: [path.join(root, 'subs', 'alice')], out: path.join(root, 'x') }), /no shard-K-of-N.json found in the inputs/);
  });

  it("merge refuses shards graded with different instructor secrets (by fingerprint), and shards graded on the fixed seeds by an older grader", () => {
    const m = JSON.parse(fs.readFileSync(path.join(root, 'shard2', `shard-2-of-${N}.json`), 'utf8')) as ShardManifest;
    assert.equal(m.secret, TEST_SECRET.fingerprint);
    const write = (dir: string, manifest: object) => {
      fs.cpSync(path.join(root, 'shard2'), path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, `shard-2-of-${N}.json`), JSON.stringify(manifest));
      return [path.join(root, 'shard1'), path.join(root, dir), path.join(root, 'shard3')];
    };
    const other = write('other-secret', { ...m, secret: '0123456789abcdef' });
    assert.throws(() => mergeShards({ inputs: other, out: path.join(root, 'x') }), /shard-2-of-3.json was graded with the instructor secret 0123456789abcdef, .*shard-1-of-3.json with [0-9a-f]{16}; grade every shard with the same secret/);
    const old = write('old-format', { ...m, format: 'clab-grade/shard@1', secret: undefined });
    assert.throws(() => mergeShards({ inputs: old, out: path.join(root, 'x') }), /has format "clab-grade\/shard@1", expected clab-grade\/shard@3 \(or clab-grade\/shard@2\) \(graded by an older grader, on the fixed seeds: grade that shard again\)/);
    assert.equal(fs.existsSync(path.join(root, 'x', 'gradebook.csv')), false);
  });

  it('a shard records the release manifest its course-files marks were made against; merge refuses shards that disagree (some without one, or another one), naming both and the fix', async () => {
    const shardFile = (dir: string, k: number) => path.join(root, dir, `shard-${k}-of-${N}.json`);
    const read = (dir: string, k: number) => JSON.parse(fs.readFileSync(shardFile(dir, k), 'utf8')) as ShardManifest;
    assert.equal(read('shard1', 1).format, 'clab-grade/shard@3');
    assert.equal(read('shard1', 1).courseFiles, null, 'graded without --manifest: null, not absent');
    // A release manifest of a small course repository (what release writes beside the release).
    const course = path.join(root, 'course');
    fs.mkdirSync(path.join(course, 'grader'), { recursive: true });
    fs.writeFileSync(path.join(course, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(course, 'grader', 'x.ts'), 'export {};\n');
    const release = buildReleaseManifest(course);
    const manifestFile = path.join(root, 'release.manifest.json');
    fs.writeFileSync(manifestFile, releaseManifestText(release));
    // Shard 2 run again with --manifest: its rows are kept (same secret), only marked.
    fs.cpSync(path.join(root, 'shard2'), path.join(root, 'shard2-marked'), { recursive: true });
    const r = await gradeAll({ dir: subs(), out: path.join(root, 'shard2-marked'), jobs: 2, force: false, progress: false, shard: { index: 2, count: N }, manifest: manifestFile, secret: TEST_SECRET, grade: { ...TEST_LIMITS, only: ['ex04'] } });
    assert.deepEqual(r.rows.map((x) => x.courseFiles), ['not checked: no course files in the submission', 'not checked: no course files in the submission']);
    const marked = read('shard2-marked', 2);
    assert.deepEqual(marked.courseFiles, { path: manifestFile, digest: release.digest });
    assert.deepEqual(marked.rows.map((x) => x.score), read('shard2', 2).rows.map((x) => x.score), 'the same grades, marked');
    const mixed = [path.join(root, 'shard1'), path.join(root, 'shard2-marked'), path.join(root, 'shard3')];
    assert.throws(
      () => mergeShards({ inputs: mixed, out: path.join(root, 'x') }),
      (e: Error) => {
        assert.equal(exitCodeOf(e).code, 3);
        assert.match(e.message, new RegExp(`shard2-marked/shard-2-of-3\\.json marked course files against the release manifest ${manifestFile.replace(/[.\\/]/g, '\\$&')} \\(digest ${release.digest.slice(0, 12)}\\), .*shard1/shard-1-of-3\\.json against none \\(graded without --manifest\\): one gradebook column would mix them\\. Run grade-all --shard K/N again for the shards that differ, with the same --manifest as the others \\(or none on all\\)`));
        return true;
      },
    );
    // The same manifest at another path (another machine) agrees; another manifest does not.
    const rewrite = (dir: string, k: number, change: Partial<ShardManifest>) => {
      fs.cpSync(path.join(root, `shard${k}`), path.join(root, dir), { recursive: true });
      fs.writeFileSync(shardFile(dir, k), JSON.stringify({ ...read(`shard${k}`, k), ...change }));
      return path.join(root, dir);
    };
    const elsewhere = { courseFiles: { path: '/elsewhere/release.manifest.json', digest: release.digest } };
    const agreeing = [rewrite('shard1-m', 1, elsewhere), path.join(root, 'shard2-marked'), rewrite('shard3-m', 3, elsewhere)];
    assert.equal(mergeShards({ inputs: agreeing, out: path.join(root, 'merged-m') }).code, 3);
    const other = [rewrite('shard1-o', 1, { courseFiles: { path: manifestFile, digest: 'cd'.repeat(32) } }), path.join(root, 'shard2-marked'), rewrite('shard3-m2', 3, elsewhere)];
    assert.throws(() => mergeShards({ inputs: other, out: path.join(root, 'x') }), new RegExp(`shard-2-of-3\\.json marked course files against the release manifest .* \\(digest ${release.digest.slice(0, 12)}\\), .*shard1-o/shard-1-of-3\\.json against the release manifest .* \\(digest cdcdcdcdcdcd\\)`));
    assert.equal(fs.existsSync(path.join(root, 'x', 'gradebook.csv')), false);
  });

  it('shards written before the record (clab-grade/shard@2) still merge with each other, and are refused beside shards that record it', () => {
    const older = (k: number) => {
      const m = JSON.parse(fs.readFileSync(path.join(root, `shard${k}`, `shard-${k}-of-${N}.json`), 'utf8')) as ShardManifest;
      delete m.courseFiles;
      fs.cpSync(path.join(root, `shard${k}`), path.join(root, `v2-shard${k}`), { recursive: true });
      fs.writeFileSync(path.join(root, `v2-shard${k}`, `shard-${k}-of-${N}.json`), JSON.stringify({ ...m, format: 'clab-grade/shard@2' }));
      return path.join(root, `v2-shard${k}`);
    };
    const v2 = [1, 2, 3].map(older);
    mergeShards({ inputs: v2, out: path.join(root, 'merged-v2') });
    assert.equal(fs.readFileSync(path.join(root, 'merged-v2', 'gradebook.csv'), 'utf8'), fs.readFileSync(path.join(root, 'one', 'gradebook.csv'), 'utf8'));
    assert.throws(() => mergeShards({ inputs: [v2[0], path.join(root, 'shard2'), v2[2]], out: path.join(root, 'x') }), /shard2\/shard-2-of-3\.json marked course files against none \(graded without --manifest\), .*v2-shard1\/shard-1-of-3\.json against not recorded \(clab-grade\/shard@2, written by a grader older than the record\)/);
  });
});
