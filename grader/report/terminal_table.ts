import type { GradeResult } from '../grade/grade_types';

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
    out.push('', `${e.id} ${e.title} (${e.file})  ${got}/${max}`);
    for (const t of e.tests) {
      const mark = t.status === 'passed' ? c('green', 'PASS') : c('red', 'FAIL');
      out.push(`  ${mark} ${`${t.score}/${t.maxScore}`.padStart(5)}  ${t.name}${t.visibility === 'hidden' ? c('dim', ' (hidden)') : ''}`);
      if (t.status === 'failed' || verbose) {
        for (const line of t.feedback.split('\n')) out.push(`             ${c('dim', '|')} ${line}`);
        if (t.output) out.push(`             ${c('dim', '|')} your code printed: ${t.output.split('\n').slice(0, 5).join(' / ').slice(0, 300)}`);
      }
    }
    for (const n of e.notes) out.push(`  note: ${n.split('\n').join('\n        ')}`);
  }
  out.push('', `TOTAL ${r.score}/${r.maxScore}${r.hiddenNotRun > 0 ? `  (${r.hiddenNotRun} hidden tests not run)` : ''}  in ${(r.ms / 1000).toFixed(1)} s`);
  out.push(c('dim', `sandbox: network ${r.sandbox.network}; user ${r.sandbox.user}; ${r.sandbox.memory}`));
  return out.join('\n');
}
