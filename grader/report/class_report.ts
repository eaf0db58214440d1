import * as path from 'node:path';
import type { Visibility } from '../engine/result_types';
import { writeAtomic } from '../../lib/io';
import { classReportHtml } from './class_report_html';
import { csvText, type GradebookRow } from './gradebook_csv';

/** The class report's files, written by grade-all and merge beside gradebook.csv. */
export const CLASS_REPORT_FILES = ['mistakes.csv', 'tests.csv', 'class-report.html'] as const;

/** One test over the class. */
export interface ClassTest {
  exercise: string;
  test: string;
  visibility: Visibility;
  points: number;
  /** Graded submissions that ran it, and those that passed it. */
  runs: number;
  passed: number;
}

/** One named mistake over the class: the submissions whose output matched it on any test. */
export interface ClassMistake {
  exercise: string;
  name: string;
  explain: string;
  submissions: string[];
}

/** What the class did, from the gradebook rows alone. */
export interface ClassSummary {
  rows: GradebookRow[];
  /** Rows graded with per-test outcomes (the others count in the score distribution only). */
  withTests: number;
  notGraded: GradebookRow[];
  /** In the order the tests are graded. */
  tests: ClassTest[];
  /** Most common first (then by exercise and name). */
  mistakes: ClassMistake[];
}

/**
 * Sums up a class: each test's pass count and each named mistake's submissions, from the rows
 * grade-all keeps (see TestOutcome); a pure function of the rows.
 * @param rows gradebook rows in gradebook order
 */
export function summariseClass(rows: GradebookRow[]): ClassSummary {
  const tests = new Map<string, ClassTest>();
  const mistakes = new Map<string, ClassMistake>();
  let withTests = 0;
  for (const row of rows) {
    if (row.status !== 'graded' || row.tests === undefined) continue;
    withTests++;
    for (const t of row.tests) {
      const key = `${t.exercise}\u0000${t.test}`;
      const c = tests.get(key) ?? { exercise: t.exercise, test: t.test, visibility: t.visibility, points: t.points, runs: 0, passed: 0 };
      c.runs++;
      if (t.passed) c.passed++;
      tests.set(key, c);
      if (t.mistake === undefined) continue;
      const mkey = `${t.exercise}\u0000${t.mistake.name}`;
      const m = mistakes.get(mkey) ?? { exercise: t.exercise, name: t.mistake.name, explain: t.mistake.explain, submissions: [] };
      if (m.submissions[m.submissions.length - 1] !== row.submission) m.submissions.push(row.submission);
      mistakes.set(mkey, m);
    }
  }
  const byCount = (a: ClassMistake, b: ClassMistake) => b.submissions.length - a.submissions.length || cmp(a.exercise, b.exercise) || cmp(a.name, b.name);
  return { rows, withTests, notGraded: rows.filter((r) => r.status !== 'graded'), tests: [...tests.values()], mistakes: [...mistakes.values()].sort(byCount) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A pass rate as written in tests.csv: passed / runs to 3 decimals, empty when nothing ran. */
function rate(passed: number, runs: number): string {
  return runs === 0 ? '' : (passed / runs).toFixed(3);
}

/** mistakes.csv: exercise, known mistake, how many submissions made it, which ones (`; `-separated). */
export function mistakesCsv(s: ClassSummary): string {
  const lines = s.mistakes.map((m) => [csvText(m.exercise), csvText(m.name), m.submissions.length, csvText(m.submissions.join('; '))].join(','));
  return ['exercise,mistake,submissions,which', ...lines].join('\n') + '\n';
}

/** tests.csv: each test's visibility, points, how many graded submissions ran and passed it, the pass rate. */
export function testsCsv(s: ClassSummary): string {
  const lines = s.tests.map((t) => [csvText(t.exercise), csvText(t.test), t.visibility, t.points, t.runs, t.passed, rate(t.passed, t.runs)].join(','));
  return ['exercise,test,visibility,points,submissions,passed,pass_rate', ...lines].join('\n') + '\n';
}

/**
 * Writes mistakes.csv, tests.csv and class-report.html into `out` (each atomically): the same
 * bytes for the same rows, so `merge` writes what one grade-all run writes.
 * @param out the folder that holds gradebook.csv
 * @param rows the gradebook's rows
 */
export function writeClassReport(out: string, rows: GradebookRow[]): void {
  const s = summariseClass(rows);
  writeAtomic(path.join(out, 'mistakes.csv'), mistakesCsv(s));
  writeAtomic(path.join(out, 'tests.csv'), testsCsv(s));
  writeAtomic(path.join(out, 'class-report.html'), classReportHtml(s));
}
