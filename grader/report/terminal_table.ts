import type { GradeResult } from '../engine/result_types';
import { exerciseTime } from './exercise_time';
import { courseFilesLines } from './course_files';
import { inputsLine, seedsLine } from './inputs';

/**
 * Student-originated text made safe for a terminal or CI log: control characters and ANSI
 * escapes removed (no cursor tricks that overwrite the TOTAL line).
 */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[ -\/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

const COLOR = { green: '\u001b[32m', red: '\u001b[31m', dim: '\u001b[2m', off: '\u001b[0m' };

/**
 * A readable table for a terminal: one line per test with points, then the feedback of each
 * failing test, then notes and the sandbox line.
 * @param color ANSI colours (default: when stdout is a TTY)
 * @param verbose also show feedback of passing tests
 */
export function terminalTable(r: GradeResult, color = process.stdout.isTTY === true, verbose = false): string {
  const c = (k: keyof typeof COLOR, s: string) => (color ? `${COLOR[k]}${s}${COLOR.off}` : s);
  const out: string[] = [];
  for (const e of r.exercises) {
    const got = e.tests.reduce((a, t) => a + t.score, 0);
    const max = e.tests.reduce((a, t) => a + t.maxScore, 0);
    out.push('', `${e.id} ${e.title} (${e.file})  ${got}/${max}`, c('dim', `  time: ${exerciseTime(e)}`), c('dim', `  ${seedsLine(e)}`));
    for (const t of e.tests) {
      const mark = t.status === 'passed' ? c('green', 'PASS') : c('red', 'FAIL');
      out.push(`  ${mark} ${`${t.score}/${t.maxScore}`.padStart(5)}  ${t.name}${t.visibility === 'hidden' ? c('dim', ' (hidden)') : ''}`);
      if (t.status === 'failed' || verbose) {
        // Every line of student-originated text is indented, so none can pose as a CI workflow
        // command (`::notice ...` must start a line) or as the TOTAL line.
        for (const line of safeText(t.feedback).split('\n')) out.push(`             ${c('dim', '|')} ${line}`);
        if (t.output) out.push(`             ${c('dim', '|')} your code printed: ${safeText(t.output).split('\n').slice(0, 5).join(' / ').slice(0, 300)}`);
      }
    }
    for (const n of e.notes) out.push(`  note: ${safeText(n).split('\n').join('\n        ')}`);
  }
  out.push('', `TOTAL ${r.score}/${r.maxScore}${r.hiddenNotRun > 0 ? `  (${r.hiddenNotRun} hidden tests not run)` : ''}  in ${(r.ms / 1000).toFixed(1)} s`);
  if (r.courseFiles) {
    const [summary, ...changes] = courseFilesLines(r.courseFiles, 20);
    out.push(r.courseFiles.status === 'modified' ? c('red', summary) : summary, ...changes);
  }
  out.push(c('dim', inputsLine(r.inputs)));
  out.push(c('dim', `sandbox: network ${r.sandbox.network}; user ${r.sandbox.user}; ${r.sandbox.memory}`));
  return out.join('\n');
}
