import * as path from 'node:path';
import type { VerbSpec } from '../command_line/verb_spec';
import { mergeCommand } from './merge_command';

/** `clab-grade merge <dir>...`: its arguments, flags and defaults. */
export const MERGE_VERB: VerbSpec = {
  name: 'merge',
  summary: 'combine grade-all --shard outputs into one gradebook.csv and report folders',
  description: [
    'Combines the outputs of grade-all --shard 1/N ... N/N (each folder holds shard-K-of-N.json',
    'and its submissions\' folders; a folder of such folders works too) into what one grade-all',
    'run writes: gradebook.csv, the class report (mistakes.csv, tests.csv, class-report.html) and',
    'every submission\'s folder. An incomplete set is exit 3.',
  ].join('\n'),
  positionals: [{ name: '<dir>...', help: "folders written by grade-all --shard (or their parent, e.g. download-artifact's)", required: true, variadic: true }],
  flags: {
    out: { type: 'string', value: 'DIR', default: 'grader-results', help: 'where gradebook.csv and the submission folders go' },
  },
  run: async ({ positionals, flags }) => {
    const out = flags.out as string;
    const r = mergeCommand({ inputs: positionals, out });
    process.stdout.write(`gradebook: ${path.join(out, 'gradebook.csv')}, class report: ${path.join(out, 'class-report.html')} (${r.rows.length} submissions)\n`);
    return r.code;
  },
};
