import * as path from 'node:path';
import type { GradeResult } from '../engine/result_types';
import { gradescopeJson } from './gradescope_json';
import { junitXml } from './junit_xml';
import { markdownSummary } from './markdown_summary';
import { writeAtomic } from '../../lib/io';

/** The report files of one graded submission, as written into its folder by {@link writeReports}. */
export const REPORT_FILES = ['results.json', 'junit.xml', 'summary.md'] as const;

/** Writes every report of one graded submission into `out` (each file atomically). */
export function writeReports(r: GradeResult, out: string): void {
  writeAtomic(path.join(out, 'results.json'), JSON.stringify(gradescopeJson(r), null, 2) + '\n');
  writeAtomic(path.join(out, 'junit.xml'), junitXml(r));
  writeAtomic(path.join(out, 'summary.md'), markdownSummary(r));
}
