// is_complete_request: would this code run as it is (complete), does it need more lines
// (incomplete: an open bracket, block or template), or can no more lines fix it (invalid)?
// Consoles ask it to decide whether Enter runs the code or starts a new line.
import * as ts from '@tslab/typescript-for-tslab';

/** The is_complete_reply content (status, and the indent of the next line when incomplete). */
export type Completeness = { status: 'complete' | 'invalid' } | { status: 'incomplete'; indent: string };

/** Errors that more lines cannot fix even when they are reported at the end of the code. */
const NEVER_CONTINUED = new Set([
  1002, // Unterminated string literal: a quote string cannot run onto the next line.
]);

/**
 * Parses `code` as a cell and says whether it is complete.
 * @example isComplete('function f() {') // {status: 'incomplete', indent: '  '}
 */
export function isComplete(code: string): Completeness {
  const trimmed = code.trimEnd();
  if (trimmed === '') return { status: 'complete' };
  const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const errors = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (errors.length === 0) return { status: 'complete' };
  const atEnd = (d: ts.Diagnostic) => (d.start ?? 0) >= trimmed.length && !NEVER_CONTINUED.has(d.code);
  if (!errors.every(atEnd)) return { status: 'invalid' };
  // A blank line after unfinished code: the user wants to run it (and see the error).
  if (/\n[ \t]*\n[ \t]*$/.test(code)) return { status: 'complete' };
  const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  const indent = /^[ \t]*/.exec(last)![0];
  return { status: 'incomplete', indent: /[{([]\s*$/.test(last) ? `${indent}  ` : indent };
}
