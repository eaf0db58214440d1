import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { seededRng } from '../../lib/tensor';
import { SPECS } from '../specs';
import type { ExerciseSpec } from '../specs/spec_types';
import { FIXED_SEEDS, freezeExercise } from './freeze_exercise';
import { freshSeeds, normaliseSource, submissionDigest, testSeed } from './fresh_seeds';
import { readSubmission } from './read_submission';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const EX01 = '// my triplet\nexport const x = 1;\n';
const EX04 = '// my nt-xent\nexport function ntXentLoss() {\n  return 0;\n}\n';
const WANTED = ['ex01-triplet.ts', 'ex04-nt-xent.ts'];

describe('fresh seeds: submissionDigest, testSeed, freshSeeds and freezeExercise(spec, visibilities, seedOf)', function () {
  this.timeout(60000);
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-fresh-seeds-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('submissionDigest is the same for the same work as a folder and as a zip with a top folder, CRLF line endings and a byte-order mark', () => {
    const dir = path.join(tmp, 'folder');
    fs.mkdirSync(path.join(dir, 'exercises'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'exercises', 'ex04-nt-xent.ts'), EX04);
    fs.writeFileSync(path.join(dir, 'ex01-triplet.ts'), EX01);
    const zip = path.join(tmp, 'work.zip');
    const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'));
    fs.writeFileSync(zip, zipSync({ 'student-7/src/ex04-nt-xent.ts': crlf(EX04), 'student-7/ex01-triplet.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), crlf(EX01)]) }));
    const [a, b] = [readSubmission(dir, WANTED), readSubmission(zip, WANTED)];
    assert.notEqual(a.files.get('ex04-nt-xent.ts'), b.files.get('ex04-nt-xent.ts'), 'the zip holds CRLF text');
    assert.equal(submissionDigest(a.files), submissionDigest(b.files));
  });

  it('submissionDigest is sha256 over "clab-submission/1\\n" and, per file in name order, "name\\nbytes\\n" text "\\n"; the map order does not count', () => {
    const text = normaliseSource('\uFEFFa\r\nb\rc\n');
    assert.equal(text, 'a\nb\nc\n');
    const expected = createHash('sha256').update(`clab-submission/1\nex01-triplet.ts\n${EX01.length}\n${EX01}\nex04-nt-xent.ts\n${EX04.length}\n${EX04}\n`).digest('hex');
    assert.equal(submissionDigest(new Map([['ex04-nt-xent.ts', EX04], ['ex01-triplet.ts', EX01]])), expected);
    assert.equal(submissionDigest(new Map([['ex01-triplet.ts', EX01], ['ex04-nt-xent.ts', EX04]])), expected);
  });

  it('submissionDigest changes with a comment, a blank line, a missing file or a renamed one', () => {
    const base = submissionDigest(new Map([['ex01-triplet.ts', EX01], ['ex04-nt-xent.ts', EX04]]));
    const variants = [
      new Map([['ex01-triplet.ts', EX01], ['ex04-nt-xent.ts', EX04.replace('my nt-xent', 'my NT-Xent')]]),
      new Map([['ex01-triplet.ts', `${EX01}\n`], ['ex04-nt-xent.ts', EX04]]),
      new Map([['ex04-nt-xent.ts', EX04]]),
      new Map([['ex01-triplet.ts', EX04], ['ex04-nt-xent.ts', EX01]]),
    ];
    const digests = variants.map(submissionDigest);
    assert.equal(new Set([base, ...digests]).size, 1 + variants.length);
  });

  it('testSeed(secret, digest, id, name) is the first 32 bits of HMAC-SHA256(secret, "clab-test-seed/1" NUL digest NUL id NUL name)', () => {
    const digest = submissionDigest(new Map([['ex01-triplet.ts', EX01]]));
    const mac = createHmac('sha256', SECRET).update(`clab-test-seed/1\0${digest}\0ex01\0a test`).digest();
    const seed = testSeed(SECRET, digest, 'ex01', 'a test');
    assert.equal(seed, mac.readUInt32BE(0));
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32);
    const other = submissionDigest(new Map([['ex01-triplet.ts', `${EX01} `]]));
    const seeds = [seed, testSeed(Buffer.alloc(32, 7), digest, 'ex01', 'a test'), testSeed(SECRET, other, 'ex01', 'a test'), testSeed(SECRET, digest, 'ex02', 'a test'), testSeed(SECRET, digest, 'ex01', 'a test.')];
    assert.equal(new Set(seeds).size, seeds.length);
  });

  it('testSeed and freshSeeds refuse a secret under 16 bytes and a digest that is not 64 hex digits, saying what they got', () => {
    const digest = submissionDigest(new Map());
    assert.throws(() => testSeed(Buffer.from('short'), digest, 'ex01', 't'), /testSeed: the secret must be at least 16 random bytes, got 5 bytes/);
    assert.throws(() => freshSeeds('a string secret' as unknown as Uint8Array, new Map()), /freshSeeds: the secret must be at least 16 random bytes, got string/);
    assert.throws(() => testSeed(SECRET, 'abc', 'ex01', 't'), /testSeed: digest must be 64 hex digits \(submissionDigest\), got "abc"/);
  });

  it('every test of an exercise has its own name, so each gets its own seed', () => {
    for (const spec of SPECS) assert.equal(new Set(spec.tests.map((t) => t.name)).size, spec.tests.length, spec.id);
  });

  it('freezeExercise(spec) uses the fixed seeds; with freshSeeds the same files freeze the same, and a changed comment changes every seed and input', () => {
    const spec = SPECS.find((s) => s.id === 'ex04')!;
    const fixed = freezeExercise(spec);
    assert.deepEqual(fixed, freezeExercise(spec, ['public', 'hidden'], FIXED_SEEDS));
    assert.deepEqual(fixed.tests.map((t) => t.seed), spec.tests.map((t) => t.seed));
    const files = new Map([['ex04-nt-xent.ts', EX04]]);
    const fresh = freezeExercise(spec, ['public', 'hidden'], freshSeeds(SECRET, files));
    const digest = submissionDigest(files);
    assert.deepEqual(fresh.tests.map((t) => t.seed), spec.tests.map((t) => testSeed(SECRET, digest, 'ex04', t.name)));
    assert.deepEqual(freezeExercise(spec, ['public', 'hidden'], freshSeeds(SECRET, new Map(files))), fresh, 'a regrade meets the same inputs');
    const changed = freezeExercise(spec, ['public', 'hidden'], freshSeeds(SECRET, new Map([['ex04-nt-xent.ts', EX04.replace('my', 'our')]])));
    fresh.tests.forEach((t, i) => {
      assert.notEqual(changed.tests[i].seed, t.seed);
      assert.notDeepEqual(changed.tests[i].calls.at(-1), t.calls.at(-1), t.name);
      assert.notDeepEqual(t.calls.at(-1), fixed.tests[i].calls.at(-1), t.name);
    });
  });

  describe('freezeExercise draws a test again while a mistake is unclear or two are confusable', () => {
    type Impl = (x: number) => number;
    const spec = (mistakes: Array<[string, Impl]>): ExerciseSpec => ({
      id: 'exT', file: 'exT.ts', title: 'toy', functions: ['f'], forbiddenLib: [],
      reference: () => ({ f: (x: number) => x }),
      tests: [{ name: 'f(x) for a uniform x in [-0.5, 0.5)', points: 1, visibility: 'public', fn: 'f', seed: 0, calls: (r) => [[r.next() - 0.5]] }],
      mistakes: mistakes.map(([name, impl]) => ({ name, explain: '', fn: 'f', impl })),
    });
    const seed = [...Array(100).keys()].find((s) => seededRng(s).next() >= 0.5)!;
    const r = seededRng(seed);
    const draws = Array.from({ length: 20 }, () => r.next() - 0.5);
    const firstNegative = draws.find((x) => x < 0);

    it('"double" (2x) and "double the size" (2|x|) agree when x >= 0: on a seed whose first draw is >= 0 the frozen input is the first negative draw', () => {
      const t = freezeExercise(spec([['double', (x) => 2 * x], ['double the size', (x) => 2 * Math.abs(x)]]), ['public'], () => seed).tests[0];
      assert.ok(draws[0] >= 0);
      assert.deepEqual(t.calls, [[firstNegative]]);
      assert.equal(t.seed, seed);
      assert.deepEqual(t.mistakes.map((m) => m.name), ['double', 'double the size']);
    });

    it('a mistake 3e-5 off when x >= 0 (between a tenth and ten times the tolerance, 1e-5 + 1e-4 |x|) and 3e-3 off otherwise: the frozen input is again the first negative draw', () => {
      const t = freezeExercise(spec([['nudged', (x) => x + (x >= 0 ? 3e-5 : 3e-3)]]), ['public'], () => seed).tests[0];
      assert.deepEqual(t.calls, [[firstNegative]]);
      assert.deepEqual(t.mistakes.map((m) => m.name), ['nudged']);
    });

    it('a mistake that is always unclear, and two that always agree, are spec errors naming them', () => {
      assert.throws(() => freezeExercise(spec([['nudged', (x) => x + 3e-5]]), ['public']), /exT "f\(x\) for a uniform x in \[-0.5, 0.5\)" seed 0: "nudged" lands near the reference \(neither within a tenth of the tolerance nor beyond ten times it\) on 20 draws of the inputs/);
      assert.throws(() => freezeExercise(spec([['double', (x) => 2 * x], ['double the size', (x) => 2 * x + 1e-9]]), ['public']), /exT "f\(x\) for a uniform x in \[-0.5, 0.5\)" seed 0: "double" and "double the size" give the same outputs on 20 draws of the inputs/);
    });
  });
});
