/** Exit codes of `clab-grade` (documented in grader/README.md). */
export const EXIT = {
  /** Graded; every test passed (or --exit-zero); release or merge written; `verify`: the course files are as released. */
  ok: 0,
  /** Graded; some tests failed. (`verify`: a course file was modified, added or is missing.) */
  notFullScore: 1,
  /** Bad command line: unknown verb or flag, missing argument, bad value. */
  usage: 2,
  /** A submission (or another input) could not be read: missing, unreadable, not a folder or .zip, corrupt zip. */
  badSubmission: 3,
  /** The grader itself failed (specs, references, the sandbox canary, an internal error). */
  graderError: 4,
} as const;

/** The exit codes in one line, for --help. */
export const EXIT_CODE_HELP = 'exit codes: 0 all passed (verify: verified), 1 some failed (verify: a course file changed), 2 bad command line, 3 unreadable submission or input, 4 grader error';

/** A bad command line (exit 2). The message names the bad value and what is expected. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A submission (or another input path) that cannot be read at all: exit 3, never a grade. */
export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionError';
  }
}

/**
 * The grader itself cannot grade correctly here (specs or references do not load, the sandbox
 * fails its canary): exit 4, never a student's zero. The message names what failed and the fix,
 * so the CLI prints it without a stack trace.
 */
export class GraderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraderError';
  }
}

/**
 * The exit code and the one-line message for an error a verb threw: {@link UsageError} 2,
 * {@link SubmissionError} or an unreadable path the verb did not wrap 3, {@link GraderError} 4,
 * anything else 4 as an internal error with its stack (so it can be reported).
 */
export function exitCodeOf(e: unknown): { code: number; message: string } {
  if (e instanceof UsageError) return { code: EXIT.usage, message: e.message };
  if (e instanceof SubmissionError) return { code: EXIT.badSubmission, message: e.message };
  if (e instanceof GraderError) return { code: EXIT.graderError, message: e.message };
  const errno = e as NodeJS.ErrnoException;
  if ((errno?.code === 'ENOENT' || errno?.code === 'EACCES' || errno?.code === 'ENOTDIR') && errno.path !== undefined) {
    return { code: EXIT.badSubmission, message: `cannot read ${errno.path}: ${errno.message}` };
  }
  return { code: EXIT.graderError, message: `internal error: ${(e as Error)?.stack ?? String(e)}` };
}
