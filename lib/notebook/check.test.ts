import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DisplayMessage, setDisplaySink } from '../display/display_bundle';
import { check } from './check';
import { checkBundle } from './check_bundle';
import type { GraderResult } from './grader_result';
import { parseGraderResult } from './parse_grader_result';
import { runGraderCheck } from './run_grader_check';

// Recorded with `node grader/bin/clab-grade.js check <dir> --json --only ex03,ex04` (submission
// renamed to 'exercises'): ex03 with the "sum instead of mean"
// mistake (grader/fixtures/mistakes/ex03-sum), ex04 the stub.
const SAMPLE_FILE = path.join(__dirname, 'fixtures', 'check-ex03-sum-ex04-stub.json');
const SAMPLE_TEXT = fs.readFileSync(SAMPLE_FILE, 'utf8');
const sample = (): GraderResult => JSON.parse(SAMPLE_TEXT) as GraderResult;

/** A fake project whose grader/bin/clab-grade.js is `script` (it sees the real argv). */
function fakeProject(script: string, { nodeModules = true } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-check-'));
  fs.mkdirSync(path.join(root, 'grader', 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'exercises'));
  fs.writeFileSync(path.join(root, 'exercises', 'ex03-infonce-bound.ts'), 'export {};\n');
  fs.writeFileSync(path.join(root, 'exercises', 'ex04-nt-xent.ts'), 'export {};\n');
  if (nodeModules) fs.mkdirSync(path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'grader', 'bin', 'clab-grade.js'), script);
  return root;
}

