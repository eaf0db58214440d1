import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrozenExercise } from '../engine';
import { PROJECT_ROOT } from '../engine/project_root';

/** The student README's template (placeholders `{{NAME}}`), beside this file's source (compiled, this file runs from dist/). */
export const STUDENT_README_TEMPLATE = path.join(PROJECT_ROOT, 'grader', 'release', 'student_readme.md');

/** What the README's generated parts are made from. */
export interface StudentReadmeFacts {
  /** The exercises as released, with their public tests and hidden-test counts. */
  exercises: FrozenExercise[];
  /** Exercise id -> the notebook that teaches it (the one whose cell checks it). */
  checkedIn: Map<string, string>;
  /** Notebooks `npm test` runs by default, and the slow ones it runs only with --all. */
  quickNotebooks: string[];
  slowNotebooks: string[];
}

const code = (s: string) => `\`${s}\``;

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The student repository's README: the template with the exercise table (file, what to write,
 * the notebook that teaches it, public tests and points, hidden tests), the hidden-test count and
 * the notebooks `npm test` runs filled in.
 * @param facts what the release holds
 * @returns the README text
 * @throws naming the placeholder when the template has one this function does not fill
 */
export function studentReadme(facts: StudentReadmeFacts): string {
  const rows = facts.exercises.map((e) => {
    const pub = e.tests.filter((t) => t.visibility === 'public');
    const points = pub.reduce((a, t) => a + t.points, 0);
    const nb = facts.checkedIn.get(e.id);
    return `| ${e.id} | ${e.title} | ${code(`exercises/${e.file}`)} | ${e.functions.map(code).join(', ')} | ${nb ? code(nb) : '-'} | ${pub.length} (${points} points) | ${e.hiddenCount} |`;
  });
  const table = ['| id | exercise | file | you write | notebook | public tests | hidden tests |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
  const values: Record<string, string> = {
    EXERCISE_COUNT: String(facts.exercises.length),
    EXERCISE_TABLE: table,
    HIDDEN_COUNT: String(facts.exercises.reduce((a, e) => a + e.hiddenCount, 0)),
    QUICK_NOTEBOOKS: facts.quickNotebooks.length > 0 ? list(facts.quickNotebooks.map(code)) : 'no notebook',
    SLOW_NOTEBOOKS: facts.slowNotebooks.length > 0 ? list(facts.slowNotebooks.map(code)) : 'No notebook',
  };
  const text = fs.readFileSync(STUDENT_README_TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (m, k: string) => {
    if (!(k in values)) throw new Error(`studentReadme: ${STUDENT_README_TEMPLATE} has the placeholder ${m}, which nothing fills; valid: ${Object.keys(values).join(', ')}`);
    return values[k];
  });
  return text;
}
