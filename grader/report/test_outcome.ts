import type { GradeResult, Visibility } from '../engine/result_types';

/**
 * One test's outcome in one graded submission: what the class report needs, kept in each
 * submission's grade.json row (and so in shard manifests) so that a rerun that skips finished
 * submissions, and `merge`, can write the class report without grading again.
 */
export interface TestOutcome {
  exercise: string;
  test: string;
  visibility: Visibility;
  points: number;
  passed: boolean;
  /** The seed its inputs were drawn from (absent in rows graded before fresh inputs). */
  seed?: number;
  /** The known mistake its output matched, with the explanation the feedback gave. */
  mistake?: { name: string; explain: string };
}

/** Where explanations of known mistakes come from: the exercise specs (only their mistakes are read). */
export interface MistakeCatalogue {
  id: string;
  mistakes: Array<{ name: string; explain: string }>;
}

/**
 * The outcome of every test of a graded submission.
 * @param r the submission's result
 * @param specs the exercise specs, for the mistakes' explanations
 */
export function testOutcomes(r: GradeResult, specs: MistakeCatalogue[]): TestOutcome[] {
  const explain = new Map<string, string>();
  for (const e of specs) for (const m of e.mistakes) explain.set(`${e.id}\u0000${m.name}`, m.explain);
  return r.exercises.flatMap((e) =>
    e.tests.map((t): TestOutcome => ({
      exercise: e.id,
      test: t.name,
      visibility: t.visibility,
      points: t.maxScore,
      passed: t.status === 'passed',
      seed: t.seed,
      ...(t.knownMistake === null ? {} : { mistake: { name: t.knownMistake, explain: explain.get(`${e.id}\u0000${t.knownMistake}`) ?? '' } }),
    })),
  );
}
