import { GRADER_ERROR_FORMAT, type GraderErrorDocument } from '../../lib/notebook/grader_result';
import { EXIT, exitCodeOf } from '../exit_codes';
import { parseVerbArgs, RunContext, Verb, verbHelp, verbList } from './flags';

/**
 * Runs one `clab-grade` command line against the verb table: top-level and per-verb --help,
 * strict per-verb flags, and one mapping from errors to exit codes (2 usage, 3 unreadable input,
 * 4 grader error). With `--json`, a failure still leaves one JSON document on stdout.
 * @param context handed to the verb (the CLI passes none; tests observe the session with it)
 * @returns the exit code (never rejects)
 */
export async function runCommandLine(verbs: Verb[], argv: string[], context: RunContext = {}): Promise<number> {
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
    return await verb.run(args, context);
  } catch (e) {
    const { code, message } = exitCodeOf(e);
    process.stderr.write(`clab-grade ${code === EXIT.usage ? '' : `${verb.name}: `}${message}\n`);
    if (code === EXIT.usage) process.stderr.write(`(clab-grade ${verb.name} --help lists its arguments and flags)\n`);
    if (json) {
      const doc: GraderErrorDocument = { format: GRADER_ERROR_FORMAT, verb: verb.name, exitCode: code, error: message };
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    }
    return code;
  }
}
