import type { GradeResult } from '../engine/result_types';
import { exerciseTime } from './exercise_time';

function esc(s: string): string {
  // XML 1.0 forbids most control characters even when escaped: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML: one testsuite per exercise, one testcase per test, failures with the feedback. */
export function junitXml(r: GradeResult): string {
  const suites = r.exercises.map((e) => {
    const failures = e.tests.filter((t) => t.status === 'failed').length;
    const secs = e.time.ms / 1000;
    const cases = e.tests.map((t) => {
      const head = `    <testcase classname="${esc(e.id)}" name="${esc(t.name)}" time="${(t.ms / 1000).toFixed(3)}">\n      <properties>\n        <property name="seed" value="${t.seed}"/>\n      </properties>`;
      const type = t.stoppedBy ? ` type="${esc(t.stoppedBy)}"` : '';
      const body = t.status === 'failed' ? `\n      <failure${type} message="${esc(t.feedback.split('\n').pop() ?? '')}">${esc(t.feedback)}</failure>` : '';
      const out = t.output ? `\n      <system-out>${esc(t.output)}</system-out>` : '';
      return `${head}${body}${out}\n    </testcase>`;
    });
    const inputs = [['submission-digest', r.inputs.digest], ['secret-fingerprint', r.inputs.secret ?? 'none: fixed seeds']];
    const props = [['budget', `${e.time.budgetMs / 1000}`], ['wall', `${(e.time.wallMs / 1000).toFixed(3)}`], ['stopped-by', e.time.stoppedBy ?? 'none'], ...inputs]
      .map(([k, v]) => `      <property name="${k}" value="${esc(v)}"/>`);
    const out = `    <system-out>time: ${esc(exerciseTime(e))}</system-out>`;
    return `  <testsuite name="${esc(`${e.id} ${e.title}`)}" tests="${e.tests.length}" failures="${failures}" time="${secs.toFixed(3)}">\n    <properties>\n${props.join('\n')}\n    </properties>\n${cases.join('\n')}\n${out}\n  </testsuite>`;
  });
  const total = r.exercises.reduce((a, e) => a + e.tests.length, 0);
  const failed = r.exercises.reduce((a, e) => a + e.tests.filter((t) => t.status === 'failed').length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="contrastive-lab grader" tests="${total}" failures="${failed}" time="${(r.ms / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
