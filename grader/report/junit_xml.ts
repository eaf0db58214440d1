import type { CourseFilesCheck, GradeResult } from '../engine/result_types';
import { courseFilesChanges, courseFilesSummary, shownPath } from './course_files';
import { exerciseTime } from './exercise_time';

function esc(s: string): string {
  // XML 1.0 forbids most control characters even when escaped: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The course files' verdict as a suite of its own, so a CI dashboard that reads JUnit shows it:
 * one testcase that fails when a course file was modified, added or is missing (each named in
 * a property and in the failure), passes when all are as released, and is skipped when the
 * submission holds none of them. It is no test of the grade: no score changes with it.
 */
function courseFilesSuite(c: CourseFilesCheck): string {
  const summary = courseFilesSummary(c);
  const props = [['status', c.status], ['release-manifest', c.manifest.path], ['release-manifest-digest', c.manifest.digest], ['course-files', `${c.files}`]]
    .map(([k, v]) => `      <property name="${k}" value="${esc(v)}"/>`);
  const files = ([['modified', c.modified], ['added', c.added], ['missing', c.missing]] as const).flatMap(([k, list]) => list.map((p) => `        <property name="${k}" value="${esc(shownPath(p))}"/>`));
  const caseProps = files.length > 0 ? `\n      <properties>\n${files.join('\n')}\n      </properties>` : '';
  const body =
    c.status === 'modified' ? `\n      <failure type="course files modified" message="${esc(summary)}">${esc(courseFilesChanges(c).join('\n'))}</failure>`
    : c.status === 'no-course-files' ? `\n      <skipped message="${esc(summary)}"/>`
    : '';
  const failures = c.status === 'modified' ? 1 : 0;
  const skipped = c.status === 'no-course-files' ? 1 : 0;
  return `  <testsuite name="course files" tests="1" failures="${failures}" skipped="${skipped}" time="0.000">\n    <properties>\n${props.join('\n')}\n    </properties>\n    <testcase classname="course-files" name="course files as released" time="0.000">${caseProps}${body}\n    </testcase>\n    <system-out>${esc(summary)}</system-out>\n  </testsuite>`;
}

/**
 * JUnit XML: one testsuite per exercise, one testcase per test, failures with the feedback; with
 * a course files check (`--manifest`), a "course files" suite whose one testcase fails when a
 * course file was changed (the totals count it; the score does not).
 */
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
  if (r.courseFiles) suites.push(courseFilesSuite(r.courseFiles));
  const course = r.courseFiles ? { tests: 1, failed: r.courseFiles.status === 'modified' ? 1 : 0 } : { tests: 0, failed: 0 };
  const total = r.exercises.reduce((a, e) => a + e.tests.length, course.tests);
  const failed = r.exercises.reduce((a, e) => a + e.tests.filter((t) => t.status === 'failed').length, course.failed);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="contrastive-lab grader" tests="${total}" failures="${failed}" time="${(r.ms / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
