/** A submission (or another input path) that cannot be read at all: exit 3, never a grade. */
export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionError';
  }
}
