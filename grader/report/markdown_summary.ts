import type { GradeResult } from '../engine/result_types';
import { exerciseTime } from './exercise_time';
import { courseFilesMarkdown } from './course_files';
import { inputsLine } from './inputs';

/** Student-originated text in a table cell or quote: no HTML or Markdown that could pose as a grade. */
function cell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_#[\]|])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** A Markdown summary: total, a table per exercise, failing tests' feedback in details blocks. */
export function markdownSummary(r: GradeResult): string {
  const lines = [`## Grade: ${r.score} / ${r.maxScore}`, '', `Submission: ${cell(r.submission)}`, '', `${cell(inputsLine(r.inputs))}.`, ''];
  if (r.courseFiles) lines.push(...courseFilesMarkdown(r.courseFiles));
  for (const e of r.exercises) {
    const got = e.tests.reduce((a, t) => a + t.score, 0);
    const max = e.tests.reduce((a, t) => a + t.maxScore, 0);
    lines.push(`### ${e.id} ${e.title}: ${got} / ${max}`, '', `Time: ${exerciseTime(e)}.`, '', '| | test | points | seed |', '|---|---|---|---|');
    for (const t of e.tests) lines.push(`| ${t.status === 'passed' ? 'pass' : 'FAIL'} | ${cell(t.name)} | ${t.score} / ${t.maxScore} | ${t.seed} |`);
    lines.push('');
    for (const n of e.notes) lines.push(`> ${cell(n)}`, '');
    for (const t of e.tests.filter((x) => x.status === 'failed')) {
      lines.push(`<details><summary>${cell(t.name)}</summary>`, '', '```', t.feedback.replace(/```/g, "'''"), '```', '</details>', '');
    }
  }
  if (r.hiddenNotRun > 0) lines.push(`${r.hiddenNotRun} hidden tests not run.`, '');
  lines.push(`Sandbox: network ${r.sandbox.network}; user ${r.sandbox.user}; ${r.sandbox.memory}.`, '');
  return lines.join('\n');
}
