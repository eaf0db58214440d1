import assert from 'node:assert/strict';
import type { GradeResult } from '../engine/result_types';
import { classroomResult, gradescopeJson, junitXml, markdownSummary, resultJson, terminalTable } from '.';

const RESULT: GradeResult = {
  submission: 'sub <1>',
  exercises: [
    {
      id: 'ex04', file: 'ex04-nt-xent.ts', title: 'NT-Xent', notes: ['Type error (feedback only): x'],
      time: { ms: 7520, budgetMs: 60000, wallMs: 9100, stoppedBy: 'test timeout' },
      tests: [
        { exercise: 'ex04', name: 'passes', visibility: 'public', score: 2, maxScore: 2, status: 'passed', feedback: 'Passed.', output: '', knownMistake: null, ms: 12, stoppedBy: null, seed: 3046215011 },
        { exercise: 'ex04', name: 'fails & <escapes> "quotes"', visibility: 'hidden', score: 0, maxScore: 3, status: 'failed', feedback: 'Expected 1\nReceived \u0000 2 | pipe', output: 'printed', knownMistake: null, ms: 40, stoppedBy: 'test timeout', seed: 402 },
      ],
    },
  ],
  score: 2, maxScore: 5, hiddenNotRun: 0, ms: 1234,
  sandbox: { permissionModel: true, network: 'isolated', user: 'nobody', memory: '512 MB', networkIsolated: true },
  inputs: { digest: '9f'.repeat(32), secret: '0123456789abcdef' },
};

describe('reports of a GradeResult', () => {
  it('every report says how long each exercise took (fair clock, budget, wall) and which limit stopped it', () => {
    const line = /7\.5 s of its 60\.0 s budget \(wall 9\.1 s\); stopped by: test timeout/;
    assert.match(terminalTable(RESULT, false), line);
    assert.match(markdownSummary(RESULT), line);
    assert.match(String((gradescopeJson(RESULT) as { output: string }).output), line);
    const x = junitXml(RESULT);
    assert.match(x, /<testsuite name="ex04 NT-Xent" tests="2" failures="1" time="7\.520">/);
    assert.match(x, /<property name="stopped-by" value="test timeout"\/>/);
    assert.match(x, /<failure type="test timeout" /);
    const j = resultJson(RESULT, 'grade');
    assert.deepEqual(j.exercises[0].time, RESULT.exercises[0].time);
    assert.deepEqual(j.exercises[0].tests.map((t) => t.stoppedBy), [null, 'test timeout']);
  });

  it("every report records each test's seed, the submission digest and the secret's fingerprint; check's fixed seeds are said to be the published ones", () => {
    const t = terminalTable(RESULT, false);
    assert.match(t, /^ {2}seeds: 3046215011, 402$/m);
    assert.match(t, /^inputs: fresh for this submission: seeds derived from the instructor secret 0123456789abcdef and the submission digest 9f9f9f9f9f9f9f9f$/m);
    const md = markdownSummary(RESULT);
    assert.match(md, /\| pass \| passes \| 2 \/ 2 \| 3046215011 \|/);
    assert.match(md, /instructor secret 0123456789abcdef/);
    const g = gradescopeJson(RESULT) as { output: string; extra_data: unknown; tests: Array<{ extra_data: unknown }> };
    assert.deepEqual(g.extra_data, { submission_digest: '9f'.repeat(32), secret_fingerprint: '0123456789abcdef' });
    assert.deepEqual(g.tests.map((x) => x.extra_data), [{ seed: 3046215011 }, { seed: 402 }]);
    assert.match(g.output, /Inputs: fresh for this submission/);
    const x = junitXml(RESULT);
    assert.deepEqual([...x.matchAll(/<property name="seed" value="(\d+)"\/>/g)].map((m) => Number(m[1])), [3046215011, 402]);
    assert.match(x, /<property name="submission-digest" value="(9f){32}"\/>/);
    assert.match(x, /<property name="secret-fingerprint" value="0123456789abcdef"\/>/);
    const j = resultJson(RESULT, 'grade');
    assert.deepEqual(j.inputs, RESULT.inputs);
    assert.deepEqual(j.exercises[0].tests.map((t) => t.seed), [3046215011, 402]);
    const check = { ...RESULT, inputs: { digest: RESULT.inputs.digest, secret: null } };
    assert.match(terminalTable(check, false), /^inputs: each test's fixed seed, as published with the public tests \(a grade runs the same tests on new inputs\)$/m);
    assert.match(junitXml(check), /<property name="secret-fingerprint" value="none: fixed seeds"\/>/);
  });

  it('gradescopeJson has score and tests[] with name, score, max_score, status, output, visibility', () => {
    const g = gradescopeJson(RESULT) as { score: number; tests: Array<Record<string, unknown>> };
    assert.equal(g.score, 2);
    assert.deepEqual(Object.keys(g.tests[0]).filter((k) => ['name', 'score', 'max_score', 'status', 'output', 'visibility'].includes(k)).sort(), ['max_score', 'name', 'output', 'score', 'status', 'visibility']);
    assert.equal(g.tests[1].visibility, 'after_published');
    assert.equal(g.tests[0].visibility, 'visible');
    assert.match(String(g.tests[1].output), /Your code printed:\nprinted/);
  });

  it('junitXml escapes names and drops control characters; counts tests and failures', () => {
    const x = junitXml(RESULT);
    assert.match(x, /<testsuites name="contrastive-lab grader" tests="2" failures="1"/);
    assert.match(x, /name="fails &amp; &lt;escapes&gt; &quot;quotes&quot;"/);
    assert.doesNotMatch(x, /\u0000/);
    assert.equal((x.match(/<testcase /g) ?? []).length, (x.match(/<\/testcase>/g) ?? []).length);
  });

  it('classroomResult is base64 JSON with version 1, status, max_score and tests', () => {
    const j = JSON.parse(Buffer.from(classroomResult(RESULT), 'base64').toString('utf8'));
    assert.equal(j.version, 1);
    assert.equal(j.status, 'fail');
    assert.equal(j.max_score, 5);
    assert.deepEqual(j.tests.map((t: { status: string }) => t.status), ['pass', 'fail']);
  });

  it('markdownSummary and terminalTable show the total 2 / 5 and the failing test', () => {
    const md = markdownSummary(RESULT);
    assert.match(md, /## Grade: 2 \/ 5/);
    assert.match(md, /\| FAIL \| fails &amp; &lt;escapes&gt; "quotes" \| 0 \/ 3 \|/);
    const t = terminalTable(RESULT, false);
    assert.match(t, /TOTAL 2\/5/);
    assert.match(t, /FAIL   0\/3  fails/);
  });
});
