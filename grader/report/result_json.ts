import { GRADER_RESULT_FORMAT, type GraderResult, type GraderTestResult } from '../../lib/notebook/parse_grader_result';
import type { GradeResult } from '../engine/result_types';

/** The `format` tag of {@link resultJson}'s document; bump the number on a breaking change. */
export const RESULT_FORMAT = GRADER_RESULT_FORMAT;

// The contract's types are the reader's (lib/notebook, which may not import the grader); the
// writer here uses them, so the two cannot drift apart.
export type ResultJsonTest = GraderTestResult;
export type ResultJson = Omit<GraderResult, 'sandbox'> & { sandbox: GradeResult['sandbox'] };

/**
 * The `--json` document of one graded submission: totals, the sandbox line's fields, and per
 * exercise its tests with status, feedback and the known mistake they matched.
 * @param verb the verb that produced it
 */
export function resultJson(r: GradeResult, verb: 'check' | 'grade'): ResultJson {
  return {
    format: RESULT_FORMAT,
    verb,
    submission: r.submission,
    score: r.score,
    maxScore: r.maxScore,
    hiddenNotRun: r.hiddenNotRun,
    sandbox: { ...r.sandbox },
    exercises: r.exercises.map((e) => ({
      id: e.id,
      file: e.file,
      title: e.title,
      score: e.tests.reduce((a, t) => a + t.score, 0),
      maxScore: e.tests.reduce((a, t) => a + t.maxScore, 0),
      notes: [...e.notes],
      time: { ...e.time },
      tests: e.tests.map((t) => ({ name: t.name, visibility: t.visibility, score: t.score, maxScore: t.maxScore, status: t.status, feedback: t.feedback, knownMistake: t.knownMistake, ms: t.ms, stoppedBy: t.stoppedBy })),
    })),
  };
}
