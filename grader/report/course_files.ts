import type { CourseFilesCheck } from '../engine/result_types';

/** A path as found in a submission (an added file's name is the student's), safe on one line: control characters shown escaped, in quotes. */
export function shownPath(p: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f]/.test(p)) return p;
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(p).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every change, one per line: `modified: FILE`, then `added: FILE`, then `missing: FILE`. */
export function courseFilesChanges(c: CourseFilesCheck): string[] {
  return [...c.modified.map((p) => `modified: ${shownPath(p)}`), ...c.added.map((p) => `added: ${shownPath(p)}`), ...c.missing.map((p) => `missing: ${shownPath(p)}`)];
}

/** What was checked, in one line: `course files: verified (...)`, `course files: MODIFIED (...)`, or why nothing was. */
export function courseFilesSummary(c: CourseFilesCheck): string {
  const manifest = `release manifest ${c.manifest.digest.slice(0, 12)}`;
  if (c.status === 'verified') return `course files: verified (all ${c.files} as released; ${manifest})`;
  if (c.status === 'no-course-files') return 'course files: not checked: the submission holds none of them (only exercise files), so there is nothing to verify';
  const counts = ([['modified', c.modified], ['added', c.added], ['missing', c.missing]] as const).filter(([, l]) => l.length > 0).map(([k, l]) => `${l.length} ${k}`);
  return `course files: MODIFIED since the release (${counts.join(', ')}; ${manifest})`;
}

/**
 * The summary line, then each change indented (at most `max`, then how many more).
 * @param max changes listed (default all)
 */
export function courseFilesLines(c: CourseFilesCheck, max = Infinity): string[] {
  const changes = courseFilesChanges(c);
  const shown = changes.slice(0, max).map((l) => `  ${l}`);
  if (changes.length > shown.length) shown.push(`  ... and ${changes.length - shown.length} more`);
  return [courseFilesSummary(c), ...shown];
}

/** A gradebook cell: `verified`, `modified: a; b; c; +N more`, or `not checked: no course files in the submission`. */
export function courseFilesCell(c: CourseFilesCheck): string {
  if (c.status === 'verified') return 'verified';
  if (c.status === 'no-course-files') return 'not checked: no course files in the submission';
  const changes = courseFilesChanges(c);
  return `${changes.slice(0, 5).join('; ')}${changes.length > 5 ? `; +${changes.length - 5} more` : ''}`;
}

/** Markdown lines: a heading with the summary and each change as a list item in code. */
export function courseFilesMarkdown(c: CourseFilesCheck): string[] {
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const [head, ...rest] = courseFilesSummary(c).split(': ');
  const lines = [`### ${head[0].toUpperCase()}${head.slice(1)}: ${rest.join(': ')}`, ''];
  for (const [kind, list] of [['modified', c.modified], ['added', c.added], ['missing', c.missing]] as const) {
    for (const p of list) lines.push(`- ${kind}: ${code(shownPath(p))}`);
  }
  if (c.status === 'modified') lines.push('');
  return lines;
}
