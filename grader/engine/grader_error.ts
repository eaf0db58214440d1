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
