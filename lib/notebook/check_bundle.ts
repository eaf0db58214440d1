import type { MimeBundle } from '../display/display_bundle';
import { tableBundle } from '../display/table';
import type { GraderResult } from './grader_result';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A one-line summary of what the sandbox could enforce, from the grader's sandbox fields. */
function sandboxLine(sandbox: Record<string, unknown>): string {
  const parts = ['network', 'user', 'memory'].filter((k) => typeof sandbox[k] === 'string').map((k) => `${k} ${sandbox[k] as string}`);
  return parts.length > 0 ? `sandbox: ${parts.join('; ')}` : '';
}

/** Feedback is multi-line (input, expected, received): keep its line breaks in the HTML table. */
function keepLineBreaks(html: string): string {
  return html.replace(/<td style="text-align:left">/g, '<td style="text-align:left;vertical-align:top;white-space:pre-wrap">');
}

/**
 * The output `check` shows for a grader result: per exercise a table (one row per test: passed
 * or not, points, the named known mistake, the feedback), then the notes, the total, the hidden
 * tests not run here and the sandbox line. `text/html` for JupyterLab and classic Notebook,
 * `text/plain` for plain front ends (laid out like `npm run check` prints it).
 * @param result a parsed `clab-grade/result@1` document
 * @param command the terminal command that runs the same tests, named in the footer
 * @returns a mime bundle with `text/html` and `text/plain`
 * @example displayBundle(checkBundle(await runGraderCheck('ex03'), 'npm run check -- --only ex03'))
 */
export function checkBundle(result: GraderResult, command = 'npm run check'): MimeBundle {
  const html: string[] = ['<div class="clab-check">'];
  const text: string[] = [];
  for (const e of result.exercises) {
    const heading = `${e.id} ${e.title} (exercises/${e.file}): ${e.score} / ${e.maxScore} points`;
    const rows = e.tests.map((t) => ({
      '': t.status === 'passed' ? '✔ passed' : '✘ failed',
      test: t.name + (t.visibility === 'hidden' ? ' (hidden)' : ''),
      points: `${t.score} / ${t.maxScore}`,
      'known mistake': t.knownMistake ?? '',
      feedback: t.feedback,
    }));
    html.push(keepLineBreaks(tableBundle(rows, { title: heading, columns: ['', 'test', 'points', 'known mistake', 'feedback'] })['text/html'] as string));
    if (e.notes.length > 0) html.push(`<ul>${e.notes.map((n) => `<li style="white-space:pre-wrap">note: ${escapeHtml(n)}</li>`).join('')}</ul>`);
    text.push('', heading);
    for (const t of e.tests) {
      text.push(`  ${t.status === 'passed' ? 'PASS' : 'FAIL'} ${`${t.score}/${t.maxScore}`.padStart(5)}  ${t.name}${t.visibility === 'hidden' ? ' (hidden)' : ''}`);
      if (t.knownMistake !== null) text.push(`             known mistake: ${t.knownMistake}`);
      if (t.status === 'failed') for (const line of t.feedback.split('\n')) text.push(`             | ${line}`);
    }
    for (const n of e.notes) text.push(`  note: ${n.split('\n').join('\n        ')}`);
  }
  const hidden = result.hiddenNotRun > 0 ? `${result.hiddenNotRun} hidden test(s) not run here: they run when your work is graded.` : '';
  const total = `Total ${result.score} / ${result.maxScore} points on the ${result.verb === 'check' ? 'public ' : ''}tests.`;
  const sandbox = sandboxLine(result.sandbox);
  html.push(`<p><b>${escapeHtml(total)}</b> ${escapeHtml(hidden)}</p>`);
  html.push(`<p style="opacity:0.7">Same tests and sandbox as <code>${escapeHtml(command)}</code> in a terminal.${sandbox ? ` ${escapeHtml(sandbox)}.` : ''}</p>`);
  html.push('</div>');
  text.push('', `${total}${hidden ? ` ${hidden}` : ''}`, `(same tests and sandbox as \`${command}\` in a terminal)${sandbox ? `; ${sandbox}` : ''}`);
  return { 'text/html': html.join('\n'), 'text/plain': text.join('\n').replace(/^\n/, '') };
}
