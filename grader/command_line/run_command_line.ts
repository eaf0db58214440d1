import { EXIT } from '../exit_codes';
import { GraderError } from '../engine/grader_error';
import { SubmissionError } from '../engine/read_submission';
import { parseVerbArgs } from './flags';
import { UsageError } from './usage_error';
import { verbHelp, verbList } from './verb_help';
import type { VerbSpec } from './verb_spec';

/** The `format` of the document `--json` prints on stdout when a verb fails with exit 3 or 4. */
export const ERROR_FORMAT = 'clab-grade/error@1';

/** Exit code and message for an error a verb threw. */
function classify(e: unknown): { code: number; message: string } {
  if (e instanceof UsageError) return { code: EXIT.usage, message: e.message };
  if (e instanceof SubmissionError) return { code: EXIT.badSubmission, message: e.message };
  const errno = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof GraderError) return { code: EXIT.graderError, message: e.message };
  // An unreadable input path the verb did not wrap (ENOENT, EACCES on the path it was given).
  if ((errno === 'ENOENT' || errno === 'EACCES' || errno === 'ENOTDIR') && (e as NodeJS.ErrnoException).path !== undefined) {
    return { code: EXIT.badSubmission, message: `cannot read ${(e as NodeJS.ErrnoException).path}: ${(e as Error).message}` };
  }
  return { code: EXIT.graderError, message: `internal error: ${(e as Error)?.stack ?? String(e)}` };
}

/**
 * Runs one `clab-grade` command line against the verb table: top-level and per-verb --help,
 * strict per-verb flags, and one mapping from errors to exit codes (2 usage, 3 unreadable input,
 * 4 grader error). With `--json`, a failure still leaves one JSON document on stdout.
 * @returns the exit code (never rejects)
 */
export async function runCommandLine(verbs: VerbSpec[], argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(verbList(verbs) + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const verb = verbs.find((v) => v.name === name);
  if (verb === undefined) {
    const what = name.startsWith('-') ? `expected a verb before flags, got ${JSON.stringify(name)}` : `unknown verb ${JSON.stringify(name)}`;
    process.stderr.write(`clab-grade: ${what}; valid verbs are ${verbs.map((v) => v.name).join(', ')} (clab-grade --help)\n`);
    return EXIT.usage;
  }
  let json = false;
  try {
    const args = parseVerbArgs(verb, rest, verbs);
    if (args.help) {
      process.stdout.write(verbHelp(verb) + '\n');
      return EXIT.ok;
    }
    json = args.flags.json === true;
    return await verb.run(args);
  } catch (e) {
    const { code, message } = classify(e);
    process.stderr.write(`clab-grade ${code === EXIT.usage ? '' : `${verb.name}: `}${message}\n`);
    if (code === EXIT.usage) process.stderr.write(`(clab-grade ${verb.name} --help lists its arguments and flags)\n`);
    if (json) process.stdout.write(JSON.stringify({ format: ERROR_FORMAT, verb: verb.name, exitCode: code, error: message }, null, 2) + '\n');
    return code;
  }
}
