/**
 * The contract of `clab-grade check|grade --json`: the documents the grader prints on stdout
 * (grader/README.md, "Machine-readable output"), as format names and types, no code. The grader
 * writes them (grader/report/result_json.ts, grader/command_line/run_command_line.ts) and the
 * notebook side reads them (`parseGraderResult` in parse_grader_result.ts). It lives in lib
 * because lib may never import the grader, while the grader may import lib; it imports nothing,
 * so the grader takes no notebook code with it.
 */

/** The `format` of a graded result; the number changes on a breaking change. */
export const GRADER_RESULT_FORMAT = 'clab-grade/result@1';

/** The `format` of the document `--json` prints instead when the verb fails (exit 2 after the flags parsed, 3, 4). */
export const GRADER_ERROR_FORMAT = 'clab-grade/error@1';

/** The limits that can stop a test: its time limit, its exercise's budget, the child's start-up, memory. */
export type GraderLimit = 'test timeout' | 'exercise budget' | 'start-up' | 'memory';

/** One test's outcome. */
export interface GraderTestResult {
  name: string;
  visibility: 'public' | 'hidden';
  score: number;
  maxScore: number;
  status: 'passed' | 'failed';
  /** For the student: what was checked, expected and received; names a known mistake in words too. */
  feedback: string;
  /** The name of the known mistake the output matched, or null. */
  knownMistake: string | null;
  /** Time charged to the test on the grader's fair clock, ms. */
  ms: number;
  /** The limit that stopped the test, or null; absent from graders older than the fair clock. */
  stoppedBy?: GraderLimit | null;
  /** The seed the test's inputs were drawn from (`clab-grade replay --seed` runs it again); absent from graders older than fresh inputs. */
  seed?: number;
}

/**
 * Where the tests' inputs came from: `check` uses each test's fixed seed, as published with the
 * public tests; `grade` derives fresh seeds from the instructor secret and the submission.
 */
export interface GraderInputs {
  /** SHA-256 (hex) of the submission's exercise files, as the seeds were derived from them. */
  digest: string;
  /** The fingerprint of the instructor secret (16 hex digits; not the secret), or null: the fixed seeds. */
  secret: string | null;
}

/** One exercise's outcome. */
export interface GraderExerciseResult {
  id: string;
  file: string;
  title: string;
  score: number;
  maxScore: number;
  /** Type errors, forbidden imports, load problems: shown, not scored by themselves. */
  notes: string[];
  /** Time charged to the exercise on the grader's fair clock and its budget (ms), its wall time, what stopped it; absent from graders older than the fair clock. */
  time?: { ms: number; budgetMs: number; wallMs: number; stoppedBy: GraderLimit | null };
  tests: GraderTestResult[];
}

/**
 * Whether a submission's course files (what the release manifest guards: the workflows,
 * grader/, lib/, scripts/, package.json and the lock, tsconfig) are as released. Paths are
 * relative to the repository, with `/`.
 */
export interface GraderCourseFiles {
  /**
   * `verified`: every guarded file as released, none added; `modified`: some differ, were added
   * or are missing; `no-course-files`: the submission holds none of them (only exercises/), so
   * there is nothing to compare.
   */
  status: 'verified' | 'modified' | 'no-course-files';
  /** The same in one line, for people. */
  summary: string;
  modified: string[];
  /** Files in a guarded folder that the release did not have. */
  added: string[];
  missing: string[];
  /** Course files the manifest lists. */
  files: number;
  /** The manifest compared with: where it was read, and its digest (SHA-256 of its listing). */
  manifest: { path: string; digest: string };
}

/** A whole `check` or `grade` run. */
export interface GraderResult {
  format: typeof GRADER_RESULT_FORMAT;
  verb: 'check' | 'grade';
  submission: string;
  score: number;
  maxScore: number;
  /** Hidden tests that exist but were not run (`check`). */
  hiddenNotRun: number;
  /** What the sandbox could enforce here (network, user, memory, ...), as the grader reports it. */
  sandbox: Record<string, unknown>;
  /** Where the tests' inputs came from; absent from graders older than fresh inputs. */
  inputs?: GraderInputs;
  exercises: GraderExerciseResult[];
  /** Only when the instructor gave a release manifest (`grade --manifest`): the submission's course files checked against it. */
  courseFiles?: GraderCourseFiles;
}

/** What `--json` prints when the verb fails after its flags parsed. */
export interface GraderErrorDocument {
  format: typeof GRADER_ERROR_FORMAT;
  verb: string;
  exitCode: number;
  /** The same one-line message as on stderr. */
  error: string;
}
