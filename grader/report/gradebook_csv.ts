import type { InputSource } from '../engine/result_types';
import type { TestOutcome } from './test_outcome';

/** One row of the gradebook: a submission's total and per-exercise points. */
export interface GradebookRow {
  submission: string;
  score: number;
  maxScore: number;
  /** exercise id -> points */
  exercises: Record<string, number>;
  /** 'graded' or the reason it was not */
  status: string;
  /** With `grade-all --manifest`: `verified`, the changed course files, or why they were not checked. */
  courseFiles?: string;
  /** Every test's outcome, for the class report (not a gradebook column). */
  tests?: TestOutcome[];
  /** Where its inputs came from: the submission's digest and the instructor secret's fingerprint (absent when not graded, or graded before fresh inputs). */
  inputs?: InputSource;
}

/** A CSV text field: quoted, with spreadsheet formulas neutralised. */
export function csvText(s: string): string {
  // Quote every text field; neutralise spreadsheet formulas (CSV injection via a submission name).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The CSV gradebook: submission, score, max_score, one column per exercise, status, and
 * course_files when the rows were checked against a release manifest (`grade-all --manifest`).
 */
export function gradebookCsv(rows: GradebookRow[], exerciseIds: string[]): string {
  const marked = rows.some((r) => r.courseFiles !== undefined);
  const head = ['submission', 'score', 'max_score', ...exerciseIds, 'status', ...(marked ? ['course_files'] : [])].join(',');
  const lines = rows.map((r) => [csvText(r.submission), r.score, r.maxScore, ...exerciseIds.map((id) => r.exercises[id] ?? 0), csvText(r.status), ...(marked ? [csvText(r.courseFiles ?? 'not checked: graded without --manifest')] : [])].join(','));
  return [head, ...lines].join('\n') + '\n';
}
