import { GRADER_RESULT_FORMAT, type GraderResult } from '../../lib/notebook/grader_result';
import type { GradeResult } from '../engine/result_types';
import { courseFilesSummary } from './course_files';

/** The `--json` document of a graded submission: the contract's type, with the sandbox's fields typed. */
export type ResultJson = Omit<GraderResult, 'sandbox'> & { sandbox: GradeResult['sandbox'] };

/**
 * The `--json` document of one graded submission: totals, the sandbox line's fields, and per
 * exercise its tests with status, feedback and the known mistake they matched.
 * @param verb the verb that produced it
 */
export function resultJson(r: GradeResult, verb: 'check' | 'grade'): ResultJson {
  return {
    format: GRADER_RESULT_FORMAT,
    verb,
    submission: r.submission,
    score: r.score,
    maxScore: r.maxScore,
    hiddenNotRun: r.hiddenNotRun,
    sandbox: { ...r.sandbox },
    inputs: { ...r.inputs },
    exercises: r.exercises.map((e) => ({
      id: e.id,
      file: e.file,
      title: e.title,
      score: e.tests.reduce((a, t) => a + t.score, 0),
      maxScore: e.tests.reduce((a, t) => a + t.maxScore, 0),
      notes: [...e.notes],
      time: { ...e.time },
      tests: e.tests.map((t) => ({ name: t.name, visibility: t.visibility, score: t.score, maxScore: t.maxScore, status: t.status, feedback: t.feedback, knownMistake: t.knownMistake, ms: t.ms, stoppedBy: t.stoppedBy, seed: t.seed })),
    })),
    ...(r.courseFiles ? { courseFiles: { ...r.courseFiles, summary: courseFilesSummary(r.courseFiles) } } : {}),
  };
}