describe('parseGraderResult(text) reads clab-grade/result@1', () => {
  it('parseGraderResult(recorded check --json output) keeps every test with its points, feedback and known mistake', () => {
    const r = parseGraderResult(SAMPLE_TEXT);
    const ex03 = r.exercises.find((e) => e.id === 'ex03');
    assert.ok(ex03);
    assert.equal(ex03.score, ex03.tests.reduce((a, t) => a + t.score, 0));
    assert.equal(r.score, r.exercises.reduce((a, e) => a + e.score, 0));
    assert.ok(ex03.tests.some((t) => t.knownMistake === 'sum instead of mean' && t.feedback.includes('This looks like a known mistake: sum instead of mean')));
  });

  it('parseGraderResult throws naming the start of output that is not JSON', () => {
    assert.throws(() => parseGraderResult('Hi, looks like you are running TensorFlow.js\n{"format": 1}'), /the grader's output is not JSON .*it starts with: "Hi, looks like you are running TensorFlow\.js/);
    assert.throws(() => parseGraderResult(''), /starts with: \(nothing\)/);
  });

  it('parseGraderResult throws for another format, and names the path of a field of the wrong type', () => {
    assert.throws(() => parseGraderResult(JSON.stringify({ ...sample(), format: 'clab-grade/result@2' })), /format must be "clab-grade\/result@1", got "clab-grade\/result@2"/);
    const bad = sample();
    (bad.exercises[0].tests[1] as unknown as Record<string, unknown>).score = '2';
    assert.throws(() => parseGraderResult(JSON.stringify(bad)), /exercises\[0\]\.tests\[1\]\.score must be a number, got "2"/);
    const noMistake = sample();
    delete (noMistake.exercises[1].tests[0] as unknown as Record<string, unknown>).knownMistake;
    assert.throws(() => parseGraderResult(JSON.stringify(noMistake)), /exercises\[1\]\.tests\[0\]\.knownMistake must be a string or null, got undefined/);
  });

  /** The recorded document with every field added within @1: inputs, seeds, stoppedBy, time, courseFiles. */
  const newer = (): GraderResult => {
    const r = sample();
    r.inputs = { digest: '9f'.repeat(32), secret: '0123456789abcdef' };
    r.exercises.forEach((e, i) => {
      e.time = { ms: 700, budgetMs: 60000, wallMs: 1400, stoppedBy: i === 0 ? 'exercise budget' : null };
      e.tests.forEach((t, j) => Object.assign(t, { seed: 3046215011 + j, stoppedBy: null }));
    });
    r.courseFiles = { status: 'modified', summary: 'course files: MODIFIED since the release (1 modified; release manifest abababababab)', modified: ['grader/frozen/public-tests.json'], added: [], missing: [], files: 225, manifest: { path: 'release.manifest.json', digest: 'ab'.repeat(32) } };
    return r;
  };

  it('parseGraderResult reads the fields added within @1 (inputs, seed, stoppedBy, time, courseFiles) and checks each when present, naming its path', () => {
    const ok = parseGraderResult(JSON.stringify(newer()));
    assert.deepEqual(ok.courseFiles?.modified, ['grader/frozen/public-tests.json']);
    assert.equal(ok.exercises[0].time?.stoppedBy, 'exercise budget');
    assert.equal(ok.exercises[0].tests[0].seed, 3046215011);
    const bad: Array<[string, (r: GraderResult) => void, RegExp]> = [
      ['inputs not an object', (r) => Object.assign(r, { inputs: 'abc' }), /parseGraderResult: inputs must be an object, got "abc"/],
      ['inputs.digest', (r) => Object.assign(r.inputs!, { digest: 7 }), /inputs\.digest must be a string, got 7/],
      ['inputs.secret', (r) => Object.assign(r.inputs!, { secret: false }), /inputs\.secret must be a string or null, got false/],
      ['a seed', (r) => Object.assign(r.exercises[1].tests[0], { seed: -1 }), /exercises\[1\]\.tests\[0\]\.seed must be a whole number from 0 to 4294967295, got -1/],
      ['a seed as text', (r) => Object.assign(r.exercises[0].tests[1], { seed: '402' }), /exercises\[0\]\.tests\[1\]\.seed must be a whole number .*, got "402"/],
      ["a test's stoppedBy", (r) => Object.assign(r.exercises[0].tests[0], { stoppedBy: 'timeout' }), /exercises\[0\]\.tests\[0\]\.stoppedBy must be "test timeout", "exercise budget", "start-up", "memory" or null, got "timeout"/],
      ['time not an object', (r) => Object.assign(r.exercises[1], { time: null }), /exercises\[1\]\.time must be an object, got null/],
      ['time.wallMs', (r) => Object.assign(r.exercises[0].time!, { wallMs: '1.4 s' }), /exercises\[0\]\.time\.wallMs must be a number, got "1\.4 s"/],
      ["time's stoppedBy", (r) => Object.assign(r.exercises[0].time!, { stoppedBy: 'budget' }), /exercises\[0\]\.time\.stoppedBy must be "test timeout", .* or null, got "budget"/],
      ['courseFiles.status', (r) => Object.assign(r.courseFiles!, { status: 'tampered' }), /courseFiles\.status must be "verified", "modified" or "no-course-files", got "tampered"/],
      ['courseFiles.modified', (r) => Object.assign(r.courseFiles!, { modified: 'grader/x.ts' }), /courseFiles\.modified must be an array of strings, got "grader\/x\.ts"/],
      ['courseFiles.added', (r) => Object.assign(r.courseFiles!, { added: [1] }), /courseFiles\.added must be an array of strings, got \[1\]/],
      ['courseFiles.files', (r) => Object.assign(r.courseFiles!, { files: '225' }), /courseFiles\.files must be a number, got "225"/],
      ['courseFiles.manifest', (r) => Object.assign(r.courseFiles!, { manifest: 'release.manifest.json' }), /courseFiles\.manifest must be an object, got "release\.manifest\.json"/],
      ['courseFiles.manifest.digest', (r) => Object.assign(r.courseFiles!.manifest, { digest: null }), /courseFiles\.manifest\.digest must be a string, got null/],
    ];
    for (const [what, spoil, error] of bad) {
      const r = newer();
      spoil(r);
      assert.throws(() => parseGraderResult(JSON.stringify(r)), error, what);
    }
  });
});

describe('checkBundle(result) shows a grader result in a notebook', () => {
  it('checkBundle gives one HTML table per exercise: each test with its points, known mistake and feedback (line breaks kept)', () => {
    const r = sample();
    const html = checkBundle(r)['text/html'] as string;
    for (const e of r.exercises) {
      assert.ok(html.includes(`<caption>${e.id} ${e.title} (exercises/${e.file}): ${e.score} / ${e.maxScore} points</caption>`), e.id);
      for (const t of e.tests) {
        const row = html.split('<tr>').find((tr) => tr.includes(`>${t.name.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</td>`));
        assert.ok(row, t.name);
        assert.ok(row.includes(`>${t.score} / ${t.maxScore}</td>`), `${t.name}: points`);
        assert.ok(row.includes(`>${t.knownMistake ?? ''}</td>`), `${t.name}: known mistake`);
        assert.ok(row.includes(t.feedback.split('\n')[0].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')), `${t.name}: feedback`);
      }
    }
    assert.match(html, /white-space:pre-wrap">Input: infoNCELoss\(tensor \[4,4\][^<]*\nExpected: tensor \[\] 1\.38629\n/);
    assert.ok(html.includes(`Total ${r.score} / ${r.maxScore} points on the public tests.`));
    assert.ok(html.includes(`${r.hiddenNotRun} hidden test(s) not run here`));
  });

  it('checkBundle escapes what student code could put into feedback, notes and names', () => {
    const r = sample();
    r.exercises[0].tests[0].feedback = 'Received: <img src=x onerror=alert(1)>';
    r.exercises[0].notes = ['<script>alert(2)</script>'];
    const html = checkBundle(r)['text/html'] as string;
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /note: &lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  });

  it('checkBundle text/plain lists every test as PASS/FAIL score/max with the known mistake and the failing feedback', () => {
    const r = sample();
    const text = checkBundle(r, 'npm run check -- --only ex03,ex04')['text/plain'] as string;
    for (const e of r.exercises) {
      assert.ok(text.includes(`${e.id} ${e.title} (exercises/${e.file}): ${e.score} / ${e.maxScore} points`));
      for (const t of e.tests) assert.ok(text.includes(`${t.status === 'passed' ? 'PASS' : 'FAIL'} ${`${t.score}/${t.maxScore}`.padStart(5)}  ${t.name}`), t.name);
    }
    assert.match(text, /known mistake: sum instead of mean\n {13}\| Input: infoNCELoss/);
    assert.match(text, /ex04 ntXentLoss: not implemented yet/);
    assert.match(text, /\(same tests and sandbox as `npm run check -- --only ex03,ex04` in a terminal\); sandbox: network isolated/);
  });
});

describe('runGraderCheck(exercises, {root}) drives the grader CLI as a child process', function () {
  this.timeout(30000);
  const roots: string[] = [];
  const project = (script: string, opts?: { nodeModules?: boolean }) => {
    const r = fakeProject(script, opts);
    roots.push(r);
    return r;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it("runGraderCheck('ex03') runs `clab-grade.js check --json --only ex03` in the project and parses its stdout", async () => {
    const root = project(`require('fs').writeFileSync(__dirname + '/argv.json', JSON.stringify(process.argv.slice(2)));
      process.stderr.write('progress text goes to stderr\\n');
      process.stdout.write(require('fs').readFileSync(${JSON.stringify(SAMPLE_FILE)}, 'utf8'));
      process.exitCode = 1;`);
    const r = await runGraderCheck('ex03-infonce-bound', { root });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, 'grader', 'bin', 'argv.json'), 'utf8')), ['check', '--json', '--only', 'ex03']);
    assert.deepEqual(r, sample());
    await runGraderCheck(['ex03', 'ex04'], { root, dir: path.join(root, 'exercises') });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, 'grader', 'bin', 'argv.json'), 'utf8')), ['check', path.join(root, 'exercises'), '--json', '--only', 'ex03,ex04']);
  });

  it('runGraderCheck throws listing the exercises there for an unknown id, before running anything', async () => {
    const root = project('process.exit(9)');
    await assert.rejects(runGraderCheck('ex3', { root }), /check: unknown exercise "ex3"; exercises in .*exercises: ex03, ex04/);
    await assert.rejects(runGraderCheck(['ex03', 'ex09'], { root }), /unknown exercise "ex09"/);
  });

  it('runGraderCheck says what to run when node_modules or the grader is missing', async () => {
    const noModules = project('', { nodeModules: false });
    await assert.rejects(runGraderCheck('ex03', { root: noModules }), /node_modules is missing, so the grader cannot run; in a terminal, in .*, run `npm ci` \(or `npm start`/);
    const noGrader = project('');
    fs.rmSync(path.join(noGrader, 'grader'), { recursive: true });
    await assert.rejects(runGraderCheck('ex03', { root: noGrader }), /the grader is not in .* \(no grader\/bin\/clab-grade\.js\)/);
  });

  it('runGraderCheck stops a grader that outlives timeoutMs (and its children) and names the terminal command', async () => {
    const root = project(`const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      require('fs').writeFileSync(__dirname + '/child.pid', String(c.pid));
      process.stderr.write('still grading...\\n'); setTimeout(() => {}, 60000);`);
    const t0 = Date.now();
    await assert.rejects(runGraderCheck('ex04', { root, timeoutMs: 1500 }), /did not finish within 2 s and was stopped\. Run `npm run check -- --only ex04` in a terminal to watch it, or pass a longer limit: check\(\.\.\., \{timeoutMs: 3000\}\)\.\nIts last output:\nstill grading\.\.\./);
    assert.ok(Date.now() - t0 < 15000, `took ${Date.now() - t0} ms`);
    const pid = Number(fs.readFileSync(path.join(root, 'grader', 'bin', 'child.pid'), 'utf8'));
    // Gone, or a zombie waiting for init to reap it ('Z' in /proc/<pid>/stat).
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 30 && running(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(running(), false, `the grader's child ${pid} still runs`);
  });

  it('runGraderCheck reports a grader failure (exit 4) with the end of its error output, and output that is not JSON', async () => {
    const failing = project(`process.stderr.write('clab-grade: internal error: specs did not load\\n'); process.exit(4);`);
    await assert.rejects(runGraderCheck('ex03', { root: failing }), /the grader failed \(exit 4: the grader itself failed\)\. Its error output ends with:\nclab-grade: internal error: specs did not load/);
    const chatty = project(`console.log('ex03 The InfoNCE bound  0/7'); process.exit(1);`);
    await assert.rejects(runGraderCheck('ex03', { root: chatty }), /the grader \(exit 1\) did not print the JSON result it should: the grader's output is not JSON .*starts with: "ex03 The InfoNCE bound {2}0\/7"/);
  });

  it('runGraderCheck rejects a time limit that is not a positive number', async () => {
    const root = project('');
    await assert.rejects(runGraderCheck('ex03', { root, timeoutMs: 0 }), /check: timeoutMs must be a positive number of ms, got 0/);
  });
});

describe("check(exercises) shows the grader's result in the cell", function () {
  this.timeout(30000);
  it("check('ex03') shows a 'running' line, then replaces it in place with the result bundle", async () => {
    const root = fakeProject(`process.stdout.write(require('fs').readFileSync(${JSON.stringify(SAMPLE_FILE)}, 'utf8')); process.exitCode = 1;`);
    const seen: Array<{ m: DisplayMessage; update: boolean }> = [];
    setDisplaySink((m, update) => seen.push({ m, update }));
    try {
      const returned = await check('ex03', { root });
      assert.equal(returned, undefined, 'nothing for the cell to print after the table');
    } finally {
      setDisplaySink(null);
      fs.rmSync(root, { recursive: true, force: true });
    }
    assert.equal(seen.length, 2);
    assert.match(String(seen[0].m.data['text/plain']), /^Running the public tests of ex03 in the grader's sandbox \(as `npm run check -- --only ex03`\)/);
    assert.equal(seen[1].update, true);
    assert.equal(seen[1].m.transient.display_id, seen[0].m.transient.display_id);
    assert.deepEqual(seen[1].m.data, checkBundle(sample(), 'npm run check -- --only ex03'));
  });
});
