import type { GradeResult } from '../engine/result_types';

/** The `format` tag of {@link resultJson}'s document; bump the number on a breaking change. */
export const RESULT_FORMAT = 'clab-grade/result@1';

/** One test in the `--json` document. */
export interface ResultJsonTest {
  name: string;
  visibility: 'public' | 'hidden';
  score: number;
  maxScore: number;
  status: 'passed' | 'failed';
  feedback: string;
  /** The known mistake the output matched, else null (the feedback says it in words too). */
  knownMistake: string | null;
  ms: number;
}

/** The machine-readable result of `check --json` / `grade --json` (the contract in grader/README.md). */
export interface ResultJson {
  format: typeof RESULT_FORMAT;
  verb: 'check' | 'grade';
  submission: string;
  score: number;
  maxScore: number;
  hiddenNotRun: number;
  sandbox: GradeResult['sandbox'];
  exercises: Array<{ id: string; file: string; title: string; score: number; maxScore: number; notes: string[]; tests: ResultJsonTest[] }>;
}

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
      tests: e.tests.map((t) => ({ name: t.name, visibility: t.visibility, score: t.score, maxScore: t.maxScore, status: t.status, feedback: t.feedback, knownMistake: t.knownMistake, ms: t.ms })),
    })),
  };
}
