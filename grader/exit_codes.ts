/** Exit codes of `clab-grade` (documented in grader/README.md). */
export const EXIT = {
  /** Graded; every test passed (or --exit-zero). */
  ok: 0,
  /** Graded; some tests failed. */
  notFullScore: 1,
  /** Bad command line. */
  usage: 2,
  /** The submission could not be read (not a folder or .zip, corrupt zip, missing). */
  badSubmission: 3,
  /** The grader itself failed (specs, references, sandbox could not start). */
  graderError: 4,
} as const;
