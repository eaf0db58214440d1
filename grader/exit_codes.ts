/** Exit codes of `clab-grade` (documented in grader/README.md). */
export const EXIT = {
  /** Graded; every test passed (or --exit-zero); release or merge written. */
  ok: 0,
  /** Graded; some tests failed. */
  notFullScore: 1,
  /** Bad command line: unknown verb or flag, missing argument, bad value. */
  usage: 2,
  /** A submission (or another input) could not be read: missing, unreadable, not a folder or .zip, corrupt zip. */
  badSubmission: 3,
  /** The grader itself failed (specs, references, the sandbox canary, an internal error). */
  graderError: 4,
} as const;

/** The exit codes in one line, for --help. */
export const EXIT_CODE_HELP = 'exit codes: 0 all passed, 1 some failed, 2 bad command line, 3 unreadable submission or input, 4 grader error';
